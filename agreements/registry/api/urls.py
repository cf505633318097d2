from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("registry", views.RegistryViewSet, basename="registry")

urlpatterns = router.urls
