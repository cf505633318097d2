"""The rules a registry entry's data must meet, shared by ``RegistryEntry`` (field validators and ``clean()``) and
the RAII import, so that both refuse the same data with the same words.

Plain functions over values, errors by model field: the model passes its own values, the import the cells it
parsed and the state of each municipality it loaded once (so that a large import does not query row by row).
Nothing here imports a model.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from agreements.choices import REGISTRY_NUMBER_HELP, is_registry_number
from agreements.validators import counterpart_place_errors, registration_date_errors
from portal.institutions.choices import Level

__all__ = [
    "entry_errors",
    "government_errors",
    "termination_date_errors",
    "validate_registry_number",
]


def validate_registry_number(value: str) -> None:
    """A registry number is part of permanent URLs: letters, digits, ``.``, ``-`` and ``_`` only."""
    if value and not is_registry_number(value):
        raise ValidationError(capfirst(str(REGISTRY_NUMBER_HELP)), code="invalid_registry_number")


def government_errors(
    *, level: str, state_id: str | None, municipality_id: str | None, municipality_state_id: str | None
) -> dict[str, list[str]]:
    """A municipal entry names a municipality of its state; a state entry names none.

    ``municipality_state_id`` is the state of the municipality named (None when the code is unknown: the
    municipality's own check says so, and whether it belongs to the state is not asked)."""
    if level == Level.MUNICIPAL:
        if not municipality_id:
            return {"municipality": [_("Un acuerdo municipal requiere la clave INEGI de su municipio.")]}
        if state_id and municipality_state_id and municipality_state_id != state_id:
            return {
                "municipality": [
                    _("El municipio %(m)s no pertenece a la entidad %(s)s.") % {"m": municipality_id, "s": state_id}
                ]
            }
    elif level == Level.STATE and municipality_id:
        return {"municipality": [_("Un acuerdo estatal no lleva municipio.")]}
    return {}


def termination_date_errors(*, signed_on: dt.date | None, terminated_on: dt.date | None) -> dict[str, list[str]]:
    """An agreement ends after it is signed."""
    if isinstance(signed_on, dt.date) and isinstance(terminated_on, dt.date) and terminated_on < signed_on:
        return {
            "terminated_on": [
                _("La terminación no puede ser anterior a la firma (%(d)s).") % {"d": f"{signed_on:%d/%m/%Y}"}
            ]
        }
    return {}


def entry_errors(values: Mapping[str, Any], *, municipality_state_id: str | None) -> dict[str, list[str]]:
    """The rules between an entry's fields: its government (``government_errors``), where its counterpart is
    (``agreements.validators.counterpart_place_errors``) and its dates in order (inscribed, ending and terminated
    after it was signed). Errors by model field; empty when valid.

    ``values`` maps the entry's attributes (``level``, ``state_id``, ``signed_on``, …) to their values. One left
    out (a cell of the import that did not parse: its own error says why) skips the rules that read it; a date
    that is None has nothing to be compared with.
    """
    errors: dict[str, list[str]] = {}

    def add(found: dict[str, list[str]]) -> None:
        for name, messages in found.items():
            errors.setdefault(name, []).extend(messages)

    if {"level", "state_id", "municipality_id"} <= values.keys():
        add(
            government_errors(
                level=values["level"],
                state_id=values["state_id"],
                municipality_id=values["municipality_id"],
                municipality_state_id=municipality_state_id,
            )
        )
    if {"counterpart_type", "counterpart_country"} <= values.keys():
        add(
            counterpart_place_errors(
                counterpart_type=values["counterpart_type"],
                country=values["counterpart_country"] or "",
                subdivision=values.get("counterpart_subdivision") or "",
            )
        )
    signed_on, expires_on = values.get("signed_on"), values.get("expires_on")
    add(registration_date_errors(signed_on=signed_on, registered_on=values.get("registered_on")))
    if isinstance(signed_on, dt.date) and isinstance(expires_on, dt.date) and expires_on < signed_on:
        add({"expires_on": [_("La vigencia no puede terminar antes de la firma.")]})
    add(termination_date_errors(signed_on=signed_on, terminated_on=values.get("terminated_on")))
    return errors
