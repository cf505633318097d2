"""Reads of the geography and the composition of profile pages from each app's section."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.module_loading import import_module

from .models import Municipality, State


def section_modules():
    return [import_module(path) for path in settings.PORTAL_PROFILE_SECTIONS]


def state_detail(code: str) -> State:
    return get_object_or_404(State, code=code)


def municipality_list():
    return Municipality.objects.select_related("state")


def municipality_detail(inegi_code: str) -> Municipality:
    return get_object_or_404(Municipality.objects.select_related("state"), inegi_code=inegi_code)


def state_sections(state, user) -> list[dict]:
    return [module.state_section(state, user) for module in section_modules()]


def municipality_sections(municipality, user) -> list[dict]:
    return [module.municipality_section(municipality, user) for module in section_modules()]


def comparison() -> tuple[list[tuple[str, str]], list[dict]]:
    """All 32 states side by side: ``(columns, rows)`` with one value per column (None = sin datos)."""
    columns, values = [], {}
    for module in section_modules():
        columns += module.COMPARISON_COLUMNS
        for code, row in module.comparison_values().items():
            values.setdefault(code, {}).update(row)
    rows = [
        {"state": state, "values": [values.get(state.code, {}).get(key) for key, _label in columns]}
        for state in State.objects.all()
    ]
    return columns, rows
