"""Background work of the agreements workflow. Tasks take plain ids and the step they expect."""

import smtplib
from datetime import timedelta

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from . import selectors, services


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    retry_backoff_max=120,
    max_retries=5,
)
def workflow_advance_task(agreement_id: int, expected_step: int) -> bool:
    """Walk the automatic steps of one case from ``expected_step``; a stale step is a no-op."""
    return services.agreement_walk_automatic(agreement_id=agreement_id, expected_step=expected_step) > 0


@shared_task(acks_late=True)
def workflow_sweep_task(older_than_seconds: int = 120) -> int:
    """Re-queue cases waiting on an automatic step for too long (lost message, crashed worker)."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    stalled = selectors.stalled_automatic_cases(entered_before=cutoff)
    for agreement_id, step in stalled:
        workflow_advance_task.delay(agreement_id, step)
    return len(stalled)


@shared_task(acks_late=True, soft_time_limit=1800, time_limit=1900)
def registry_import_task(job_id: int) -> None:
    """Import an uploaded RAII CSV; progress is written on the ImportJob row."""
    services.import_job_run(job_id=job_id)


@shared_task(acks_late=True)
def registry_stats_warm_task() -> None:
    """After a registry change: the unfiltered statistics, counted before the next visitor asks."""
    selectors.registry_stats_warm()


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


@shared_task(
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def email_send_task(address: str, subject: str, body: str) -> None:
    """One plain e-mail to someone without a portal account (a focal point)."""
    from django.core.mail import send_mail

    send_mail(subject, body, None, [address])
