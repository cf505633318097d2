"""Statistics counted in the background, as the harness reports them (bench.deferred, bench.report,
wrk_report.lua): a deferred answer is neither a failure nor a figure, and figures that never come fail the run."""

import json
import shutil
import subprocess

import pytest

from bench import deferred, report
from bench.processes import LUA_SCRIPT
from tests.bench.stub_server import stub_server
from tests.bench.test_judgement import summary, wrk_run

pytestmark = pytest.mark.unit


def test_a_deferred_202_is_counted_apart_not_as_an_error():
    run = {**wrk_run(20.0), "statuses": {"200": 70, "202": 30}, "deferred": 30}
    row = summary([run, run, run])["page"]
    assert row["non_200"] == 0 and row["deferred"] == 90
    assert row["pass"] is True
    failing = {**wrk_run(20.0), "statuses": {"200": 70, "500": 30}}
    assert summary([failing])["page"]["non_200"] == 30


def _probe_result(figures_after_s):
    first = {"status": 202, "server_ms": 12.0, "client_ms": 14.0, "deferred": True}
    return {"path": "/api/v1/registry/stats/?q=x", "first": first, "figures_after_s": figures_after_s, "polls": 9}


def test_figures_that_never_come_fail_the_run_and_the_table_says_when_they_came():
    arrived, missing = _probe_result(2.5), _probe_result(None)
    for r in (arrived, missing):
        r["met"] = r["figures_after_s"] is not None
    failures = report.hard_failures([], deferred={"results": [arrived, missing]})
    assert failures == ["deferred statistics /api/v1/registry/stats/?q=x: no figures after 9 polls"]
    lines = "\n".join(report._deferred_lines({"dropped_messages": 4, "results": [arrived]}, []))
    assert "202 (counting)" in lines and "| 2.50 |" in lines and "4 counts" in lines


def test_the_probe_polls_until_the_figures_and_judges_the_first_answer(monkeypatch):
    answers = iter(
        [(202, {"Retry-After": "5", "Server-Timing": "app;dur=31.5"}, b"")] * 3
        + [(200, {"Server-Timing": "app;dur=8.0"}, b"{}")]
    )
    monkeypatch.setattr(deferred, "http_get", lambda port, path: next(answers))
    monkeypatch.setattr(deferred, "POLL_S", 0)
    result = deferred._ask(1, "/api/v1/registry/stats/?by=state&q=cooperacion")
    assert result["first"] == {
        "status": 202,
        "server_ms": 31.5,
        "client_ms": result["first"]["client_ms"],
        "deferred": True,
    }
    assert result["polls"] == 3 and result["final_status"] == 200 and result["figures_after_s"] is not None
    assert result["met"] is True

    slow = iter([(202, {"Retry-After": "5", "Server-Timing": "app;dur=250"}, b""), (200, {}, b"{}")])
    monkeypatch.setattr(deferred, "http_get", lambda port, path: next(slow))
    assert deferred._ask(1, "/x/?q=y")["met"] is False  # the request path itself over 100 ms


def test_a_fresh_filter_keeps_every_entry_and_is_new_each_time():
    paths = {deferred._fresh("/registro/estadisticas/?q=cooperacion") for _ in range(20)}
    assert len(paths) > 15
    for path in paths:  # within the filters' valid years (the API answered 400 to 1848-2312), every entry kept
        bounds = dict(part.split("=") for part in path.split("?")[1].split("&"))
        assert 1900 <= int(bounds["year_min"]) < 1990 and 2030 <= int(bounds["year_max"]) <= 2200


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_wrk_counts_answers_with_retry_after_as_deferred():
    def answer(request):
        return b"ok", ({"Retry-After": "5"} if request.path.startswith("/counting/") else {})

    results = {}
    with stub_server(answer) as port:
        for path in ("/counting/", "/figures/"):
            out = subprocess.run(
                ["wrk", "-t1", "-c1", "-d1s", "-s", str(LUA_SCRIPT), f"http://127.0.0.1:{port}{path}"],
                capture_output=True,
                text=True,
                timeout=30,
            ).stdout
            line = next(ln for ln in out.splitlines() if ln.startswith("BENCH_JSON "))
            results[path] = json.loads(line[len("BENCH_JSON ") :])
    counting = results["/counting/"]
    assert counting["requests"] > 0 and counting["deferred"] == counting["statuses"]["200"]
    assert results["/figures/"]["deferred"] == 0
