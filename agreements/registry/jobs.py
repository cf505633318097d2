"""The registry's queued jobs: each is started by a service here, run by a Celery task defined here, and written
with progress on its row.

* Exports too large for one request: queued, written to a file, expiring. A request whose export fits
  (``exports.fits_in_a_request``) gets the file at once; any other gets a job that the worker writes with the
  same writers, so the file is the same either way.
* Imports of the RAII CSV uploaded by an administrator (``services.registry_import`` does the work).
* Statistics of a filter set matching too many entries to count in a request (a broad search): counted into the
  statistics cache by a task, once however many visitors ask, while their pages say the figures are coming.

Above ``services`` (which never queue these): the start, the task and the work sit together without a cycle.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import tempfile

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone, translation
from django.utils.translation import get_language

from portal.core.queueing import enqueue, enqueue_on_commit
from portal.core.uploads import clean_name

from . import exports
from .filtersets import RegistryFilterSet
from .models import ExportJob, ImportJob
from .selectors import (
    STAT_DIMENSIONS,
    cached_registry_stats_many,
    counted_registry_stats_many,
    filter_key,
    registered_agreements,
    registry_stats_counting_key,
    registry_version,
)
from .services import registry_import

__all__ = [
    "STATS_RETRY_AFTER",
    "ExportsBusy",
    "StatsCounting",
    "export_job_run",
    "export_job_start",
    "export_jobs_housekeeping",
    "export_params",
    "import_job_run",
    "import_job_start",
    "registry_export_task",
    "registry_exports_housekeeping_task",
    "registry_import_task",
    "registry_stats_count",
    "registry_stats_count_run",
    "registry_stats_count_task",
    "stats_params",
]

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
            exports.WRITERS[job.file_format](handle, queryset, progress, paced=True)
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


# --- imports from the administrators' page --------------------------------------


def import_job_start(*, user, upload, dry_run: bool = False):
    """Store the uploaded CSV and queue its import; the page then follows the job's progress."""
    content = upload.read()
    with transaction.atomic():
        job = ImportJob(
            created_by=user, original_name=clean_name(upload.name or "")[:255] or "registro.csv", dry_run=dry_run
        )
        job.file.save("registro.csv", ContentFile(content), save=False)
        job.save()
        enqueue_on_commit(registry_import_task, job.pk, catch_up="an administrator starting the import again")
    return job


def import_job_run(*, job_id: int) -> None:
    """Run one queued import, writing progress on the job row as it goes (idempotent when finished)."""
    job = ImportJob.objects.get(pk=job_id)
    if job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED):
        return
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    with job.file.open("rb") as handle:
        content = handle.read()

    def progress(done, total):
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=done, total_rows=total)

    report = registry_import(content=content, dry_run=job.dry_run, progress=progress)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.DONE if report.ok else ImportJob.Status.FAILED,
        total_rows=report.total,
        processed_rows=report.total if report.ok else 0,
        created_count=report.created,
        updated_count=report.updated,
        unchanged_count=report.unchanged,
        errors=[{"line": e.line, "column": e.column, "message": str(e.message)} for e in report.errors],
        finished_at=timezone.now(),
    )


# --- statistics too broad to count in a request --------------------------------

# Seconds a page or an API client waits before asking again for statistics being counted.
STATS_RETRY_AFTER = 5
# The count's limits: a broad search at a million entries takes a few seconds.
STATS_SOFT_TIME_LIMIT, STATS_TIME_LIMIT = 120, 150
# A queued count whose message was lost (a broker restart) is queued again by the first visitor after this long; a
# running count's mark outlives it by no more than its time limit.
STATS_QUEUED_SECONDS = 600


class StatsCounting(Exception):
    """The statistics asked for are being counted in the background: ask again after ``retry_after`` seconds.

    ``state`` is ``"queued"`` (waiting for a worker) or ``"running"``."""

    def __init__(self, state: str):
        super().__init__(state)
        self.state = state if state == "running" else "queued"
        self.retry_after = STATS_RETRY_AFTER


def stats_params(filterset) -> dict[str, list[str]]:
    """The filters of a statistics request as the task rebuilds them: every non-empty value the filter set reads,
    in the order sent (a single-valued filter reads the last)."""
    data = filterset.data
    if not hasattr(data, "getlist"):
        return {}
    return {name: values for name in filterset.filters if (values := [value for value in data.getlist(name) if value])}


def registry_stats_count(filterset, dimensions=STAT_DIMENSIONS) -> dict[str, dict]:
    """The statistics of the entries ``filterset`` selects, where a request can afford them
    (``selectors.counted_registry_stats_many``: from the cache or the summary, or at most
    ``settings.REGISTRY_STATS_LIVE_MAX_ROWS`` matches counted live; a text search, never live).

    More matches: every dimension is counted by a task on the default queue (a few seconds: never behind an
    export on the heavy queue) into the cache the request reads, and
    ``StatsCounting`` is raised. One task per filter set, language and registry version (a mark in the cache says
    it is queued, then running): the visitors asking meanwhile queue nothing. Without a broker (the embedded
    default, Celery eager) the task runs in-process and the statistics are returned; with a broker that cannot
    be reached they are counted here, as before (slow, but never a page that waits for nothing)."""
    key = filter_key(filterset)
    queryset = filterset.qs
    # A text search is never counted on the request path: even counting whether its matches pass the limit reads
    # every entry of its words from the search indexes (130-170 ms for «educacion» at 1,000,000 entries).
    searching = any(value.strip() for value in stats_params(filterset).get("q", []))
    stats = counted_registry_stats_many(queryset, dimensions, key=key, max_live_rows=0 if searching else None)
    if stats is not None:
        return stats
    mark = registry_stats_counting_key(key)
    if cache.add(mark, "queued", timeout=STATS_QUEUED_SECONDS):
        language = get_language()
        if not enqueue(registry_stats_count_task, stats_params(filterset), language, catch_up="the next visitor"):
            cache.delete(mark)
            return cached_registry_stats_many(queryset, dimensions, key=key)
        # Counted already when eager: read from the cache only (counting the matches again cost as much again).
        stats = counted_registry_stats_many(queryset, dimensions, key=key, max_live_rows=0)
        if stats is not None:
            return stats
    raise StatsCounting(cache.get(mark) or "queued")


def registry_stats_count_run(*, params: dict[str, list[str]], language: str) -> None:
    """Count every statistic of a filter set into the cache, in ``language``, under the keys its requests read
    (``selectors.cached_registry_stats_many``); what is cached already is not counted again, so a message
    delivered twice costs nothing. The request's mark says ``running`` meanwhile and is removed at the end."""
    query = QueryDict(mutable=True)
    for name, values in params.items():
        query.setlist(name, values)
    with translation.override(language):
        filterset = RegistryFilterSet(query or None, queryset=registered_agreements())
        key = filter_key(filterset)
        mark = registry_stats_counting_key(key)
        cache.set(mark, "running", timeout=STATS_TIME_LIMIT)
        try:
            cached_registry_stats_many(filterset.qs, key=key)
        finally:
            cache.delete(mark)


# --- the Celery tasks (plain ids) -------------------------------------------------


@shared_task(acks_late=True, soft_time_limit=1800, time_limit=1900)
def registry_import_task(job_id: int) -> None:
    """Import an uploaded RAII CSV; progress is written on the ImportJob row."""
    import_job_run(job_id=job_id)


@shared_task(acks_late=True, soft_time_limit=1800, time_limit=1900)
def registry_export_task(job_id: str) -> None:
    """Write a registry export too large for one request; progress is written on the ExportJob row."""
    export_job_run(job_id=job_id)


@shared_task(acks_late=True, soft_time_limit=STATS_SOFT_TIME_LIMIT, time_limit=STATS_TIME_LIMIT)
def registry_stats_count_task(params: dict[str, list[str]], language: str) -> None:
    """Count the statistics of a filter set too broad for a request into the statistics cache."""
    registry_stats_count_run(params=params, language=language)


@shared_task(acks_late=True)
def registry_exports_housekeeping_task() -> tuple[int, int]:
    """Delete expired exports; queue again those whose message or worker was lost."""
    return export_jobs_housekeeping()
