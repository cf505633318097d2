"""The outbox: every notice not yet e-mailed, sent in batches over one SMTP connection (``notification_outbox_flush``,
run by ``tasks.notification_outbox_flush_task`` when ``services.notification_send`` asks for it and every minute
by beat)."""

import logging
import smtplib

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from . import events
from .models import Notification

__all__ = ["OUTBOX_BATCH_SIZE", "OUTBOX_FLUSH_QUEUED_KEY", "notification_outbox_flush"]

logger = logging.getLogger(__name__)

OUTBOX_FLUSH_QUEUED_KEY = "notifications:outbox-flush-queued"
OUTBOX_BATCH_SIZE = 50  # row locks are held while a batch is sent


def _email(notification: Notification) -> EmailMultiAlternatives:
    """The notice's e-mail, in the recipient's preferred language (es-MX until they choose), with its files."""
    language = notification.recipient.email_language
    subject, body = notification.rendered(language)
    link = f"{settings.PORTAL_BASE_URL}{notification.url}" if notification.url else ""
    context = {"notification": notification, "subject": subject, "body": body, "link": link}
    with translation.override(language):
        message = EmailMultiAlternatives(
            subject=f"[Portal AII] {subject}",
            body=render_to_string("notifications/emails/notification_body.txt", context),
            to=[notification.recipient.email],
        )
        message.attach_alternative(
            render_to_string("notifications/emails/notification_body.html", context), "text/html"
        )
    if notification.event:
        for attachment in events.attachments_for(notification.event, notification.params):
            message.attach(attachment.name, attachment.content, attachment.mimetype)
    return message


def _permanent(exc: Exception) -> bool:
    """A refusal of this one message (its address, its content), which sending again would not change."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return True
    return isinstance(exc, smtplib.SMTPDataError) and exc.smtp_code >= 500


def notification_outbox_flush(*, batch_size: int = OUTBOX_BATCH_SIZE) -> int:
    """E-mail every notification not yet e-mailed; returns how many were handled.

    Each batch is claimed with ``SKIP LOCKED`` (two flushes never send the same notice) and sent over one
    connection. Whatever stops a batch midway (the mail server, the task's time limit, a bug), the notices
    already accepted are marked before the error goes up, so a retry sends only the rest. A message refused
    for good (its address, its content) or that cannot be composed is logged and not retried, so it never
    blocks the ones behind it. Only a worker killed outright can send a batch's messages twice: delivery is
    at least once.
    """
    cache.delete(OUTBOX_FLUSH_QUEUED_KEY)  # notices committed from now on queue another flush
    handled = 0
    while True:
        failure = None
        with transaction.atomic():
            pending = list(
                Notification.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(emailed_at=None)
                .select_related("recipient", "agreement__institution")
                .order_by("id")[:batch_size]
            )
            done = []
            try:
                with get_connection() as connection:
                    for notification in pending:
                        try:
                            message = _email(notification)
                        except Exception:
                            logger.exception("notification %s: its e-mail could not be composed", notification.pk)
                            done.append(notification.pk)
                            continue
                        try:
                            connection.send_messages([message])
                        except Exception as exc:
                            if not _permanent(exc):
                                raise
                            logger.warning(
                                "notification %s: the mail server refused it for good: %s", notification.pk, exc
                            )
                        done.append(notification.pk)
            except Exception as exc:  # the server is down or hung up, the time limit, anything: keep what went out
                failure = exc
            if done:
                Notification.objects.filter(pk__in=done).update(emailed_at=timezone.now())
        handled += len(done)
        if failure is not None:
            raise failure
        if len(pending) < batch_size:
            return handled
