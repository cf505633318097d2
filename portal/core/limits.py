"""How long free text may be: the bounds models, forms, serializers and services share.

A ``TextField`` with ``max_length`` only draws a ``maxlength`` attribute; Django does not validate it.
:func:`bounded_text_field` adds the validator, so model validation, forms built from the model and DRF's
``ModelSerializer`` (which reads ``max_length``) all refuse longer text; plain forms and input serializers read
the same figure with :func:`max_length_of`; services call :func:`check_lengths` for callers that skip both.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models

from .exceptions import ValidationFailed

NOTE = 2_000  # a reason, comment, reply or cover note: a few paragraphs
LONG_NOTE = 5_000  # a dictamen's summary, a partnership's activities: about two pages
OBSERVATIONS = 50  # observations in one dictamen


def bounded_text_field(verbose_name, *, max_length: int, **kwargs) -> models.TextField:
    """A ``TextField`` refused past ``max_length`` characters wherever the model is validated."""
    return models.TextField(verbose_name, max_length=max_length, validators=[MaxLengthValidator(max_length)], **kwargs)


def max_length_of(model, field_name: str) -> int:
    """The model field's bound, for the plain forms and input serializers that carry the same value."""
    return model._meta.get_field(field_name).max_length


def length_errors(model, **values) -> dict[str, list[str]]:
    """Messages for each of ``values`` longer than ``model``'s field of that name allows (non-strings skipped)."""
    errors = {}
    for name, value in values.items():
        if isinstance(value, str):
            try:
                MaxLengthValidator(max_length_of(model, name))(value)
            except ValidationError as exc:
                errors[name] = list(exc.messages)
    return errors


def check_lengths(model, **values) -> None:
    """Refuse values longer than ``model``'s fields allow, with Django's message in the reader's language."""
    errors = length_errors(model, **values)
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], field_errors=errors)


def check_length(field: str, value, max_length: int) -> None:
    """Refuse ``value`` past ``max_length`` characters (text not stored in a field of its own, such as a reason)."""
    if isinstance(value, str):
        try:
            MaxLengthValidator(max_length)(value)
        except ValidationError as exc:
            raise ValidationFailed(exc.messages[0], field_errors={field: list(exc.messages)}) from None
