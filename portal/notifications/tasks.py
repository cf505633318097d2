from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Notification


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notification_email_task(notification_ids: list[int]) -> int:
    """E-mail the notifications not yet e-mailed; safe to run twice (emailed_at marks each one)."""
    sent = 0
    pending = Notification.objects.filter(pk__in=notification_ids, emailed_at=None).select_related("recipient")
    for notification in pending:
        link = f"{settings.PORTAL_BASE_URL}{notification.url}" if notification.url else ""
        context = {"notification": notification, "link": link}
        message = EmailMultiAlternatives(
            subject=f"[Portal AII] {notification.subject}",
            body=render_to_string("notifications/emails/notification_body.txt", context),
            to=[notification.recipient.email],
        )
        message.attach_alternative(
            render_to_string("notifications/emails/notification_body.html", context), "text/html"
        )
        message.send()
        Notification.objects.filter(pk=notification.pk, emailed_at=None).update(emailed_at=timezone.now())
        sent += 1
    return sent
