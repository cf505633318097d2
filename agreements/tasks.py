"""Background work of the agreements workflow, as Celery finds it (``autodiscover_tasks`` reads this module).

Tasks take plain ids and the step they expect. The walk of the automatic steps is declared beside the walk
(``services.walk``), which the services queue; the periodic sweep is here."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from portal.core.queueing import enqueue

from . import selectors
from .services.walk import workflow_advance_task

__all__ = ["workflow_advance_task", "workflow_sweep_task"]


@shared_task(acks_late=True)
def workflow_sweep_task(older_than_seconds: int = 120) -> int:
    """Re-queue cases waiting on an automatic step for too long (lost message, crashed worker)."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    stalled = selectors.stalled_automatic_cases(entered_before=cutoff)
    for agreement_id, step in stalled:
        enqueue(workflow_advance_task, agreement_id, step, catch_up="the next sweep")
    return len(stalled)
