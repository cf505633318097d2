from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("estado-del-servicio/", views.service_status, name="status"),
]
