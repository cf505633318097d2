from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("inbox/cja", views.CjaInboxViewSet, basename="inbox-cja")
router.register("inbox/dgcp", views.DgcpInboxViewSet, basename="inbox-dgcp")

urlpatterns = [
    path("calendar/deadline/", views.calendar_deadline, name="calendar-deadline"),
    path("lookup/<folio:folio>/", views.CaseLookupView.as_view(), name="case-lookup"),
    *router.urls,
]
