from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("municipalities", views.MunicipalityViewSet, basename="municipality")
router.register("states", views.StateViewSet, basename="state")
urlpatterns = [path("subdivisions/", views.subdivision_list, name="subdivision-list"), *router.urls]
