from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("followup/entries", views.FollowupEntryViewSet, basename="followup-entry")
router.register("followup/plans", views.WorkPlanViewSet, basename="followup-plan")
router.register("followup/indicators", views.IndicatorViewSet, basename="followup-indicator")
router.register("followup/reports", views.ReportViewSet, basename="followup-report")

urlpatterns = router.urls
