"""Background work of the public registry, as Celery finds it (``autodiscover_tasks`` reads this module).

Tasks take plain ids. Each task lives beside the work it runs: queued jobs (import, export, housekeeping, broad
statistics) in
``jobs``, what the services queue after a write (statistics warm-up, plain e-mail) in ``background``, a closed
case's certificate in ``services.certificates``; the periodic catch-ups and daily reminders are here.
"""

from celery import shared_task

from . import services
from .background import email_send_task, registry_stats_warm_task
from .jobs import (
    registry_export_task,
    registry_exports_housekeeping_task,
    registry_import_task,
    registry_stats_count_task,
)
from .services.certificates import registry_certificate_issue_task

__all__ = [
    "email_send_task",
    "registry_certificate_issue_task",
    "registry_certificates_catch_up_task",
    "registry_export_task",
    "registry_exports_housekeeping_task",
    "registry_expiry_reminders_task",
    "registry_import_task",
    "registry_stats_count_task",
    "registry_stats_warm_task",
]


@shared_task(acks_late=True)
def registry_expiry_reminders_task() -> int:
    """Daily: remind signing offices 90, 30 and 7 days before an agreement ends and on the day (each once)."""
    return services.registry_expiry_reminders()


@shared_task(acks_late=True)
def registry_certificates_catch_up_task() -> int:
    """Every few minutes: the certificates of inscribed entries whose own task was lost (broker down, crash)."""
    return services.registry_certificates_catch_up()
