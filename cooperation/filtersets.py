import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.core.filtersets import PortalFilterSet
from portal.core.text import fold

from .choices import Instrument, NetworkKind, OrganisationKind, PartnershipStatus
from .models import CityNetwork, FocalPoint, Organisation, Partnership


class PartnershipFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Buscar"))
    state = django_filters.CharFilter(field_name="institution__state_id", label=_("Entidad (clave INEGI)"))
    municipality = django_filters.CharFilter(field_name="institution__municipality_id", label=_("Municipio (clave)"))
    organisation = django_filters.NumberFilter(field_name="organisation_id", label=_("Organismo"))
    organisation_kind = django_filters.ChoiceFilter(
        field_name="organisation__kind", choices=OrganisationKind.choices, label=_("Tipo de organismo")
    )
    instrument = django_filters.ChoiceFilter(choices=Instrument.choices, label=_("Instrumento"))
    status = django_filters.ChoiceFilter(choices=PartnershipStatus.choices, label=_("Estado"))

    class Meta:
        model = Partnership
        fields = ["q", "state", "municipality", "organisation", "organisation_kind", "instrument", "status"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(title__icontains=value)
            | Q(organisation__name__icontains=value)
            | Q(organisation__acronym__icontains=value)
            | Q(activities__icontains=value)
        )


class OrganisationFilterSet(PortalFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Buscar"))
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices, label=_("Tipo"))

    class Meta:
        model = Organisation
        fields = ["q", "kind"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(name__icontains=value) | Q(acronym__icontains=value) | Q(english_name__icontains=value)
        )


class NetworkFilterSet(PortalFilterSet):
    kind = django_filters.ChoiceFilter(choices=NetworkKind.choices, label=_("Tipo"))
    state = django_filters.CharFilter(method="member_state", label=_("Entidad miembro (incluye municipios)"))

    class Meta:
        model = CityNetwork
        fields = ["kind", "state"]

    def member_state(self, queryset, name, value):
        return queryset.filter(Q(memberships__state_id=value) | Q(memberships__municipality__state_id=value)).distinct()


class FocalPointFilterSet(PortalFilterSet):
    state = django_filters.CharFilter(method="by_state", label=_("Entidad (incluye municipios)"))
    municipality = django_filters.CharFilter(field_name="municipality_id", label=_("Municipio (clave)"))
    current = django_filters.BooleanFilter(field_name="is_current", label=_("Vigente"))
    q = django_filters.CharFilter(method="search", label=_("Buscar"))

    class Meta:
        model = FocalPoint
        fields = ["state", "municipality", "current", "q"]

    def by_state(self, queryset, name, value):
        return queryset.filter(Q(state_id=value) | Q(municipality__state_id=value))

    def search(self, queryset, name, value):
        words = fold(value).split()
        for word in words:
            queryset = queryset.filter(Q(name__icontains=word) | Q(position__icontains=word) | Q(area__icontains=word))
        return queryset
