"""The API's one error shape: every error body is detail (a message in the caller's language), code and,
for invalid input, errors by field.

Apart from portal.core.api (the renderer and parser the REST framework settings name): importing
rest_framework.views reads those settings, which import portal.core.api; that module never imports
rest_framework.views, so either can be imported first."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .exceptions import ApplicationError


def exception_handler(exc, context):
    """Render ApplicationError and Django ValidationError like DRF errors, with a stable code."""
    if isinstance(exc, ApplicationError):
        body = {"detail": str(exc.message), "code": exc.code}
        if exc.field_errors:
            body["errors"] = {k: [str(m) for m in v] for k, v in exc.field_errors.items()}
        return Response(body, status=exc.status)
    if isinstance(exc, RequestDataTooBig):
        # DRF reads JSON and form bodies through request.body, which Django refuses past DATA_UPLOAD_MAX_MEMORY_SIZE.
        detail = _("La solicitud excede el tamaño máximo de %(kb)s KB (sin contar archivos).") % {
            "kb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
        }
        return Response({"detail": detail, "code": "request_too_large"}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            errors = {k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()}
        else:
            errors = {"non_field_errors": [str(m) for m in exc.messages]}
        first = next(iter(errors.values()))[0]
        return Response({"detail": first, "code": "invalid", "errors": errors}, status=status.HTTP_400_BAD_REQUEST)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    # DRF's own errors in the same shape as the application's: {"detail", "code", "errors" for invalid input}.
    if isinstance(exc, exceptions.ValidationError):
        errors = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = {"detail": _first_message(errors), "code": "invalid", "errors": errors}
    elif isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        response.data = {"detail": str(exc.detail), "code": codes if isinstance(codes, str) else exc.default_code}
    return response


def _first_message(errors) -> str:
    while isinstance(errors, dict | list) and errors:
        errors = next(iter(errors.values())) if isinstance(errors, dict) else errors[0]
    return str(errors) if errors else str(_("Revise los datos marcados."))
