"""The application's own errors; services raise them, one handler per interface renders them."""

from collections.abc import Iterable, Mapping, Sequence

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    """Base error with a stable machine ``code``, a translated message and an HTTP status."""

    code = "application_error"
    status = 400
    default_message = _("No fue posible completar la operación.")

    def __init__(self, message=None, *, code=None, field_errors=None):
        self.message = message or self.default_message
        if code:
            self.code = code
        self.field_errors = field_errors or {}
        super().__init__(str(self.message))


class ValidationFailed(ApplicationError):
    code = "invalid"
    status = 400
    default_message = _("Revise los datos marcados.")

    @classmethod
    def from_fields(cls, errors: Mapping[str, Iterable]) -> "ValidationFailed":
        """Every field's messages (as text, each once); the first one is the message."""
        errors = {field: list(dict.fromkeys(str(m) for m in messages)) for field, messages in errors.items()}
        return cls(next(iter(errors.values()))[0], field_errors=errors)


def full_clean_or_fail(
    instance,
    *,
    only: Sequence[str] | None = None,
    exclude: Iterable[str] = (),
    extra: Mapping[str, list] | None = None,
    keys: Mapping[str, str] | None = None,
    **options,
) -> None:
    """``full_clean`` ``instance`` (only the fields named in ``only``, when given, their errors in that order;
    ``clean()`` always runs) and raise one :class:`ValidationFailed` with the model's messages by field, then
    ``extra``'s (rules on values the model does not hold, such as a list of rows still to create). ``keys``
    renames a model field to the name the caller knows it by (the API's input field). ``options`` go to
    ``full_clean`` (``validate_constraints=False``...)."""
    if only is not None:
        exclude = [f.name for f in instance._meta.fields if f.name not in only]
    errors: dict[str, list] = {}
    try:
        instance.full_clean(exclude=list(exclude), **options)
    except ValidationError as exc:
        errors = exc.message_dict
    for field, messages in (extra or {}).items():
        errors.setdefault(field, []).extend(messages)
    if errors:
        if only is not None:
            errors = dict(
                sorted(errors.items(), key=lambda item: only.index(item[0]) if item[0] in only else len(only))
            )
        keys = keys or {}
        raise ValidationFailed.from_fields({keys.get(field, field): messages for field, messages in errors.items()})


class PermissionDenied(ApplicationError):
    code = "permission_denied"
    status = 403
    default_message = _("No tiene permiso para realizar esta acción.")


class NotFound(ApplicationError):
    code = "not_found"
    status = 404
    default_message = _("No se encontró el recurso solicitado.")


class Conflict(ApplicationError):
    """The object changed state before this action could apply (another reviewer won)."""

    code = "conflict"
    status = 409
    default_message = _("El expediente cambió mientras usted trabajaba. Recargue la página e intente de nuevo.")
