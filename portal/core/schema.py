"""What the OpenAPI schema says beyond each view's own success response: the errors every operation may answer.

Every error body has one shape (``portal.core.api_errors.exception_handler``): ``detail`` (a message in the caller's
language), ``code`` (stable, machine-readable) and, for invalid input, ``errors`` by field.
"""

from django.utils.translation import gettext_lazy as _

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "Mensaje para la persona usuaria, en su idioma."},
        "code": {"type": "string", "description": "Código estable del error (p. ej. invalid, not_found, conflict)."},
        "errors": {
            "type": "object",
            "additionalProperties": True,
            "description": "Mensajes por campo (solo en datos no válidos).",
        },
    },
    "required": ["detail"],
}

ERRORS = {
    "400": _("Datos no válidos: parámetros, cuerpo o archivo rechazados (ver «errors»)."),
    "401": _("Sin credenciales válidas (sesión o token)."),
    "403": _("Sin permiso para esta operación, o falta el token CSRF de la sesión."),
    "404": _("No existe o no es visible para quien llama (la misma respuesta en ambos casos)."),
    "409": _("El expediente cambió de estado antes de aplicar esta acción."),
    "429": _("Demasiadas solicitudes; vuelva a intentar tras el tiempo indicado en Retry-After."),
}
UNSAFE = {"post", "put", "patch", "delete"}


def add_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: document 400/401/403/404/429 everywhere and 409 on every change."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in {"get", "head", *UNSAFE}:
                continue
            responses = operation.setdefault("responses", {})
            for status, description in ERRORS.items():
                if status == "409" and method not in UNSAFE:
                    continue
                responses.setdefault(status, {"description": str(description), "content": reference})
            if "429" in responses:
                responses["429"].setdefault(
                    "headers", {"Retry-After": {"schema": {"type": "integer"}, "description": "Segundos de espera."}}
                )
    return result
