"""The concurrency section (bench/concurrency.py): rotations, wrk and gunicorn commands, verdicts, the Lua think
time and per-path cookies. No database; the Lua test needs wrk."""

import json
import shutil
import subprocess
from collections import Counter, defaultdict

import pytest

from agreements.choices import STAT_DIMENSIONS
from bench import concurrency, report, run
from bench.scenarios import SCENARIO_BY_KEY
from portal import gunicorn_conf
from tests.bench.stub_server import stub_server

pytestmark = pytest.mark.unit

PLACEHOLDERS = {
    name: f"<{name}>"
    for name in ("deep_html", "deep_api", "deep_date", "deep_id", "mid_filter_api", "deep_cja", "deep_dgcp")
} | {f"{kind}_{depth}": f"<{kind}_{depth}>" for kind in ("html", "api", "date", "id") for depth in
     ("25", "250", "1k", "10k", "100k")}  # fmt: skip


def wrk_run(p95, *, requests=500, statuses=None, errors=None, samples=None):
    return {
        "requests": requests,
        "rps": 16.7,
        "latency_ms": {"p50": p95 / 3, "p95": p95, "p99": p95 * 1.5},
        "server_ms": {"samples": requests if samples is None else samples, "p95": p95 / 2},
        "statuses": statuses if statuses is not None else {"200": requests},
        "errors": {"connect": 0, "read": 0, "write": 0, "status": 0, "timeout": 0, **(errors or {})},
    }


def test_interleave_gives_each_group_the_same_share_and_every_path():
    paths = concurrency.interleave([["a1", "a2", "a3", "a4"], ["b1"], ["c1", "c2"]])
    assert paths[:3] == ["a1", "b1", "c1"]  # one of each group in turn
    counts = Counter(p[0] for p in paths)
    assert counts == {"a": 4, "b": 4, "c": 4}
    assert set(paths) == {"a1", "a2", "a3", "a4", "b1", "c1", "c2"}
    assert concurrency.interleave([[], []]) == []


def test_public_rotation_covers_every_kind_of_public_page_anonymously():
    paths, groups = concurrency.public_paths(PLACEHOLDERS)
    assert set(groups) == {"lists", "searches", "filters", "depths", "statistics", "profiles"}
    for keys in concurrency.PUBLIC_GROUPS.values():
        for key in keys:
            scenario = SCENARIO_BY_KEY[key].resolved(PLACEHOLDERS)
            assert set(scenario.rotate or [scenario.path]) <= set(paths), key
    assert not any("{" in p for p in paths)  # every placeholder filled
    assert "/registro/estadisticas/" in paths and "/estados/comparacion/" in paths
    assert "/registro/?despues=<html_100k>" in paths  # the deep pages
    stats = [p for p in paths if p.startswith("/api/v1/registry/stats/")]
    assert len(set(stats)) == len(STAT_DIMENSIONS) and all("&" not in p for p in stats)  # the cached URLs
    assert not any(p.startswith("/expedientes/") for p in paths)


def test_public_rotation_refuses_a_signed_in_page():
    with pytest.raises(ValueError, match="cja_inbox"):
        concurrency.public_paths(PLACEHOLDERS, {"lists": ("registry_html", "cja_inbox")})


def test_reviewer_rotation_sends_each_inbox_with_its_own_account():
    lines = concurrency.reviewer_lines(PLACEHOLDERS, {"cja": "sessionid=C", "dgcp": "sessionid=D"})
    pairs = [line.split("\t") for line in lines]
    assert {path for path, _ in pairs} >= {"/expedientes/bandeja-cja/", "/expedientes/bandeja-dgcp/"}
    assert "/expedientes/bandeja-cja/?despues=<deep_cja>" in {path for path, _ in pairs}
    for path, cookie in pairs:
        assert cookie == ("sessionid=C" if "bandeja-cja" in path else "sessionid=D")
    assert pairs[0][0].startswith("/expedientes/bandeja-cja/") and pairs[1][0].startswith("/expedientes/bandeja-dgcp/")


def test_commands_stay_on_loopback_and_use_production_conf():
    command = concurrency.gunicorn_command(port=8123)
    assert command[command.index("-c") + 1] == "python:portal.gunicorn_conf"
    assert command[command.index("--bind") + 1] == "127.0.0.1:8123"
    assert command[command.index("--access-logfile") + 1] == "/dev/null"
    assert "--workers" not in command and "--worker-class" not in command  # production's, from the conf
    wrk = concurrency.wrk_command(8123, connections=50, seconds=30, paths_file="/tmp/p", think_ms=1000, seed=2)
    assert "http://127.0.0.1:8123/" in wrk and "-c50" in wrk
    think, cap, seed = wrk[-3:]
    assert (think, seed) == ("1000", "2")
    assert int(cap) < gunicorn_conf.keepalive * 1000  # the server never closes an idle connection under wrk


@pytest.mark.parametrize(
    ("run_", "target", "met"),
    [
        (wrk_run(250), 300, True),
        (wrk_run(300), 300, True),  # "≤ 300 ms"
        (wrk_run(301), 300, False),
        (wrk_run(140), 150, True),
        (wrk_run(151), 150, False),
        (wrk_run(-1, requests=0, statuses={}, samples=0), 300, False),  # zero samples is a failure
        (None, 300, False),
        (wrk_run(100, statuses={"200": 499, "302": 1}), 300, False),  # a redirect (e.g. to the login page)
        (wrk_run(100, statuses={"200": 499, "500": 1}, errors={"status": 1}), 300, False),
        (wrk_run(100, errors={"read": 1}), 300, False),
        (wrk_run(100, errors={"timeout": 2}), 300, False),
    ],
)
def test_verdict(run_, target, met):
    assert concurrency.verdict(run_, target)["met"] is met


def test_verdict_counts_a_status_error_once():
    v = concurrency.verdict(wrk_run(100, statuses={"200": 499, "500": 1}, errors={"status": 1}), 300)
    assert (v["non_2xx"], v["errors"]) == (1, 0)
    assert concurrency.verdict(wrk_run(-1, requests=0, statuses={}, samples=0), 300)["client_p95"] is None


def section(public_run, reviewer_run):
    public = concurrency.verdict(public_run, concurrency.PUBLIC_TARGET_MS)
    reviewer = concurrency.verdict(reviewer_run, concurrency.INBOX_TARGET_MS)
    return {
        "gunicorn": {"worker_processes_seen": 5, "worker_class": "gthread", "threads": 4},
        "duration_s": 30,
        "warmup_s": 5,
        "public": {"clients": 50, "think_ms": 1000, "paths": 336, **public},
        "reviewer": {"clients": 1, "think_ms": 500, "paths": 10, **reviewer},
        "pass": public["met"] and reviewer["met"],
    }


def test_report_table_and_hard_gates():
    passing = section(wrk_run(200), wrk_run(100, requests=55))
    table = report.markdown([], None, concurrency=passing)
    assert "5 gthread workers × 4 threads" in table
    assert "client p95 ≤ 300 ms" in table and "client p95 ≤ 150 ms" in table
    assert "**MISS**" not in table and "warning" not in table
    assert report.hard_failures([], None, passing) == []
    busy = {**passing, "cpu_busy_before": 0.9}  # another process had the CPU before the load began
    assert "busy while the concurrency section was idle" in report.markdown([], None, concurrency=busy)

    slow = section(wrk_run(200), wrk_run(180, requests=55))
    assert "**MISS**" in report.markdown([], None, concurrency=slow)
    assert report.hard_failures([], None, slow) == []  # latency is reported, not a hard gate

    broken = section(wrk_run(200, errors={"read": 3}), wrk_run(-1, requests=0, statuses={}, samples=0))
    failures = report.hard_failures([], None, broken)
    assert any("public" in f and "3 socket errors" in f for f in failures)
    assert any("reviewer" in f and "no request finished" in f for f in failures)
    assert "NO SAMPLES" in report.markdown([], None, concurrency=broken)


def test_suite_and_options():
    args = run.parse_args(["--suite", "concurrency"])
    assert args.suites == ["concurrency"] and args.scenario_keys == ["hello"]
    assert "concurrency" in run.parse_args([]).suites  # part of all
    assert run.parse_args(["--no-concurrency"]).no_concurrency
    args = run.parse_args(["--suite", "concurrency", "--think-ms", "2000", "--concurrency-duration", "60"])
    assert (args.think_ms, args.concurrency_duration, args.public_clients) == (2000, 60, 50)
    with pytest.raises(SystemExit):
        run.parse_args(["--concurrency-duration", "0"])
    with pytest.raises(SystemExit):
        run.parse_args(["--public-clients", "5000"])


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_lua_thinks_before_each_request_and_sends_each_paths_cookie(tmp_path):
    cookies = defaultdict(set)

    def answer(request):
        cookies[request.path].add(request.headers.get("Cookie"))
        return b"ok", {"Server-Timing": "app;dur=1.0, db;dur=0.5"}

    paths = tmp_path / "paths"
    paths.write_text("/cja/\tsessionid=C\n/dgcp/\tsessionid=D\n/public/\n")
    with stub_server(answer, keep_alive=True) as port:
        command = concurrency.wrk_command(port, connections=2, seconds=2, paths_file=paths, think_ms=200, seed=7)
        result = subprocess.run(command, capture_output=True, text=True, timeout=30)
    line = next(ln for ln in result.stdout.splitlines() if ln.startswith("BENCH_JSON "))
    data = json.loads(line[len("BENCH_JSON ") :])
    # 2 connections × 2 s / 0.2 s ≈ 20 requests; without the think time a local server answers thousands.
    assert 5 <= data["requests"] <= 60
    assert data["latency_us"]["p95"] < 200_000  # the clock starts after the wait: the latency excludes it
    assert cookies == {"/cja/": {"sessionid=C"}, "/dgcp/": {"sessionid=D"}, "/public/": {None}}
