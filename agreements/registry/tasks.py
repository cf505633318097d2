"""Background work of the public registry. Tasks take plain ids. (The tasks the services queue after a write
are in ``background``.)"""

from celery import shared_task

from . import services
from .background import email_send_task, registry_stats_warm_task

__all__ = [
    "email_send_task",
    "registry_export_task",
    "registry_exports_housekeeping_task",
    "registry_expiry_reminders_task",
    "registry_import_task",
    "registry_stats_warm_task",
]


@shared_task(acks_late=True, soft_time_limit=1800, time_limit=1900)
def registry_import_task(job_id: int) -> None:
    """Import an uploaded RAII CSV; progress is written on the ImportJob row."""
    services.import_job_run(job_id=job_id)


@shared_task(acks_late=True, soft_time_limit=1800, time_limit=1900)
def registry_export_task(job_id: str) -> None:
    """Write a registry export too large for one request; progress is written on the ExportJob row."""
    services.export_job_run(job_id=job_id)


@shared_task(acks_late=True)
def registry_exports_housekeeping_task() -> tuple[int, int]:
    """Delete expired exports; queue again those whose message or worker was lost."""
    return services.export_jobs_housekeeping()


@shared_task(acks_late=True)
def registry_expiry_reminders_task() -> int:
    """Daily: remind signing offices 90, 30 and 7 days before an agreement ends and on the day (each once)."""
    return services.registry_expiry_reminders()
