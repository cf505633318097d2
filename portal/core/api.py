from csp.constants import UNSAFE_INLINE
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, renderers, status
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .exceptions import ApplicationError


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DRF's HTML pages for the API, under the portal's Content-Security-Policy.

    DRF's own templates carry ``style=`` attributes (layout only), so these pages alone allow inline styles;
    their scripts are files, and ``script-src`` stays ``'self'``. Every portal page keeps ``style-src 'self'``.
    """

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            response._csp_update = {"style-src": [UNSAFE_INLINE]}
        return super().render(data, accepted_media_type, renderer_context)


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


# Deeper nesting than any of the API's inputs needs; a deeper document is refused before a serializer walks it.
MAX_JSON_DEPTH = 32


def _json_depth(data) -> int:
    """Nesting depth of parsed JSON, walked without recursion."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = value.values()
        elif not isinstance(value, list):
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_JSON_DEPTH:
            break
        stack.extend((item, depth + 1) for item in value)
    return deepest


class PortalJSONParser(JSONParser):
    """DRF's JSON parser with a depth limit: deeply nested JSON is a 400, not a RecursionError (500)."""

    def parse(self, stream, media_type=None, parser_context=None):
        message = _("El JSON anida demasiados niveles (máximo %(max)s).") % {"max": MAX_JSON_DEPTH}
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(message) from None
        if _json_depth(data) > MAX_JSON_DEPTH:
            raise ParseError(message)
        return data
