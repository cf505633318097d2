from django.urls import path

from . import views

app_name = "migrants"
urlpatterns = [
    path("oficinas-migrantes/", views.office_list, name="office_list"),
    path("oficinas-migrantes/<int:pk>/", views.office_detail, name="office_detail"),
    path("oficinas-migrantes/<int:pk>/editar/", views.office_edit, name="office_edit"),
]
