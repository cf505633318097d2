from celery import shared_task

from . import outbox


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notification_outbox_flush_task() -> int:
    """E-mail the pending notifications (queued on commit by ``notification_send``, and every minute by beat)."""
    return outbox.notification_outbox_flush()
