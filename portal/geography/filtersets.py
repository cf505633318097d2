import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.filtersets import PortalFilterSet
from portal.core.text import fold

from .models import Municipality, State


def _states():
    return [("", _("Todas")), *State.objects.values_list("code", "short_name")]


class MunicipalityFilterSet(PortalFilterSet):
    """Municipality search by name, accent- and case-insensitive, across all 2,478.

    A word matches INEGI's name, the seat (cabecera) or the name people use ("Ciudad Juárez").
    """

    q = django_filters.CharFilter(method="search", label=_("Nombre, cabecera o clave INEGI"), widget=forms.SearchInput)
    state = django_filters.CharFilter(field_name="state_id", label=_("Entidad"), widget=forms.Select(choices=_states))

    class Meta:
        model = Municipality
        fields = ["q", "state"]

    def search(self, queryset, name, value):
        value = value.strip()
        if value.isdigit():
            return queryset.filter(inegi_code__startswith=value)
        for word in fold(value).split():
            queryset = queryset.filter(search_alias__contains=word)
        return queryset
