"""One filter set per list, shared by the HTML pages and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agreements.registry.models import RegistryEntry
from portal.core.filtersets import PortalFilterSet
from portal.geography.models import State

from .choices import FollowupStatus, IndicatorKind
from .models import Indicator, Report, WorkPlan


def _search(queryset, prefix: str, value: str):
    value = (value or "").strip()
    if not value:
        return queryset
    return queryset.filter(
        Q(**{f"{prefix}registry_number__icontains": value})
        | Q(**{f"{prefix}title__icontains": value})
        | Q(**{f"{prefix}counterpart_name__icontains": value})
    )


class FollowupFilterSet(PortalFilterSet):
    """The followed agreements (DGCP's dashboard and ``/api/v1/followup/entries/``): status is the derived one."""

    q = django_filters.CharFilter(method="search", label=_("Buscar (número, título o contraparte)"))
    state = django_filters.ModelChoiceFilter(
        queryset=State.objects.order_by("code"), label=_("Entidad"), empty_label=_("Todas")
    )
    municipality = django_filters.CharFilter(field_name="municipality_id", label=_("Municipio (clave INEGI)"))
    status = django_filters.ChoiceFilter(
        choices=FollowupStatus.choices,
        field_name="followup_status",
        label=_("Estado del seguimiento"),
        empty_label=_("Todos"),
    )

    class Meta:
        model = RegistryEntry
        fields = ["q", "state", "municipality", "status"]

    def search(self, queryset, name, value):
        return _search(queryset, "", value)


class WorkPlanFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Buscar (número, título o contraparte)"))
    registry_number = django_filters.CharFilter(field_name="entry__registry_number", label=_("Número de registro"))
    state = django_filters.CharFilter(field_name="entry__state_id", label=_("Entidad (clave INEGI)"))
    municipality = django_filters.CharFilter(field_name="entry__municipality_id", label=_("Municipio (clave INEGI)"))
    active_on = django_filters.DateFilter(method="filter_active_on", label=_("Vigente en la fecha"))

    class Meta:
        model = WorkPlan
        fields = ["q", "registry_number", "state", "municipality", "active_on"]

    def search(self, queryset, name, value):
        return _search(queryset, "entry__", value)

    def filter_active_on(self, queryset, name, value):
        return queryset.filter(starts_on__lte=value, ends_on__gte=value)


class IndicatorFilterSet(PortalFilterSet):
    kind = django_filters.ChoiceFilter(choices=IndicatorKind.choices, label=_("Indicador"), empty_label=_("Todos"))
    plan = django_filters.NumberFilter(field_name="plan_id", label=_("Plan de trabajo"))
    registry_number = django_filters.CharFilter(
        field_name="plan__entry__registry_number", label=_("Número de registro")
    )
    state = django_filters.CharFilter(field_name="plan__entry__state_id", label=_("Entidad (clave INEGI)"))

    class Meta:
        model = Indicator
        fields = ["kind", "plan", "registry_number", "state"]


class ReportFilterSet(PortalFilterSet):
    plan = django_filters.NumberFilter(field_name="plan_id", label=_("Plan de trabajo"))
    registry_number = django_filters.CharFilter(
        field_name="plan__entry__registry_number", label=_("Número de registro")
    )
    state = django_filters.CharFilter(field_name="plan__entry__state_id", label=_("Entidad (clave INEGI)"))
    period_end_after = django_filters.DateFilter(
        field_name="period_end", lookup_expr="gte", label=_("Periodo que termina desde")
    )
    period_end_before = django_filters.DateFilter(
        field_name="period_end", lookup_expr="lte", label=_("Periodo que termina hasta")
    )

    class Meta:
        model = Report
        fields = ["plan", "registry_number", "state", "period_end_after", "period_end_before"]
