from django.urls import path

from . import views

app_name = "cooperation"
urlpatterns = [
    path("cooperacion/", views.partnership_list, name="partnership_list"),
    path("cooperacion/alianzas/<int:pk>/", views.partnership_detail, name="partnership_detail"),
    path("cooperacion/puntos-focales/", views.focal_point_list, name="focal_point_list"),
    path("gobiernos/cambio-de-administracion/", views.change_of_administration, name="change_of_administration"),
    path(
        "gobiernos/<government_kind:kind>/<government_code:code>/punto-focal/",
        views.focal_point_assign,
        name="focal_point_assign",
    ),
    path(
        "gobiernos/<government_kind:kind>/<government_code:code>/punto-focal/confirmar/",
        views.focal_point_confirm,
        name="focal_point_confirm",
    ),
]
