import datetime as dt

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from agreements.registry.models import RegistryEntry
from portal.core.filtersets import PortalFilterSet
from portal.core.text import fold
from portal.core.widgets import PickerSelectMultiple, YesNoAllSelect

from . import workflow
from .choices import Assigned, CounterpartType, EntryStatus, Kind, Region, Status, Theme
from .models import Agreement, Dictamen


class AgreementFilterSet(PortalFilterSet):
    """The one filter set of the case list, shared by the HTML page and the API."""

    q = django_filters.CharFilter(method="search", label=_("Buscar (folio, título o contraparte)"))
    status = django_filters.MultipleChoiceFilter(
        choices=Status.choices,
        method="filter_status",
        label=_("Estado"),
        widget=PickerSelectMultiple(attrs={"data-picker-placeholder": _("Todos; escriba para elegir")}),
    )
    kind = django_filters.ChoiceFilter(choices=Kind.choices, label=_("Tipo de instrumento"), empty_label=_("Todos"))
    current_step = django_filters.ChoiceFilter(
        choices=[(str(s.number), format_lazy("{}. {}", s.number, s.name)) for s in workflow.STEPS],
        label=_("Paso actual"),
        empty_label=_("Todos"),
    )
    theme = django_filters.ChoiceFilter(
        choices=Theme.choices, method="filter_theme", label=_("Tema"), empty_label=_("Todos")
    )
    institution = django_filters.NumberFilter(field_name="institution_id", label=_("Dependencia"))
    state = django_filters.CharFilter(field_name="institution__state_id", label=_("Entidad (clave INEGI)"))
    is_late = django_filters.BooleanFilter(label=_("Fuera de plazo"), widget=YesNoAllSelect)

    class Meta:
        model = Agreement
        fields = ["q", "status", "kind", "current_step", "theme", "institution", "state", "is_late"]

    def search(self, queryset, name, value):
        from .selectors import case_search

        return case_search(queryset, value)

    def filter_status(self, queryset, name, value):
        # The status as the reader sees it (``visibility.reader_view``): a filer's case whose dictamen awaits the
        # DGCP is found as "in review", never as "dictamen issued".
        field = "shown_status" if "shown_status" in queryset.query.annotations else "status"
        return queryset.filter(**{f"{field}__in": value}) if value else queryset

    def filter_theme(self, queryset, name, value):
        # EXISTS instead of JOIN + DISTINCT: constant cost on the many-to-many.
        through = Agreement.themes.through
        return queryset.filter(Exists(through.objects.filter(agreement_id=OuterRef("pk"), theme_id=value)))


class InboxFilterSet(PortalFilterSet):
    """The filters of a review inbox (HTML and API): free text ``q`` and ``asignado`` (míos / sin asignar / todos).

    «Míos» are the cases whose named reviewer is the reader, and those of a reviewer who is away today and
    named the reader as delegate.
    """

    reviewer_field = ""  # the office's reviewer column, from the listed model
    case_prefix = ""  # the path from the listed model to the case

    q = django_filters.CharFilter(method="search", label=_("Buscar (folio, título o contraparte)"))
    asignado = django_filters.ChoiceFilter(
        choices=Assigned.choices, method="filter_assigned", empty_label=None, label=_("Asignación")
    )

    def search(self, queryset, name, value):
        from .selectors import case_search

        return case_search(queryset, value, prefix=self.case_prefix)

    def filter_assigned(self, queryset, name, value):
        from .selectors import assigned_to_q

        if value == Assigned.UNASSIGNED:
            return queryset.filter(**{f"{self.reviewer_field}__isnull": True})
        if value == Assigned.MINE:
            user = getattr(self.request, "user", None)
            return queryset.filter(assigned_to_q(user, self.reviewer_field)) if user else queryset.none()
        return queryset


class CjaInboxFilterSet(InboxFilterSet):
    reviewer_field = "cja_reviewer"

    class Meta:
        model = Agreement
        fields = ["q", "asignado"]


class DgcpInboxFilterSet(InboxFilterSet):
    reviewer_field = "agreement__dgcp_reviewer"
    case_prefix = "agreement__"

    class Meta:
        model = Dictamen
        fields = ["q", "asignado"]


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
        from .selectors import registry_search

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
        from .selectors import in_force_q

        return queryset.filter(in_force_q()) if value else queryset.exclude(in_force_q())

    def filter_entry_status(self, queryset, name, value):
        from .selectors import entry_status_q

        if not value:
            return queryset
        wanted = Q()
        for status in value:
            wanted |= entry_status_q(status)
        return queryset.filter(wanted)

    def filter_expiring(self, queryset, name, value):
        from .selectors import expiring_soon

        start, end = expiring_soon()
        window = Q(expires_on__gte=start, expires_on__lte=end)
        return queryset.filter(window) if value else queryset.exclude(window)
