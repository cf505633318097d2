from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("agreements", views.AgreementViewSet, basename="agreement")

urlpatterns = [
    path("calendar/deadline/", views.calendar_deadline, name="calendar-deadline"),
    *router.urls,
]
