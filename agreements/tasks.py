"""Background work of the agreements workflow. Tasks take plain ids and the step they expect."""

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
