import logging

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.generic import RedirectView

from .health import run_checks

logger = logging.getLogger(__name__)


@never_cache
def healthz(request):
    """200 or 503 for load balancers and monitors; the reasons (exception, host and port of a failing
    backend) only for staff and in the log, never to anonymous callers."""
    checks = run_checks()
    healthy = all(v == "ok" for v in checks.values())
    if not healthy:
        logger.warning("healthz: %s", "; ".join(f"{k}: {v}" for k, v in checks.items() if v != "ok"))
    body = {"status": "ok" if healthy else "unavailable"}
    if request.user.is_authenticated and request.user.is_staff:
        body["checks"] = checks
        body["mode"] = "eager" if settings.CELERY_TASK_ALWAYS_EAGER else "broker"
    return JsonResponse(body, status=200 if healthy else 503)


CHECK_LABELS = {
    "database": gettext_lazy("Base de datos"),
    "migrations": gettext_lazy("Estructura de la base de datos al día"),
    "cache": gettext_lazy("Memoria caché"),
    "broker": gettext_lazy("Cola de tareas en segundo plano"),
}


@never_cache
def service_status(request):
    """The same checks as /healthz, for people: a page in the portal's layout, without the technical reasons."""
    checks = run_checks()
    rows = [{"label": CHECK_LABELS.get(name, name), "ok": value == "ok"} for name, value in checks.items()]
    healthy = all(row["ok"] for row in rows)
    return render(
        request,
        "core/status.html",
        {"rows": rows, "healthy": healthy, "breadcrumbs": [(_("Estado del servicio"), None)]},
        status=200 if healthy else 503,
    )


class FaviconView(RedirectView):
    """Browsers and tools that ask for /favicon.ico get the portal's icon instead of a 404."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.svg")


def home(request):
    """Landing page: what each role does next, from the summary function the settings name."""
    return render(request, "core/home.html", import_string(settings.PORTAL_HOME_CONTEXT)(request.user))


def page_not_found(request, exception):
    """The portal's 404 page (templates/404.html, in the site's layout and the reader's language) whenever
    DEBUG is off, in development too; under /api/ the same JSON body as the API's own 404s."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("No se encontró el recurso solicitado."), "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """The 500 page in the site's layout and the reader's language; Django's bare page if even that fails
    (a broken database must not turn the error page into a second error)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Error interno del servidor."), "code": "server_error"}, status=500)
    try:
        return render(request, "500.html", status=500)
    except Exception:  # noqa: BLE001 - the fallback is the point
        logger.exception("the 500 page could not be rendered with the site layout")
        return defaults.server_error(request)
