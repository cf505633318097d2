"""The API's filter backend skips the filter set only when it could not filter anything
(``PortalFilterSet.filters_nothing``)."""

import django_filters
import pytest
from django import forms
from django.http import QueryDict

from agreements.registry.filtersets import RegistryFilterSet
from agreements.registry.models import RegistryEntry
from portal.core.filtersets import PortalFilterSet


@pytest.mark.parametrize(
    ("query", "nothing"),
    [
        ("", True),
        ("cursor=cD0yMDI0&page_size=10&format=json", True),  # the paginator's and the renderer's parameters
        ("state=14", False),
        ("year_min=", False),  # present though empty: the form decides
        ("theme=salud&theme=cultura", False),
        ("state_0=14", False),  # what a suffixed (range) widget of ``state`` would read
    ],
)
def test_the_registry_filters_nothing_only_without_its_parameters(query, nothing):
    assert RegistryFilterSet.filters_nothing(QueryDict(query)) is nothing


class _Required(PortalFilterSet):
    kind = django_filters.CharFilter(required=True)

    class Meta:
        model = RegistryEntry
        fields = ["kind"]


class _OwnFiltering(PortalFilterSet):
    class Meta:
        model = RegistryEntry
        fields = ["kind"]

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset).filter(automatic_renewal=True)


class _OwnForm(PortalFilterSet):
    class Meta:
        model = RegistryEntry
        fields = ["kind"]
        form = type("CheckedForm", (forms.Form,), {})


@pytest.mark.parametrize("filterset", [_Required, _OwnFiltering, _OwnForm])
def test_a_filter_set_that_may_act_on_empty_parameters_always_filters(filterset):
    # A required filter refuses the empty form; its own filter_queryset or form may filter or refuse regardless.
    assert filterset.filters_nothing(QueryDict("")) is False
