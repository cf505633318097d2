"""Background work of the public registry, as Celery finds it (``autodiscover_tasks`` reads this module).

Tasks take plain ids. Each task lives beside the work it runs: queued jobs (import, export, housekeeping) in
``jobs``, what the services queue after a write (statistics warm-up, plain e-mail) in ``background``; the daily
reminders are here.
"""

from celery import shared_task

from . import services
from .background import email_send_task, registry_stats_warm_task
from .jobs import registry_export_task, registry_exports_housekeeping_task, registry_import_task

__all__ = [
    "email_send_task",
    "registry_export_task",
    "registry_exports_housekeeping_task",
    "registry_expiry_reminders_task",
    "registry_import_task",
    "registry_stats_warm_task",
]


@shared_task(acks_late=True)
def registry_expiry_reminders_task() -> int:
    """Daily: remind signing offices 90, 30 and 7 days before an agreement ends and on the day (each once)."""
    return services.registry_expiry_reminders()
