"""Registry exports of any size: small ones answered at once, large ones written by a job, never cut short."""

import csv
import datetime as dt
import io

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from agreements.registry import exports, jobs, services
from agreements.registry.models import ExportJob
from tests.registry.test_registry import ROWS, csv_bytes

pytestmark = pytest.mark.django_db

SMALL_LIMIT = {"csv": 2, "xlsx": 2}


@pytest.fixture
def registry():
    report = services.registry_import(content=csv_bytes())
    assert report.ok


@pytest.fixture
def small_limit(settings):
    settings.EXPORT_STREAM_MAX_ROWS = SMALL_LIMIT


def numbers(content: bytes) -> list[str]:
    return sorted(row["registry_number"] for row in csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def download(client, job) -> bytes:
    response = client.get(reverse("agreements:registry_export_file", kwargs={"pk": job.pk}))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return b"".join(response.streaming_content)


def test_an_export_within_the_limit_is_answered_at_once(client, registry, small_limit):
    response = client.get(reverse("agreements:registry_export"), {"state": "14", "formato": "csv"})
    assert response.status_code == 200 and response.streaming
    assert numbers(b"".join(response.streaming_content)) == ["R-001", "R-002"]
    assert not ExportJob.objects.exists()


def test_a_streamed_export_sends_its_rows_in_pieces_not_one_by_one(client, registry):
    response = client.get(reverse("agreements:registry_export"), {"formato": "csv"})
    pieces = list(response.streaming_content)
    assert numbers(b"".join(pieces)) == ["R-001", "R-002", "R-003", "R-004", "R-005", "R-006"]
    assert len(pieces) == 2  # the BOM and header, then the six rows (one send each before)


def test_a_larger_export_becomes_a_job_whose_file_is_the_streamed_one(
    client, registry, settings, django_capture_on_commit_callbacks
):
    streamed = b"".join(client.get(reverse("agreements:registry_export"), {"state": "26"}).streaming_content)
    settings.EXPORT_STREAM_MAX_ROWS = SMALL_LIMIT

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("agreements:registry_export"), {"state": "26", "formato": "csv"})

    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "agreements:registry_export_job", kwargs={"pk": job.pk}
    )
    assert (job.status, job.total_rows, job.processed_rows, job.params) == ("done", 3, 3, {"state": ["26"]})
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Listo" in page.text and reverse("agreements:registry_export_file", kwargs={"pk": job.pk}) in page.text
    assert download(client, job) == streamed
    assert numbers(streamed) == ["R-003", "R-005", "R-006"]


def test_the_job_page_reports_progress_as_json(client, registry, small_limit):
    job = jobs.export_job_start(file_format="csv", params={})  # not run: no commit in this test
    data = client.get(reverse("agreements:registry_export_job", kwargs={"pk": job.pk}), {"json": 1}).json()
    assert data == {
        "status": "pending",
        "status_label": "En cola",
        "percent": 0,
        "processed": 0,
        "total": 0,
        "finished": False,
    }
    page = client.get(reverse("agreements:registry_export_job", kwargs={"pk": job.pk}))
    assert "js/job_progress.js" in page.text and "data-job-progress" in page.text


def test_an_xlsx_job_holds_every_selected_row(client, registry, small_limit, django_capture_on_commit_callbacks):
    from openpyxl import load_workbook

    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("agreements:registry_export"), {"formato": "xlsx"})
    job = ExportJob.objects.get()
    rows = list(load_workbook(io.BytesIO(download(client, job)), read_only=True).active.iter_rows(values_only=True))
    assert rows[0][0] == "registry_number"
    assert sorted(r[0] for r in rows[1:]) == ["R-001", "R-002", "R-003", "R-004", "R-005", "R-006"]


def test_the_api_answers_202_with_a_status_url_then_the_download(
    client, registry, small_limit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/api/v1/registry/export/", {"file_format": "csv", "region": "north_america"})
    assert response.status_code == 202
    body = response.json()
    assert response["Location"] == body["status_url"]
    assert body["status"] == "pending" and body["download_url"] is None  # the job runs after the answer

    status = client.get(body["status_url"]).json()
    assert (status["status"], status["percent"], status["total_rows"]) == ("done", 100, 3)
    file = client.get(status["download_url"])
    assert numbers(b"".join(file.streaming_content)) == ["R-001", "R-003", "R-006"]


def test_the_same_request_reuses_its_job_until_the_registry_changes(
    client, registry, small_limit, django_capture_on_commit_callbacks
):
    first = jobs.export_job_start(file_format="csv", params={"state": ["26"]})
    assert jobs.export_job_start(file_format="csv", params={"state": ["26"]}) == first
    assert jobs.export_job_start(file_format="xlsx", params={"state": ["26"]}) != first
    assert jobs.export_job_start(file_format="csv", params={"state": ["14"]}) != first

    with django_capture_on_commit_callbacks(execute=True):  # a new entry: the registry's version moves on
        services.registry_import(content=csv_bytes([ROWS[0].replace("R-001", "R-007")]))
    assert jobs.export_job_start(file_format="csv", params={"state": ["26"]}) != first


def test_paging_and_format_parameters_do_not_make_a_new_export(rf):
    query = rf.get("/", {"state": ["26"], "formato": "csv", "cursor": "abc", "q": "", "despues": "x"}).GET
    assert jobs.export_params(query) == {"state": ["26"]}


def test_an_expired_export_says_so_and_is_deleted(client, registry, small_limit, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("agreements:registry_export"), {"state": "26"})
    job = ExportJob.objects.get()
    storage, name = job.file.storage, job.file.name
    assert storage.exists(name)
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))

    page = client.get(reverse("agreements:registry_export_job", kwargs={"pk": job.pk}))
    assert page.status_code == 410 and "venció" in page.text and "?state=26" in page.text
    file = client.get(reverse("agreements:registry_export_file", kwargs={"pk": job.pk}))
    assert file.status_code == 302
    assert client.get(f"/api/v1/registry/exports/{job.pk}/").status_code == 404

    assert jobs.export_jobs_housekeeping() == (1, 0)
    assert not ExportJob.objects.exists() and not storage.exists(name)


def test_a_failed_export_is_reported_not_served(
    client, registry, small_limit, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(handle, queryset, progress=None, **options):
        handle.write(b"registry_number\nR-0")
        raise OSError("disk full")

    monkeypatch.setitem(exports.WRITERS, "csv", broken)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("agreements:registry_export"), {"state": "26"})
    job = ExportJob.objects.get()
    assert job.status == "failed" and not job.file
    page = client.get(reverse("agreements:registry_export_job", kwargs={"pk": job.pk}))
    assert page.status_code == 200 and "No fue posible generar el archivo" in page.text
    assert client.get(reverse("agreements:registry_export_file", kwargs={"pk": job.pk})).status_code == 404
    # A failed job is not reused: asking again starts a new one.
    assert jobs.export_job_start(file_format="csv", params={"state": ["26"]}) != job


def test_too_many_waiting_exports_answer_503_with_retry_after(client, registry, small_limit, settings):
    settings.EXPORT_MAX_PENDING = 0
    page = client.get(reverse("agreements:registry_export"), {"state": "26"})
    assert page.status_code == 503 and page["Retry-After"] == "60"
    assert "demasiadas exportaciones" in page.text
    api = client.get("/api/v1/registry/export/", {"state": "26"})
    assert api.status_code == 503 and api.json()["code"] == "exports_busy" and api["Retry-After"]
    assert not ExportJob.objects.exists()


def test_lost_jobs_are_queued_again(registry, small_limit):
    job = jobs.export_job_start(file_format="csv", params={})  # its on-commit message never ran
    ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(minutes=5))
    assert jobs.export_jobs_housekeeping() == (0, 1)
    job.refresh_from_db()
    assert (job.status, job.total_rows) == ("done", 6)


def test_progress_is_reported_every_chunk_and_at_the_end(registry, monkeypatch):
    from agreements.registry.selectors import registered_agreements

    monkeypatch.setattr(exports, "CHUNK", 4)
    seen = []
    exports.write_csv(io.BytesIO(), registered_agreements(), seen.append)
    assert seen == [4, 6]


@pytest.mark.postgres
@pytest.mark.skipif(not settings.USING_POSTGRES, reason="PostgreSQL's cursors")
@pytest.mark.django_db(transaction=True)
def test_a_job_s_rows_are_computed_as_they_are_written_not_all_at_once(monkeypatch, committed_reference_data):
    """A worker in autocommit declared its cursor WITH HOLD: PostgreSQL computed the whole export at once, at the
    database's priority. The job reads on a connection of its own, in a transaction, one chunk per fetch."""
    from agreements.registry.models import RegistryEntry
    from agreements.registry.selectors import registered_agreements
    from tests.factories import RegistryAmendmentFactory

    assert services.registry_import(content=csv_bytes()).ok
    first, third = (
        RegistryEntry.objects.get(registry_number="R-001"),
        RegistryEntry.objects.get(registry_number="R-003"),
    )
    for entry, registered in ((first, dt.date(2020, 5, 1)), (first, dt.date(2022, 3, 1)), (third, dt.date(2021, 1, 1))):
        RegistryAmendmentFactory(entry=entry, registered_on=registered)
    RegistryAmendmentFactory(
        entry=first, registered_on=dt.date(2022, 3, 1)
    )  # the same day: the larger id is the latest
    unpaced = io.BytesIO()
    exports.write_csv(unpaced, registered_agreements())
    written = {
        row["registry_number"]: row for row in csv.DictReader(io.StringIO(unpaced.getvalue().decode("utf-8-sig")))
    }
    assert (written["R-001"]["amendments"], written["R-003"]["amendments"], written["R-002"]["amendments"]) == (
        "3",
        "1",
        "0",
    )
    monkeypatch.setattr(exports, "CHUNK", 2)
    seen = []

    def reader_state(done):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT state, query FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                " AND query LIKE 'FETCH%%'"
            )
            seen.append((done, cursor.fetchall()))

    paced = io.BytesIO()
    exports.write_csv(paced, registered_agreements(), reader_state, paced=True)
    assert paced.getvalue() == unpaced.getvalue()
    # While the rows are written, another connection, in a transaction, fetches them a chunk at a time.
    assert [done for done, _ in seen][-1] == len(written) and len(seen) == len(written) // 2 + 1
    assert all(rows and rows[0][0] == "idle in transaction" for done, rows in seen[:-1])
    assert _other_backends_after_a_moment() == 0  # and it is closed afterwards


def _other_backends_after_a_moment() -> int:
    """The database's other backends, once those closing have gone (a closed connection's backend exits shortly
    after)."""
    import time

    for _ in range(50):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            count = cursor.fetchone()[0]
        if not count:
            break
        time.sleep(0.1)
    return count


# --- a background job rests between chunks (issue #14) ----------------------------


class FakeTime:
    """``exports``'s clock and sleep: the clock moves only when told to (``work``) or by a sleep, and each sleep is
    recorded with what was already done."""

    def __init__(self):
        self.now = 100.0
        self.events = []

    def monotonic(self) -> float:
        return self.now

    def work(self, seconds: float) -> None:
        self.now += seconds

    def sleep(self, seconds: float) -> None:
        self.events.append(("sleep", seconds))
        self.now += seconds


@pytest.fixture
def fake_time(monkeypatch):
    clock = FakeTime()
    monkeypatch.setattr(exports, "time", clock)
    return clock


def _write(file_format: str, progress=None, *, paced: bool) -> bytes:
    from agreements.registry.selectors import registered_agreements

    handle = io.BytesIO()
    exports.WRITERS[file_format](handle, registered_agreements(), progress, paced=paced)
    return handle.getvalue()


def _same_file(file_format: str, one: bytes, other: bytes) -> bool:
    """The same bytes; a workbook, the same members byte for byte (the archive stamps each with the time written)."""
    if file_format == "csv":
        return one == other
    import zipfile

    def members(content):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return [(name, archive.read(name)) for name in archive.namelist()]

    return members(one) == members(other)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_job_rests_after_each_chunk_in_proportion_to_its_work(
    registry, monkeypatch, settings, fake_time, file_format
):
    settings.EXPORT_JOB_PAUSE_RATIO = 0.5
    monkeypatch.setattr(exports, "CHUNK", 2)

    def progress(done):  # the 1st chunk takes 1 s, the 2nd 3 s, the 3rd (the last) 5 s
        fake_time.events.append(("progress", done))
        fake_time.work({2: 1.0, 4: 3.0, 6: 5.0}[done])

    _write(file_format, progress, paced=True)
    # The bar moves on each chunk before the rest (and once more at the end); no rest after the last chunk.
    assert fake_time.events == [
        ("progress", 2),
        ("sleep", 0.5),
        ("progress", 4),
        ("sleep", 1.5),
        ("progress", 6),
        ("progress", 6),
    ]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_ratio_of_zero_turns_the_rests_off(registry, monkeypatch, settings, fake_time, file_format):
    settings.EXPORT_JOB_PAUSE_RATIO = 0
    monkeypatch.setattr(exports, "CHUNK", 2)
    seen = []
    _write(file_format, lambda done: (seen.append(done), fake_time.work(1.0)), paced=True)
    assert seen == [2, 4, 6, 6] and fake_time.events == []


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_file_is_the_same_with_and_without_rests(registry, monkeypatch, settings, fake_time, file_format):
    monkeypatch.setattr(exports, "CHUNK", 2)
    settings.EXPORT_JOB_PAUSE_RATIO = 0
    unrested = _write(file_format, paced=True)
    settings.EXPORT_JOB_PAUSE_RATIO = 0.5
    rested = _write(file_format, lambda done: fake_time.work(1.0), paced=True)
    assert [seconds for _, seconds in fake_time.events] == [0.5, 0.5]  # the file's last progress: 2 s of work
    assert _same_file(file_format, rested, unrested)
    assert _same_file(file_format, rested, _write(file_format, paced=False))


def test_an_export_streamed_within_a_request_never_rests(client, registry, monkeypatch, settings, fake_time):
    settings.EXPORT_JOB_PAUSE_RATIO = 0.5
    monkeypatch.setattr(exports, "CHUNK", 2)
    for file_format in ("csv", "xlsx"):
        response = client.get(reverse("agreements:registry_export"), {"formato": file_format})
        content = b"".join(response.streaming_content)
        assert response.status_code == 200 and content
    assert fake_time.events == [] and not ExportJob.objects.exists()


def test_the_job_s_progress_is_on_its_row_before_each_rest(registry, monkeypatch, settings, fake_time):
    settings.EXPORT_JOB_PAUSE_RATIO = 2
    monkeypatch.setattr(exports, "CHUNK", 2)
    job = jobs.export_job_start(file_format="csv", params={})  # not run: no commit in this test
    on_the_row = []

    def sleep(seconds):
        on_the_row.append((ExportJob.objects.get(pk=job.pk).processed_rows, seconds))

    monkeypatch.setattr(fake_time, "sleep", sleep)
    monkeypatch.setattr(exports, "_paced_values", _taking(fake_time, 0.25, exports._paced_values))
    jobs.export_job_run(job_id=str(job.pk))
    job.refresh_from_db()
    assert (job.status, job.processed_rows) == ("done", 6)
    # A rest comes once the next chunk's first row is read (there is one): 3 rows, then 2, at 0.25 s each, × 2.
    assert on_the_row == [(2, 1.5), (4, 1.0)]


def _taking(clock: FakeTime, seconds: float, read):
    """``read`` whose every row takes ``seconds`` on ``clock``."""

    def rows(queryset):
        for row in read(queryset):
            clock.work(seconds)
            yield row

    return rows
