"""The list page while an export runs (bench/http.py): the largest streamed export production has, the whole
registry's job on a worker, the former whole-stream figure for information, and the verdict. No database: the
export, wrk and the worker are replaced by stand-ins."""

import threading
import time
from types import SimpleNamespace

import pytest

from bench import http as bench_http
from bench import report
from bench.scenarios import SCENARIO_BY_KEY
from tests.bench.stub_server import stub_server

pytestmark = pytest.mark.unit


def wrk_run(server_p95, requests=300):
    return {
        "requests": requests,
        "latency_ms": {"p50": server_p95, "p95": server_p95 * 2, "p99": server_p95 * 3},
        "server_ms": {"samples": requests, "p95": server_p95},
        "statuses": {"200": requests},
        "errors": {},
    }


@pytest.mark.parametrize(
    ("limit", "expected"),
    [(15, (2020, 15)), (16, (2020, 15)), (22, (2019, 22)), (10, (2021, 10)), (9, None)],
)
def test_the_largest_export_a_year_filter_selects_within_the_limit(limit, expected):
    assert bench_http.largest_fitting_year({2019: 7, 2021: 10, 2020: 5}, limit) == expected


def test_the_largest_export_within_the_limit_may_be_one_state_s():
    counts = {("14", 2020): 6, ("14", 2021): 4, ("09", 2021): 5, ("09", 2019): 9}
    assert bench_http.largest_fitting_filter(counts, 9) == ("year_min=2021", 9)  # 4 + 5 signed in 2021
    assert bench_http.largest_fitting_filter(counts, 14) == ("state=09&year_min=2019", 14)
    assert bench_http.largest_fitting_filter(counts, 3) is None


class FakeProcesses:
    def __init__(self):
        self.stopped = []

    def stop(self, proc):
        self.stopped.append(proc)


def _measure(monkeypatch, *, during: dict[str, float], job_error=None):
    """list_during_export with wrk answering ``during[kind]`` ms as server p95 while each kind of export runs."""
    running = []

    def fake_download(port, path, stop, records):
        running.append("streamed" if "year_min" in path else "whole_streamed")
        records.append({"s": 0.1, "bytes": 10, "error": None})

    def fake_job(stop, records):
        running.append("job")
        records.append({"s": 0.2, "rows": 5, "error": job_error})

    def fake_wrk(port, scenario, cookie, *, seconds, connections):
        return wrk_run(during[running[-1]])

    sides = iter([20.0, 22.0] * 3)  # the page alone, just before and just after each measurement

    processes = FakeProcesses()
    started = []
    monkeypatch.setattr(bench_http, "_alone_run", lambda args, port, scenario: wrk_run(next(sides)))
    monkeypatch.setattr(bench_http, "_download_loop", fake_download)
    monkeypatch.setattr(bench_http, "_job_loop", fake_job)
    monkeypatch.setattr(bench_http, "_export_job_once", lambda: {"s": 9.0, "rows": 5, "error": None})
    monkeypatch.setattr(bench_http, "run_wrk", fake_wrk)
    monkeypatch.setattr(bench_http.time, "sleep", lambda s: None)
    monkeypatch.setattr(
        bench_http,
        "export_at_limit",
        lambda: {"path": "/registro/exportar/?formato=csv&year_min=2024", "rows": 19_000, "limit": 20_000},
    )
    monkeypatch.setattr(
        bench_http,
        "start_worker",
        lambda env, processes, workdir, queue, name, concurrency=2: started.append((queue, name, concurrency)) or "w",
    )
    scenario = SCENARIO_BY_KEY["registry_html"]
    args = SimpleNamespace(connections=4, duration=3, warmup=1)
    result = bench_http.list_during_export(
        args,
        8123,
        scenario,
        {"registry_html": [wrk_run(12.0), wrk_run(14.0)]},  # minutes earlier: not what the slowdowns divide
        env={"CELERY_QUEUE": "aii-bench-q", "CELERY_HEAVY_QUEUE": "aii-bench-q-heavy"},
        processes=processes,
        workdir=None,
    )
    return result, started, processes


def test_the_verdict_is_production_s_streamed_and_job_exports(monkeypatch):
    result, started, processes = _measure(monkeypatch, during={"streamed": 25.0, "job": 30.0, "whole_streamed": 45.0})
    assert result["alone_server_p95"] == 13.0
    assert result["job"]["alone_server_p95"] == 21.0 and result["job"]["alone_sides_p95"] == [20.0, 22.0]
    assert (result["streamed"]["slowdown"], result["job"]["slowdown"]) == (1.19, 1.43)
    assert result["whole_streamed"]["slowdown"] == 2.14 and result["whole_streamed"]["judged"] is False
    assert result["met"]  # the whole stream's 2.14× is information: production never streams it
    assert result["streamed"]["rows"] == 19_000
    # production's export worker: the heavy queue, one process (docker-compose.yml's worker-heavy)
    assert started == [("aii-bench-q-heavy", "export", 1)] and processes.stopped == ["w"]
    assert result["job"]["warmup"]["s"] == 9.0  # a first job, not measured, while the worker starts


@pytest.mark.parametrize(
    ("during", "job_error"),
    [
        ({"streamed": 35.0, "job": 20.0, "whole_streamed": 20.0}, None),  # the streamed export slows the list
        ({"streamed": 20.0, "job": 35.0, "whole_streamed": 20.0}, None),  # the job does
        ({"streamed": 20.0, "job": 20.0, "whole_streamed": 20.0}, "ended failed"),  # the job did not finish
    ],
)
def test_a_miss_or_a_failed_export_fails_the_verdict(monkeypatch, during, job_error):
    result, _started, _processes = _measure(monkeypatch, during=during, job_error=job_error)
    assert not result["met"]


def test_the_report_judges_the_two_production_exports_only(monkeypatch):
    result, _started, _processes = _measure(monkeypatch, during={"streamed": 25.0, "job": 33.0, "whole_streamed": 45.0})
    lines = report._during_export_lines(result)
    text = "\n".join(lines)
    assert "year_min=2024" in text and "19000 rows" in text
    assert [line.rsplit("|", 2)[-2].strip() for line in lines[-3:]] == ["pass", "**MISS**", "information"]


def test_the_worker_s_nice_value_is_read_from_its_process():
    import os
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "import os, time; os.nice(3); time.sleep(5)"])
    try:
        for _ in range(50):
            if bench_http.worker_nice(proc) == os.nice(0) + 3:
                break
            time.sleep(0.05)
        assert bench_http.worker_nice(proc) == os.nice(0) + 3
    finally:
        proc.kill()
        proc.wait()
    assert bench_http.worker_nice("not a process") is None


def test_a_download_loop_reads_until_stopped_and_records_each_download():
    stop, records = threading.Event(), []
    with stub_server(lambda _request: (b"a,b\n" * 1000, {})) as port:
        loop = threading.Thread(target=bench_http._download_loop, args=(port, "/x", stop, records))
        loop.start()
        try:
            while len(records) < 3:
                threading.Event().wait(0.01)
        finally:
            stop.set()
            loop.join(timeout=10)
    assert all(r["error"] is None and r["bytes"] == 4000 for r in records[:3])


def test_the_export_job_is_routed_to_the_queue_the_bench_s_export_worker_serves():
    from django.conf import settings

    route = settings.CELERY_TASK_ROUTES["agreements.registry.jobs.registry_export_task"]
    assert route == {"queue": settings.CELERY_HEAVY_QUEUE}
