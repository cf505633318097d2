import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import Kind, Status, Theme
from .models import Agreement


class AgreementFilterSet(django_filters.FilterSet):
    """The one filter set of the case list, shared by the HTML page and the API."""

    q = django_filters.CharFilter(method="search", label=_("Buscar (folio, título o contraparte)"))
    status = django_filters.MultipleChoiceFilter(choices=Status.choices, label=_("Estado"))
    kind = django_filters.ChoiceFilter(choices=Kind.choices, label=_("Tipo de instrumento"))
    current_step = django_filters.NumberFilter(label=_("Paso actual"))
    theme = django_filters.ChoiceFilter(choices=Theme.choices, method="filter_theme", label=_("Tema"))
    institution = django_filters.NumberFilter(field_name="institution_id", label=_("Dependencia"))
    state = django_filters.CharFilter(field_name="institution__state_id", label=_("Entidad (clave INEGI)"))
    is_late = django_filters.BooleanFilter(label=_("Fuera de plazo"))

    class Meta:
        model = Agreement
        fields = ["q", "status", "kind", "current_step", "theme", "institution", "state", "is_late"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(folio__iexact=value) | Q(title__icontains=value) | Q(counterpart_name__icontains=value)
        )

    def filter_theme(self, queryset, name, value):
        # EXISTS instead of JOIN + DISTINCT: constant cost on the many-to-many.
        from django.db.models import Exists, OuterRef

        through = Agreement.themes.through
        return queryset.filter(Exists(through.objects.filter(agreement_id=OuterRef("pk"), theme_id=value)))
