"""The constancia de inscripción after step 12: rendered by a task of its own once the case's close commits.

Step 12 (``publish.registry_publish``) writes what must change together — the case closed, the public entry, the
notices — and queues ``registry_certificate_issue_task`` on commit; rendering the PDF (fonts, QR code: most of a
close's time) no longer holds the case's lock. A lost message (broker down, worker killed) is made up for by the
beat's ``registry_certificates_catch_up``, so every inscribed entry with a signed copy gets its certificate.
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.utils import timezone

from portal.core.exceptions import ValidationFailed
from portal.core.queueing import RETRY_SAFE_TASK

from ..selectors.entries import entries_missing_certificate
from .entries import registry_certificate_issue

__all__ = ["registry_certificate_issue_task", "registry_certificates_catch_up"]

logger = logging.getLogger(__name__)

# How long a new entry's own task has to issue its certificate before the catch-up does it.
CATCH_UP_AFTER = dt.timedelta(minutes=2)


@shared_task(
    name="agreements.registry.tasks.registry_certificate_issue_task",  # Celery finds it through ``tasks``
    **RETRY_SAFE_TASK,
)
def registry_certificate_issue_task(entry_id: int) -> bool:
    """Issue the certificate of one inscribed entry (a second delivery finds it issued and changes nothing)."""
    try:
        registry_certificate_issue(entry_id=entry_id)
    except ValidationFailed:  # no signed copy: nothing to certify (the catch-up skips such entries too)
        logger.warning("registry entry %s has no signed copy: no certificate issued", entry_id)
        return False
    return True


def registry_certificates_catch_up(*, older_than: dt.timedelta = CATCH_UP_AFTER, limit: int = 200) -> int:
    """Issue the certificates that workflow entries older than ``older_than`` still lack (their task was lost);
    at most ``limit`` per run, the oldest first. Returns how many were issued."""
    pending = entries_missing_certificate(created_before=timezone.now() - older_than)
    issued = 0
    for entry_id in pending[:limit]:
        registry_certificate_issue(entry_id=entry_id)
        issued += 1
    return issued
