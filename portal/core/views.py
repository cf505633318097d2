import logging

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache

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


def home(request):
    """Landing page: what each role does next, from the summary function the settings name."""
    return render(request, "core/home.html", import_string(settings.PORTAL_HOME_CONTEXT)(request.user))


def page_not_found(request, exception):
    """Django's 404 page; under /api/ the same JSON body as the API's own 404s (a path that matches no route)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("No se encontró el recurso solicitado."), "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception)
