"""The application's own errors; services raise them, one handler per interface renders them."""

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
