import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from portal.core.filtersets import PortalFilterSet
from portal.core.widgets import YesNoAllSelect

from .choices import InstitutionalForm, Population, Service
from .models import MigrantOffice, OfficeAbroad


class MigrantOfficeFilterSet(PortalFilterSet):
    state = django_filters.CharFilter(field_name="institution__state_id", label=_("Entidad (clave INEGI)"))
    municipality = django_filters.CharFilter(field_name="institution__municipality_id", label=_("Municipio (clave)"))
    level = django_filters.ChoiceFilter(
        field_name="institution__level",
        choices=[("state", _("Estatal")), ("municipal", _("Municipal"))],
        label=_("Nivel"),
        empty_label=_("Todos"),
    )
    institutional_form = django_filters.ChoiceFilter(
        choices=InstitutionalForm.choices, label=_("Forma"), empty_label=_("Todas")
    )
    population = django_filters.ChoiceFilter(
        choices=Population.choices, method="has_key", label=_("Población"), empty_label=_("Todas")
    )
    service = django_filters.ChoiceFilter(
        choices=Service.choices, method="has_key", label=_("Servicio"), empty_label=_("Todos")
    )
    has_offices_abroad = django_filters.BooleanFilter(
        method="abroad", label=_("Con oficinas fuera de la entidad"), widget=YesNoAllSelect
    )

    class Meta:
        model = MigrantOffice
        fields = ["state", "municipality", "level", "institutional_form", "population", "service", "has_offices_abroad"]

    def has_key(self, queryset, name, value):
        """Offices with that key: one indexed join on the many-to-many table (a pair is unique: no duplicates)."""
        field = "populations" if name == "population" else "services"
        return queryset.filter(**{field: value})

    def abroad(self, queryset, name, value):
        exists = Exists(OfficeAbroad.objects.filter(office_id=OuterRef("pk")))
        return queryset.filter(exists) if value else queryset.exclude(exists)
