"""The rules an agreement's data must meet, shared by the case model (``Agreement`` field validators and
``clean()``) and the registry import, so both refuse the same data with the same words.

Plain functions over values: nothing here imports a model, so both apps import it without a cycle.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .choices import CounterpartType
from .countries import is_country, is_subdivision_of

__all__ = [
    "counterpart_place_errors",
    "model_messages",
    "registration_date_errors",
    "validate_country_code",
    "validate_foreign_country",
]


def validate_country_code(value: str) -> None:
    """An ISO 3166-1 alpha-2 code (upper case), or empty for an international organisation."""
    if value and not is_country(value):
        raise ValidationError(
            _("«%(code)s» no es un código de país ISO 3166-1 válido."), code="invalid_country", params={"code": value}
        )


def validate_foreign_country(value: str) -> None:
    """An AII is signed with a foreign counterpart (LSCT art. 2 fr. II)."""
    if value == "MX":
        raise ValidationError(_("La contraparte de un AII debe ser extranjera."), code="domestic_counterpart")


def counterpart_place_errors(*, counterpart_type: str, country: str, subdivision: str) -> dict[str, list[str]]:
    """The counterpart's country and subdivision taken together: a foreign government names its country, and a
    subdivision belongs to the country given. Codes in upper case; errors by field (empty when valid)."""
    errors: dict[str, list[str]] = {}
    if not country and counterpart_type == CounterpartType.GOVERNMENT:
        errors["counterpart_country"] = [_("Indique el país del gobierno extranjero.")]
    if subdivision and not is_subdivision_of(subdivision, country):
        errors["counterpart_subdivision"] = [
            _("«%(code)s» no es una subdivisión ISO 3166-2 del país indicado.") % {"code": subdivision}
        ]
    return errors


def registration_date_errors(
    *, signed_on: dt.date | None, registered_on: dt.date | None, today: dt.date | None = None
) -> dict[str, list[str]]:
    """An agreement is inscribed after it is signed and, when ``today`` is given, not in the future."""
    if not isinstance(registered_on, dt.date):
        return {}
    if today is not None and registered_on > today:
        return {"registered_on": [_("La fecha de inscripción no puede estar en el futuro.")]}
    if isinstance(signed_on, dt.date) and registered_on < signed_on:
        return {"registered_on": [_("La fecha de inscripción no puede ser anterior a la firma.")]}
    return {}


def model_messages(model, name: str) -> dict:
    """The model field's own messages for a missing, unknown or malformed answer, keyed as form and DRF fields
    name them, so the page and the API word a mistake as the model does."""
    field = model._meta.get_field(name)
    messages = field.error_messages
    missing = messages["blank"] if field.get_internal_type() in ("CharField", "TextField") else messages["null"]
    found = {"required": missing, "blank": missing, "null": missing}
    if field.choices:
        found["invalid_choice"] = messages["invalid_choice"]
    if "invalid" in messages:
        found["invalid"] = messages["invalid"]
    return found
