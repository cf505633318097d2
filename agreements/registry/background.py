"""Background work that registry writes queue after their commit: counting the statistics again, plain e-mails.

Kept apart from ``tasks`` (whose tasks run the services): the services import these without a cycle."""

import smtplib

from celery import shared_task
from django.core.cache import cache
from django.core.mail import send_mail

from .selectors.stats import REGISTRY_STATS_WARM_QUEUED_KEY, registry_stats_warm


@shared_task(acks_late=True)
def registry_stats_warm_task() -> None:
    """After a registry change: the unfiltered statistics, counted before the next visitor asks."""
    cache.delete(REGISTRY_STATS_WARM_QUEUED_KEY)  # changes committed from now on queue another count
    registry_stats_warm()


@shared_task(
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def email_send_task(address: str, subject: str, body: str) -> None:
    """One plain e-mail to someone without a portal account (a focal point)."""
    send_mail(subject, body, None, [address])
