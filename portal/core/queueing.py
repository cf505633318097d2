"""Queueing follow-up work after a commit, when a periodic job makes up for a lost message."""

import logging

from kombu.exceptions import OperationalError as BrokerUnavailable

logger = logging.getLogger(__name__)


def enqueue(task, *args, catch_up: str, **kwargs) -> bool:
    """``task.delay(*args, **kwargs)``; an unreachable broker is logged rather than raised.

    For work queued on commit: the change is already saved, so failing the user's request would only hide
    it. ``catch_up`` names what makes up for the lost message (a beat job), for the log.
    """
    try:
        task.delay(*args, **kwargs)
    except BrokerUnavailable:
        logger.warning("%s not queued: the broker is unavailable; %s will catch up", task.name, catch_up)
        return False
    return True
