"""Queueing follow-up work after a commit, when a periodic job makes up for a lost message.

Work queued on commit never raises into the request: the change is already saved, so failing the user's
request would only hide it (and their retry would meet a 409). An unreachable broker is logged as a
warning; any other error of the callback (an eager task that fails, the cache) is logged with its trace.
"""

import logging

from django.db import OperationalError, transaction
from kombu.exceptions import OperationalError as BrokerUnavailable

logger = logging.getLogger(__name__)

# Celery options of a task that is safe to run twice (it checks the state it expects): acknowledged once it has run,
# delivered again if its worker dies, retried with backoff while the database cannot be reached.
RETRY_SAFE_TASK = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OperationalError,),
    "retry_backoff": True,
    "retry_backoff_max": 120,
    "max_retries": 5,
}


def enqueue(task, *args, catch_up: str, **kwargs) -> bool:
    """``task.delay(*args, **kwargs)``; an unreachable broker is logged rather than raised.

    ``catch_up`` names what makes up for the lost message (a beat job), for the log.
    """
    try:
        task.delay(*args, **kwargs)
    except BrokerUnavailable:
        logger.warning("%s not queued: the broker is unavailable; %s will catch up", task.name, catch_up)
        return False
    return True


def on_commit(func) -> None:
    """Run ``func`` once the transaction commits; an exception is logged, never raised into the request."""
    transaction.on_commit(func, robust=True)


def enqueue_on_commit(task, *args, catch_up: str, **kwargs) -> None:
    """``enqueue`` once the transaction commits (see ``on_commit``)."""

    def queue():
        enqueue(task, *args, catch_up=catch_up, **kwargs)

    queue.__qualname__ = f"enqueue({task.name})"  # what Django's log names when it fails
    on_commit(queue)
