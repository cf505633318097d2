import django_filters
from django.utils.translation import gettext_lazy as _

from portal.core.filtersets import PortalFilterSet

from .choices import NoticeEvent
from .models import Notification


class NotificationFilterSet(PortalFilterSet):
    """The one filter set of a person's notices, shared by the notices page and the API."""

    read = django_filters.BooleanFilter(method="filter_read", label=_("Leída"))
    event = django_filters.ChoiceFilter(choices=NoticeEvent.choices, label=_("Evento"))
    agreement = django_filters.NumberFilter(field_name="agreement_id", label=_("Expediente"))

    class Meta:
        model = Notification
        fields = ["read", "event", "agreement"]

    def filter_read(self, queryset, name, value):
        return queryset.filter(read_at__isnull=not value)
