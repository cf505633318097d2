"""The Celery application and the single beat schedule."""

import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import task_postrun, task_prerun, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def close_old_database_connections(sender=None, **kwargs):
    """Around each task, close the connection only if it is broken or older than CONN_MAX_AGE, as Django
    does around a request. (Celery's own fixup would open a new PostgreSQL connection for every task;
    ``CELERY_DB_REUSE_MAX`` turns that off.) Eager tasks run inside the caller's transaction: left alone."""
    if sender is not None and getattr(sender.request, "is_eager", False):
        return
    from django.db import close_old_connections  # this module is imported before Django's settings are read

    close_old_connections()


def heavy_queue_only(queues) -> bool:
    """Whether a worker consuming ``queues`` (names) serves the heavy queue alone (``CELERY_HEAVY_QUEUE``)."""
    from django.conf import settings

    return bool(queues) and set(queues) == {settings.CELERY_HEAVY_QUEUE}


@worker_init.connect
def heavy_worker_lower_priority(sender=None, **kwargs):
    """A worker serving the heavy queue alone (docker-compose's ``worker-heavy``, ``-Q portal-heavy``) runs at the
    CPU priority ``CELERY_HEAVY_NICE`` lower than the web workers: a whole-registry export or a batch of
    certificates then takes the CPU the pages leave idle instead of slowing them (issue #14: a concurrent export
    slows list pages by ≤ 1.5×). Set in the worker's main process before its pool forks, so every child inherits
    it; a worker that also serves the default queue (``make worker``) keeps its priority: the workflow's steps and
    the e-mails are not background work. Returns the increment applied (0: none)."""
    from django.conf import settings

    queues = sender.app.amqp.queues.consume_from if sender is not None else {}
    increment = settings.CELERY_HEAVY_NICE
    if increment <= 0 or not heavy_queue_only(queues):
        return 0
    os.nice(increment)
    return increment


app.conf.beat_schedule = {
    # Stragglers: cases whose automatic step was queued but never ran (broker loss, crash).
    "agreements-sweep": {
        "task": "agreements.tasks.workflow_sweep_task",
        "schedule": crontab(minute="*/5"),
    },
    # The e-mail outbox: notices whose on-commit flush was lost (broker loss, crash, mail server down).
    "notifications-outbox": {
        "task": "portal.notifications.tasks.notification_outbox_flush_task",
        "schedule": crontab(minute="*"),
    },
    # Registry exports: expired files deleted, lost jobs queued again.
    "registry-exports-housekeeping": {
        "task": "agreements.registry.jobs.registry_exports_housekeeping_task",
        "schedule": crontab(minute="*/10"),
    },
    # Certificates of inscription whose task queued at step 12 was lost (broker down, crash).
    "registry-certificates-catch-up": {
        "task": "agreements.registry.tasks.registry_certificates_catch_up_task",
        "schedule": crontab(minute="*/5"),
    },
    "registry-expiry-reminders": {
        "task": "agreements.registry.tasks.registry_expiry_reminders_task",
        "schedule": crontab(hour=7, minute=0),
    },
    # Follow-up: a plan missing 60 days after registration, a six-monthly report due (each reminder once).
    "followup-reminders": {
        "task": "agreements.followup.tasks.followup_reminders_task",
        "schedule": crontab(hour=7, minute=15),
    },
}
