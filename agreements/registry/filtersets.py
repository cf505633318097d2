"""The public registry's one FilterSet, for its page, its API and its exports."""

import datetime as dt

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from agreements.choices import CounterpartType, EntryStatus, Kind, Region, Theme
from portal.core.filtersets import PortalFilterSet
from portal.core.text import fold
from portal.core.widgets import PickerSelect, YesNoAllSelect
from portal.geography import countries
from portal.geography.models import State

from .models import RegistryEntry
from .selectors.entries import entry_status_q, expiring_soon, in_force_q, registry_search


class YearFilter(django_filters.NumberFilter):
    """A calendar year: a whole number (``2020.5`` is refused, not silently truncated)."""

    field_class = forms.IntegerField


class CodeField(forms.CharField):
    """An ISO code, typed in any case (``us-tx``): filtered and shown as the code (``US-TX``), so the select of
    the page marks it chosen."""

    def to_python(self, value):
        return super().to_python(value).upper()

    def prepare_value(self, value):
        return value.strip().upper() if isinstance(value, str) else value


class CodeFilter(django_filters.CharFilter):
    field_class = CodeField


def _state_choices():
    return [("", _("Todas")), *State.objects.values_list("code", "short_name")]


def _country_choices():
    return [("", _("Todos")), *countries.country_choices()]


class RegistryFilterSet(PortalFilterSet):
    """The one filter set of the public registry: the HTML list (its form is drawn from this one: labels and
    choices are declared here), the API, exports and statistics."""

    q = django_filters.CharFilter(
        method="search",
        label=_("Buscar por título, contraparte o dependencia"),
        widget=forms.SearchInput(attrs={"placeholder": _("p. ej. cooperación técnica, Texas, hermanamiento")}),
    )
    state = django_filters.CharFilter(
        field_name="state_id", label=_("Entidad"), widget=PickerSelect(choices=_state_choices)
    )
    municipality = django_filters.CharFilter(
        method="filter_municipality",
        label=_("Municipio (nombre o clave INEGI)"),
        help_text=_("Escriba el nombre para ver sugerencias."),
        # municipality_search.js fills the list from the API: the 2,478 municipalities are never all sent.
        widget=forms.TextInput(
            attrs={
                "list": "municipality-options",
                "data-api": reverse_lazy("api:municipality-list"),
                "autocomplete": "off",
            }
        ),
    )
    level = django_filters.ChoiceFilter(
        choices=[("state", _("Estatal")), ("municipal", _("Municipal"))], label=_("Nivel"), empty_label=_("Todos")
    )
    counterpart_type = django_filters.ChoiceFilter(
        choices=CounterpartType.choices, label=_("Tipo de contraparte"), empty_label=_("Todos")
    )
    region = django_filters.ChoiceFilter(choices=Region.choices, label=_("Región"), empty_label=_("Todas"))
    country = CodeFilter(
        field_name="counterpart_country",
        label=_("País de la contraparte"),
        widget=PickerSelect(choices=_country_choices),
    )
    subdivision = CodeFilter(
        field_name="counterpart_subdivision",
        label=_("Estado o provincia de la contraparte"),
        help_text=_("Elija primero el país."),
        # Its options are the chosen country's (``form`` below); pickers.js reloads them when the country changes.
        widget=PickerSelect(depends_on="country", source=reverse_lazy("api:subdivision-list"), param="country"),
    )
    kind = django_filters.ChoiceFilter(choices=Kind.choices, label=_("Tipo de instrumento"), empty_label=_("Todos"))
    year_min = YearFilter(method="filter_year_min", label=_("Firmado desde (año)"), min_value=1900, max_value=2200)
    year_max = YearFilter(method="filter_year_max", label=_("Firmado hasta (año)"), min_value=1900, max_value=2200)
    in_force = django_filters.BooleanFilter(
        method="filter_in_force",
        label=_("Vigencia"),
        widget=YesNoAllSelect(yes=_("Vigentes"), no=_("Ya no vigentes")),
    )
    theme = django_filters.MultipleChoiceFilter(
        choices=Theme.choices, method="filter_theme", label=_("Temas"), widget=forms.CheckboxSelectMultiple
    )
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
            "kind",
            "year_min",
            "year_max",
            "in_force",
            "theme",
            "status",
            "expiring",
        ]

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            country = form["country"].value() or ""
            form.fields["subdivision"].widget.choices = lambda: [
                ("", _("Todos")),
                *countries.subdivision_choices(country),
            ]
        return self._form

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
