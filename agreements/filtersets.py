import django_filters
from django.db.models import Exists, OuterRef
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portal.core.filtersets import PortalFilterSet
from portal.core.widgets import PickerSelectMultiple, YesNoAllSelect

from . import workflow
from .choices import Assigned, Kind, Status, Theme
from .models import Agreement, Dictamen
from .selectors import assigned_to_q, case_search


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
        return case_search(queryset, value, prefix=self.case_prefix)

    def filter_assigned(self, queryset, name, value):
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


class DashboardFilterSet(PortalFilterSet):
    """The DGCP dashboard's filter: ``paso``, one of the workflow's steps. Another value is said (the page shows
    every step), never a 500: ``²`` passes ``isdigit()`` but not ``int()``."""

    paso = django_filters.ChoiceFilter(
        field_name="current_step",
        choices=[(str(s.number), s.name) for s in workflow.STEPS],
        label=_("Paso"),
        error_messages={"invalid_choice": _("El paso «%(value)s» no existe; se muestran todos los pasos.")},
    )

    class Meta:
        model = Agreement
        fields = ["paso"]
