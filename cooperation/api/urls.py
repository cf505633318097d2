from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("partnerships", views.PartnershipViewSet, basename="partnership")
router.register("networks", views.CityNetworkViewSet, basename="network")
router.register("focal-points", views.FocalPointViewSet, basename="focal-point")
urlpatterns = router.urls
