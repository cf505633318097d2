"""Reads of the geography and the composition of profile pages from each app's section (``profiles``)."""

from django.shortcuts import get_object_or_404

from .models import Municipality, State
from .profiles import registered_sections


def state_detail(code: str) -> State:
    return get_object_or_404(State, code=code)


def municipality_list():
    return Municipality.objects.select_related("state")


def municipality_detail(inegi_code: str) -> Municipality:
    return get_object_or_404(Municipality.objects.select_related("state"), inegi_code=inegi_code)


def state_sections(state, user, *, complete: bool = False) -> list[dict]:
    return [section.state_section(state, user, complete=complete) for section in registered_sections()]


def municipality_sections(municipality, user, *, complete: bool = False) -> list[dict]:
    return [section.municipality_section(municipality, user, complete=complete) for section in registered_sections()]


def comparison() -> tuple[list[tuple[str, str]], list[dict]]:
    """All 32 states side by side: ``(columns, rows)`` with one value per column (None = sin datos)."""
    columns, values = [], {}
    for section in registered_sections():
        columns += section.COMPARISON_COLUMNS
        for code, row in section.comparison_values().items():
            values.setdefault(code, {}).update(row)
    rows = [
        {"state": state, "values": [values.get(state.code, {}).get(key) for key, _label in columns]}
        for state in State.objects.all()
    ]
    return columns, rows
