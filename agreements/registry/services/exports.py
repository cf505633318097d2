"""Registry exports too large for one request: queued, written to a file with progress, expiring.

A request whose export fits (``exports.fits_in_a_request``) gets the file at once; any other gets a job that
the worker writes with the same writers, so the file is the same either way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import tempfile

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from portal.core.queueing import enqueue, enqueue_on_commit

from .. import exports
from ..filtersets import RegistryFilterSet
from ..models import ExportJob
from ..selectors import registered_agreements, registry_version

__all__ = ["ExportsBusy", "export_job_run", "export_job_start", "export_jobs_housekeeping", "export_params"]

logger = logging.getLogger(__name__)

# Parameters that choose the format or the page, not the rows.
_NOT_FILTERS = {"formato", "file_format", "cursor", "page", "despues", "antes", "json"}
# A running job whose worker died is given back to the queue after the task's hard time limit.
STALLED_AFTER = dt.timedelta(minutes=35)


class ExportsBusy(Exception):
    """Too many exports are waiting: the caller is asked to try again later."""


def export_params(query: QueryDict) -> dict[str, list[str]]:
    """The filters of an export request, as sorted lists of non-empty values."""
    return {
        name: sorted(v for v in query.getlist(name) if v)
        for name in sorted(query)
        if name not in _NOT_FILTERS and any(query.getlist(name))
    }


def _fingerprint(file_format: str, params: dict, version: int) -> str:
    raw = json.dumps([file_format, params, version], sort_keys=True, ensure_ascii=True)
    return hashlib.sha256(raw.encode()).hexdigest()


def export_job_start(*, file_format: str, params: dict[str, list[str]], user=None) -> ExportJob:
    """The job writing this export: an identical one still valid for the same registry is reused."""
    from agreements.registry.tasks import registry_export_task

    now = timezone.now()
    fingerprint = _fingerprint(file_format, params, registry_version())
    with transaction.atomic():
        reusable = (
            ExportJob.objects.filter(fingerprint=fingerprint, expires_at__gt=now)
            .exclude(status=ExportJob.Status.FAILED)
            .first()
        )
        if reusable:
            return reusable
        if ExportJob.objects.filter(status=ExportJob.Status.PENDING).count() >= settings.EXPORT_MAX_PENDING:
            raise ExportsBusy
        job = ExportJob.objects.create(
            file_format=file_format,
            params=params,
            fingerprint=fingerprint,
            created_by=user if user is not None and user.is_authenticated else None,
            expires_at=now + dt.timedelta(hours=settings.EXPORT_TTL_HOURS),
        )
        enqueue_on_commit(registry_export_task, str(job.pk), catch_up="the export housekeeping")
    return job


def export_job_run(*, job_id: str) -> None:
    """Write one queued export; a job already taken, finished or expired is left alone."""
    claimed = ExportJob.objects.filter(
        pk=job_id, status=ExportJob.Status.PENDING, expires_at__gt=timezone.now()
    ).update(status=ExportJob.Status.RUNNING, started_at=timezone.now(), processed_rows=0)
    if not claimed:
        return
    job = ExportJob.objects.get(pk=job_id)
    query = QueryDict(mutable=True)
    for name, values in job.params.items():
        query.setlist(name, values)
    try:
        queryset = RegistryFilterSet(query or None, queryset=registered_agreements()).qs
        total = queryset.count()
        ExportJob.objects.filter(pk=job.pk).update(total_rows=total)

        def progress(done: int) -> None:
            ExportJob.objects.filter(pk=job.pk).update(processed_rows=done)

        with tempfile.TemporaryFile() as handle:
            exports.WRITERS[job.file_format](handle, queryset, progress)
            handle.seek(0)
            job.file.save(exports.filename(job.file_format), File(handle), save=False)
        ExportJob.objects.filter(pk=job.pk).update(
            file=job.file.name, status=ExportJob.Status.DONE, processed_rows=total, finished_at=timezone.now()
        )
    except Exception:
        logger.exception("registry export %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.FAILED, finished_at=timezone.now())


def export_jobs_housekeeping() -> tuple[int, int]:
    """Delete expired jobs and their files; queue again jobs whose message or worker was lost.

    Returns ``(deleted, requeued)``.
    """
    from agreements.registry.tasks import registry_export_task

    now = timezone.now()
    deleted = 0
    for job in ExportJob.objects.filter(expires_at__lte=now).iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        deleted += 1
    ExportJob.objects.filter(status=ExportJob.Status.RUNNING, started_at__lt=now - STALLED_AFTER).update(
        status=ExportJob.Status.PENDING
    )
    waiting = ExportJob.objects.filter(
        status=ExportJob.Status.PENDING, created_at__lt=now - dt.timedelta(minutes=2)
    ).values_list("pk", flat=True)
    requeued = sum(enqueue(registry_export_task, str(pk), catch_up="the next housekeeping") for pk in waiting)
    return deleted, requeued
