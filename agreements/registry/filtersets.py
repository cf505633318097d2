"""The public registry's one FilterSet, for its page, its API and its exports."""

import datetime as dt

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from agreements.choices import CounterpartType, EntryStatus, Kind, Region, Theme
from portal.core.filtersets import PortalFilterSet
from portal.core.text import fold

from .models import RegistryEntry
from .selectors.entries import entry_status_q, expiring_soon, in_force_q, registry_search


class YearFilter(django_filters.NumberFilter):
    """A calendar year: a whole number (``2020.5`` is refused, not silently truncated)."""

    field_class = forms.IntegerField


class RegistryFilterSet(PortalFilterSet):
    """The one filter set of the public registry: the HTML list, the API, exports and statistics."""

    q = django_filters.CharFilter(method="search", label=_("Buscar"))
    state = django_filters.CharFilter(field_name="state_id", label=_("Entidad (clave INEGI)"))
    municipality = django_filters.CharFilter(method="filter_municipality", label=_("Municipio (nombre o clave INEGI)"))
    level = django_filters.ChoiceFilter(
        choices=[("state", _("Estatal")), ("municipal", _("Municipal"))], label=_("Nivel")
    )
    counterpart_type = django_filters.ChoiceFilter(choices=CounterpartType.choices, label=_("Tipo de contraparte"))
    country = django_filters.CharFilter(field_name="counterpart_country", method="upper_exact", label=_("País (ISO)"))
    subdivision = django_filters.CharFilter(
        field_name="counterpart_subdivision", method="upper_exact", label=_("Subdivisión (ISO 3166-2)")
    )
    region = django_filters.ChoiceFilter(choices=Region.choices, label=_("Región"))
    theme = django_filters.MultipleChoiceFilter(choices=Theme.choices, method="filter_theme", label=_("Tema"))
    kind = django_filters.ChoiceFilter(choices=Kind.choices, label=_("Tipo de instrumento"))
    year_min = YearFilter(method="filter_year_min", label=_("Firmado desde (año)"), min_value=1900, max_value=2200)
    year_max = YearFilter(method="filter_year_max", label=_("Firmado hasta (año)"), min_value=1900, max_value=2200)
    in_force = django_filters.BooleanFilter(method="filter_in_force", label=_("Vigente"))
    status = django_filters.MultipleChoiceFilter(
        choices=EntryStatus.choices, method="filter_entry_status", label=_("Situación")
    )
    expiring = django_filters.BooleanFilter(method="filter_expiring", label=_("Vence en 90 días"))

    class Meta:
        model = RegistryEntry
        fields = [
            "q",
            "state",
            "municipality",
            "level",
            "counterpart_type",
            "country",
            "subdivision",
            "region",
            "theme",
            "kind",
            "year_min",
            "year_max",
            "in_force",
            "status",
            "expiring",
        ]

    def search(self, queryset, name, value):
        return registry_search(queryset, value)

    def filter_municipality(self, queryset, name, value):
        # A five-digit INEGI code, or a name people use: INEGI's, the seat's or the common one ("Ciudad Juárez").
        value = value.strip()
        if value.isdigit():
            return queryset.filter(municipality_id=value)
        for word in fold(value).split():
            queryset = queryset.filter(municipality__search_alias__contains=word)
        return queryset

    def upper_exact(self, queryset, name, value):
        return queryset.filter(**{name: value.strip().upper()})

    def filter_status(self, queryset, name, value):
        # The status as the reader sees it (``visibility.reader_view``): a filer's case whose dictamen awaits the
        # DGCP is found as "in review", never as "dictamen issued".
        field = "shown_status" if "shown_status" in queryset.query.annotations else "status"
        return queryset.filter(**{f"{field}__in": value}) if value else queryset

    def filter_theme(self, queryset, name, value):
        if not value:
            return queryset
        through = RegistryEntry.themes.through
        return queryset.filter(Exists(through.objects.filter(registryentry_id=OuterRef("pk"), theme_id__in=value)))

    def filter_year_min(self, queryset, name, value):
        return queryset.filter(signed_on__gte=dt.date(int(value), 1, 1))

    def filter_year_max(self, queryset, name, value):
        return queryset.filter(signed_on__lte=dt.date(int(value), 12, 31))

    def filter_in_force(self, queryset, name, value):
        return queryset.filter(in_force_q()) if value else queryset.exclude(in_force_q())

    def filter_entry_status(self, queryset, name, value):
        if not value:
            return queryset
        wanted = Q()
        for status in value:
            wanted |= entry_status_q(status)
        return queryset.filter(wanted)

    def filter_expiring(self, queryset, name, value):
        start, end = expiring_soon()
        window = Q(expires_on__gte=start, expires_on__lte=end)
        return queryset.filter(window) if value else queryset.exclude(window)
