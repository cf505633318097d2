from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from .models import Notification


def notification_send(*, recipients, template: str, context: dict, url: str = "") -> list[Notification]:
    """Create in-app notifications from ``<template>_subject.txt``/``_body.txt`` and e-mail them on commit.

    Rendered in Spanish (es-MX), the portal's official language for correspondence.
    """
    from .tasks import notification_email_task

    unique = {u.pk: u for u in recipients if u is not None and u.is_active}
    with translation.override("es-mx"):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body = render_to_string(f"{template}_body.txt", context).strip()
    notifications = Notification.objects.bulk_create(
        [Notification(recipient=u, subject=subject, body=body, url=url) for u in unique.values()]
    )
    ids = [n.pk for n in notifications if n.pk]
    if not ids:  # SQLite before 3.35 does not return primary keys from bulk_create
        ids = list(
            Notification.objects.filter(recipient__in=unique.values(), subject=subject, emailed_at=None).values_list(
                "pk", flat=True
            )
        )
    transaction.on_commit(lambda: notification_email_task.delay(ids))
    return notifications


def notification_mark_read(*, user, notification_id: int | None = None) -> int:
    from django.utils import timezone

    qs = Notification.objects.filter(recipient=user, read_at=None)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())
