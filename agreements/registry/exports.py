"""Open-data exports of the registry: streamed CSV and streamed XLSX (``portal.core.xlsxexport``), both flat memory.

Small exports are answered within the request; larger ones are written to a file by a background job
(``services.exports``) with the same writers.
"""

from __future__ import annotations

import contextlib
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

from portal.core import xlsxexport
from portal.core.csvexport import csv_pieces, streaming_csv, table_csv_response  # noqa: F401 - re-exported

from .columns import EXPORT_COLUMNS, EXPORT_LOOKUPS
from .models import RegistryAmendment

__all__ = [
    "CHUNK",
    "EXPORT_COLUMNS",
    "WRITERS",
    "WRITE_RESPONSES",
    "XLSX_TYPE",
    "csv_response",
    "export_values",
    "filename",
    "fits_in_a_request",
    "streaming_csv",
    "table_csv_response",
    "write_csv",
    "write_xlsx",
    "xlsx_response",
]

CHUNK = 2000


XLSX_TYPE = xlsxexport.XLSX_TYPE


def _with_amendments(queryset):
    changes = RegistryAmendment.objects.filter(entry=OuterRef("pk"))
    return queryset.annotate(
        amendment_count=Coalesce(
            Subquery(changes.order_by().values("entry").annotate(n=Count("id")).values("n")[:1]), Value(0)
        ),
        last_amendment=Subquery(changes.order_by("-registered_on", "-id").values("registry_number")[:1]),
    )


def export_values(queryset):
    """The rows the CSV/XLSX export writes, as one ``values_list`` statement over ``queryset`` (from
    ``selectors.registered_agreements``: it reads the status): the columns of ``columns.EXPORT_COLUMNS`` in order,
    newest signature first."""
    return _with_amendments(queryset).order_by("-signed_on", "-id").values_list(*EXPORT_LOOKUPS)


def _rows(queryset):
    """The CSV's rows as the statement reads them: ``csv.writer`` writes ``None`` as an empty cell and a date (every
    date column is a ``DateField``) as ``str(date)``, its ISO text, so no value is converted in Python first (a
    whole-registry job converted 21 values × 150,000 rows to the same text)."""
    return export_values(queryset).iterator(chunk_size=CHUNK)


@contextlib.contextmanager
def _own_connection(queryset):
    """A connection to the queryset's database of the caller's own, in a transaction, or None where there is none to
    open (not PostgreSQL, or already inside a transaction whose rows another connection would not see)."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield None
        return
    reader = connections.create_connection(queryset.db)
    try:
        reader.set_autocommit(False)
        yield reader
    finally:
        with contextlib.suppress(DatabaseError):
            reader.rollback()  # read only: nothing to keep
        reader.close()


# The export's columns that ``_with_amendments`` reads with two correlated subqueries per row.
_AMENDMENT_LOOKUPS = ("amendment_count", "last_amendment")


def _amendments_by_entry(reader) -> dict[int, tuple[int, str]]:
    """Each amended entry's number of amendments and its latest one's number (newest registration, then id), as
    ``_with_amendments``'s subqueries give them, from one statement on ``reader``."""
    query = (
        RegistryAmendment.objects.order_by("entry_id", "-registered_on", "-id")
        .values_list("entry_id", "registry_number")
        .query
    )
    found: dict[int, tuple[int, str]] = {}
    for entry_id, number in query.get_compiler(connection=reader).results_iter(tuple_expected=True):
        count, latest = found.get(entry_id, (0, number))
        found[entry_id] = (count + 1, latest)
    return found


def _paced_values(queryset) -> Iterator[tuple]:
    """``export_values(queryset)``'s rows read ``CHUNK`` at a time as the writer asks for them, for a background job.

    In autocommit (a Celery worker) Django declares its server-side cursor ``WITH HOLD``, and PostgreSQL then
    computes the whole export when the cursor is declared: for the whole registry, about a second of a core at the
    database's priority, in one burst, beside the pages it slows (issue #14). The rows are read here on a connection
    of the job's own, inside a transaction (the progress the job writes on its row stays visible on the worker's
    usual connection): a cursor without hold computes each chunk when it is fetched, so the database works at the
    pace of the writer, whose worker runs at a lower priority (``CELERY_HEAVY_NICE``).

    The amendments' two subqueries per row were about a third of the statement's time (1.84 s → 1.16 s for the
    150,044 entries of the bench); they are read apart, once, in the same snapshot (REPEATABLE READ), and joined
    here, in the worker whose priority is lowered. The same rows as ``export_values``, in the same order."""
    with _own_connection(queryset) as reader:
        if reader is None:
            yield from export_values(queryset).iterator(chunk_size=CHUNK)
            return
        with reader.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        amendments = _amendments_by_entry(reader)
        positions = [EXPORT_LOOKUPS.index(lookup) for lookup in _AMENDMENT_LOOKUPS]
        lookups = [
            lookup for lookup in EXPORT_LOOKUPS if not (isinstance(lookup, str) and lookup in _AMENDMENT_LOOKUPS)
        ]
        values = queryset.order_by("-signed_on", "-id").values_list("id", *lookups)
        none = (0, None)
        compiler = values.query.get_compiler(connection=reader)
        for row in compiler.results_iter(tuple_expected=True, chunked_fetch=True, chunk_size=CHUNK):
            cells = list(row[1:])
            for position, value in zip(positions, amendments.get(row[0], none), strict=True):
                cells.insert(position, value)
            yield tuple(cells)


def _duty_cycled(rows: Iterable[tuple], ratio: float) -> Iterator[tuple]:
    """``rows`` with a rest between each ``CHUNK`` of them and the next: ``ratio`` seconds per second the chunk
    took, from its first row asked for to the next chunk's first row read (the database computing and sending the
    rows, the writer writing them, the progress written on the job's row); ``ratio`` 0 or less, no rest. The rest
    comes once the next chunk is known to exist: none after the last.

    A background job's rows are computed by a PostgreSQL backend at the database's full priority, which the
    worker's nice (``CELERY_HEAVY_NICE``) does not reach: resting in proportion to the wall time keeps the job and
    its backend together to ``1 / (1 + ratio)`` of a core, and the job rests longer when the pages served beside it
    slow it down (issue #14). An export streamed within a request does not rest."""
    if ratio <= 0:
        yield from rows
        return
    started = time.monotonic()
    for done, row in enumerate(rows):
        if done and done % CHUNK == 0:
            time.sleep((time.monotonic() - started) * ratio)
            started = time.monotonic()
        yield row


def _job_rows(queryset) -> Iterator[tuple]:
    """A background job's rows: computed as they are written (``_paced_values``), resting between chunks
    (``_duty_cycled``, ``settings.EXPORT_JOB_PAUSE_RATIO``)."""
    return _duty_cycled(_paced_values(queryset), settings.EXPORT_JOB_PAUSE_RATIO)


def fits_in_a_request(queryset, file_format: str) -> bool:
    """Whether the export is small enough to answer within the request (a count capped at the limit)."""
    limit = settings.EXPORT_STREAM_MAX_ROWS[file_format]
    return queryset.order_by()[: limit + 1].count() <= limit


def _counted(rows: Iterable[list], progress: Callable[[int], None] | None) -> Iterable[list]:
    done = 0
    for row in rows:
        yield row
        done += 1
        if progress and done % CHUNK == 0:
            progress(done)
    if progress:
        progress(done)


def write_csv(handle, queryset, progress: Callable[[int], None] | None = None, *, paced: bool = False) -> None:
    """The CSV (UTF-8 with BOM, the streamed one's text) into a binary file, one write per piece of rows; ``paced``
    (a background job): the rows are computed as they are written and the job rests between chunks
    (``_job_rows``)."""
    rows = _job_rows(queryset) if paced else _rows(queryset)
    for piece in csv_pieces(_counted(rows, progress), EXPORT_COLUMNS):
        handle.write(piece.encode("utf-8"))


def write_xlsx(handle, queryset, progress: Callable[[int], None] | None = None, *, paced: bool = False) -> None:
    """The workbook (streamed, flat memory) into a binary file: the cells as ``export_values`` reads them (text,
    numbers; dates as the CSV's ISO text), without the CSV's conversion to text; ``paced`` as for ``write_csv``."""
    rows = _job_rows(queryset) if paced else export_values(queryset).iterator(chunk_size=CHUNK)
    xlsxexport.write_xlsx(handle, "registro", EXPORT_COLUMNS, _counted(rows, progress))


WRITERS = {"csv": write_csv, "xlsx": write_xlsx}


def filename(extension: str) -> str:
    return f"registro-aii-{timezone.localdate():%Y%m%d}.{extension}"


def csv_response(queryset) -> StreamingHttpResponse:
    return streaming_csv(_rows(queryset), EXPORT_COLUMNS, filename("csv"))


def xlsx_response(queryset) -> FileResponse:
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    write_xlsx(handle, queryset)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename("xlsx"), content_type=XLSX_TYPE)


WRITE_RESPONSES = {"csv": csv_response, "xlsx": xlsx_response}
