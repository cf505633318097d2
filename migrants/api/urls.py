from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("migrant-offices", views.MigrantOfficeViewSet, basename="migrant-office")
urlpatterns = router.urls
