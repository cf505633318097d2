"""The Celery application and the single beat schedule."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Stragglers: cases whose automatic step was queued but never ran (broker loss, crash).
    "agreements-sweep": {
        "task": "agreements.tasks.workflow_sweep_task",
        "schedule": crontab(minute="*/5"),
    },
    "registry-expiry-reminders": {
        "task": "agreements.tasks.registry_expiry_reminders_task",
        "schedule": crontab(hour=7, minute=0),
    },
}
