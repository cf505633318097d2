from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .health import run_checks


@never_cache
def healthz(request):
    checks = run_checks()
    healthy = all(v == "ok" for v in checks.values())
    body = {
        "status": "ok" if healthy else "unavailable",
        "checks": checks,
        "mode": "eager" if settings.CELERY_TASK_ALWAYS_EAGER else "broker",
    }
    return JsonResponse(body, status=200 if healthy else 503)


def home(request):
    """Landing page: what each role does next, drawn from the home selectors of each app."""
    from agreements.selectors import home_summary
    from agreements.workflow import ACTOR_LABELS, STEPS

    steps = [
        {"number": s.number, "name": s.name, "automatic": s.automatic, "actor_label": ACTOR_LABELS[s.actor]}
        for s in STEPS
    ]
    return render(request, "core/home.html", {"summary": home_summary(request.user), "steps": steps})
