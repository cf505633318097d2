"""Background work of the follow-up."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def followup_reminders_task() -> int:
    """Daily: remind signing offices of missing plans and due six-monthly reports (each reminder once)."""
    return services.followup_reminders_send()
