"""HTTP: gunicorn with production settings, the rows check against the anchors, wrk with wrk_report.lua."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import secrets
import subprocess
import tempfile
import time
from pathlib import Path

from .cache import BUST_PAIRS, invalidate_cached_statistics
from .download import STREAM_EVERYTHING
from .processes import LUA_SCRIPT, PRODUCTION_TIMEOUT_S, VENV_BIN, free_port, log
from .samples import IDLE_SAMPLE_S, cpu_busy, judge, median, run_has_samples
from .scenarios import Scenario, scenario_seconds
from .worker import start_worker

__all__ = [
    "EXPORT_SLOWDOWN_BUDGET",
    "FOLIO",
    "REGISTRY_LINK",
    "WRK_TIMEOUT_S",
    "check_scenarios",
    "export_at_limit",
    "gunicorn_command",
    "http_get",
    "largest_fitting_filter",
    "largest_fitting_year",
    "list_during_export",
    "run_http",
    "run_wrk",
    "shown_rows",
    "wait_ready",
    "wrk_result",
]

FOLIO = re.compile(r"AII-\d{4}-\d{6}")
REGISTRY_LINK = re.compile(r'href="/registro/acuerdo/([^"/]+)/"')
STREAMED_WHOLE_PATH = "/registro/exportar/?formato=csv"


def http_get(port: int, path: str, cookie: str | None = None) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {"Cookie": cookie} if cookie else {}
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def wait_ready(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode}")
        with contextlib.suppress(OSError):
            status, _headers, _body = http_get(port, "/bench/hello/")
            if status == 200:
                return
        time.sleep(0.25)
    raise SystemExit("gunicorn did not answer within 60 s")


IDLE_WAIT_S = 2 * PRODUCTION_TIMEOUT_S + 10  # a backlog of slow requests ends within the workers' timeout, twice


def wait_idle(port: int, connections: int, timeout: float = IDLE_WAIT_S) -> float:
    """Wait until ``connections`` requests to A0 at once all answer within 0.25 s: requests wrk left queued or
    running when it stopped (a slow scenario's) finish before the next scenario is timed, instead of holding the
    sync workers through it (eight and then thirteen scenarios with no request finished, at 1M). The seconds
    waited."""
    from concurrent.futures import ThreadPoolExecutor

    def quick(_):
        started = time.monotonic()
        with contextlib.suppress(OSError):
            http_get(port, "/bench/hello/")
            return time.monotonic() - started < 0.25
        return False

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=connections) as pool:
        while time.monotonic() - started < timeout:
            if all(pool.map(quick, range(connections))):
                break
            time.sleep(0.2)
    return round(time.monotonic() - started, 2)


def shown_rows(mode: str | None, body: bytes) -> list:
    """The rows a page shows, in order: folios or registry numbers (HTML), or the JSON results' keys."""
    if mode == "folios":
        return FOLIO.findall(body.decode("utf-8", "replace"))
    if mode == "registry":
        return REGISTRY_LINK.findall(body.decode("utf-8", "replace"))
    data = json.loads(body)
    if mode == "stats":
        return [(str(row["key"]), row["count"]) for row in data.get("results", [])]
    return [row.get("folio", row.get("registry_number")) for row in data.get("results", [])]


def check_scenarios(
    port: int, scenarios: list[Scenario], cookies: dict[str, str], by_key: dict[str, Scenario]
) -> dict[str, dict]:
    """Every scenario answers 200 (a redirect to the login page would be fast and wrong) with its anchor's rows."""
    checks, bodies = {}, {}
    for scenario in scenarios:
        status, headers, body = http_get(port, scenario.path, cookies.get(scenario.user))
        if status != 200:
            raise SystemExit(f"{scenario.path} answered {status} (expected 200): {headers.get('Location', '')}")
        bodies[scenario.key] = body
        rotated_failed = {}
        for path in scenario.rotate:
            if path != scenario.path:
                rotated_status, _h, _b = http_get(port, path, cookies.get(scenario.user))
                if rotated_status != 200:
                    rotated_failed[path] = rotated_status
        if rotated_failed:
            raise SystemExit(f"{scenario.key}: rotated paths did not answer 200: {rotated_failed}")
        checks[scenario.key] = {
            "rotated_paths": len(scenario.rotate),
            "status": status,
            "bytes": len(body),
            "server_queries": int(headers.get("X-Bench-Queries", -1)),
            "server_timing": headers.get("Server-Timing", ""),
        }
    for scenario in scenarios:
        if not scenario.rows:
            continue
        if scenario.compare:  # an anchor URL fetched once for the comparison (not load-tested)
            status, _headers, reference = http_get(port, scenario.compare)
            if status != 200:
                raise SystemExit(f"{scenario.compare} answered {status} (expected 200)")
            mode, source = scenario.rows if scenario.rows in ("results", "stats") else "results", scenario.compare
        elif scenario.anchor and scenario.anchor in bodies:
            reference, mode, source = bodies[scenario.anchor], by_key[scenario.anchor].rows, scenario.anchor
        else:
            continue
        page = shown_rows(scenario.rows, bodies[scenario.key])
        expected = shown_rows(mode, reference)
        checks[scenario.key]["rows"] = len(page)
        checks[scenario.key]["rows_compared_with"] = source
        # Both empty would compare equal and prove nothing, except for a search meant to find nothing.
        checks[scenario.key]["same_rows_as_anchor"] = (bool(page) or scenario.may_be_empty) and page == expected
    return checks


# Production's worker timeout (portal/gunicorn_conf.py, GUNICORN_TIMEOUT): the pages' and the export's gunicorn
# and the clients (wrk, the export download) all wait as long as production does, no longer.


WRK_TIMEOUT_S = PRODUCTION_TIMEOUT_S


def wrk_base(*, connections: int, seconds: int) -> list[str]:
    """wrk with one thread, production's timeout and the reporting script (wrk_report.lua); the URL and the
    script's arguments follow."""
    return ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", f"{WRK_TIMEOUT_S}s", "-s", str(LUA_SCRIPT)]


def run_wrk(port: int, scenario: Scenario, cookie: str | None, *, seconds: int, connections: int) -> dict:
    command = wrk_base(connections=connections, seconds=seconds)
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(f"http://127.0.0.1:{port}{scenario.path}")
    script_args = []
    if scenario.bust_cache:
        invalidate_cached_statistics(quiet=True)  # a fresh key space for each wrk run
        script_args.append(str(secrets.randbelow(BUST_PAIRS)))
    paths_file = None
    if scenario.rotate:
        with tempfile.NamedTemporaryFile("w", suffix=".paths", delete=False) as handle:
            handle.write("\n".join(scenario.rotate) + "\n")
            paths_file = handle.name
        script_args = [script_args[0] if script_args else "-", paths_file]
    if script_args:
        command += ["--", *script_args]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + WRK_TIMEOUT_S + 30)
    finally:
        if paths_file:
            Path(paths_file).unlink(missing_ok=True)
    measured = wrk_result(scenario.path, result.returncode, result.stdout, result.stderr)
    measured["idle_wait_s"] = wait_idle(port, connections)
    return measured


def wrk_result(what: str, returncode: int, stdout: str, stderr: str) -> dict:
    """The JSON line wrk_report.lua prints, with requests/s, the load average and latencies in ms."""
    line = next((ln for ln in stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if returncode != 0 or line is None:
        raise SystemExit(f"wrk failed on {what}: {stdout[-2000:]} {stderr[-2000:]}")
    data = json.loads(line[len("BENCH_JSON ") :])
    data["rps"] = round(data["requests"] / (data["duration_us"] / 1e6), 1)
    data["loadavg_1m"] = round(os.getloadavg()[0], 2)  # > cores: something else competed for the CPU
    data["latency_ms"] = {k: round(v / 1000, 3) for k, v in data.pop("latency_us").items()}
    return data


def gunicorn_command(*, port: int, workers: int) -> list[str]:
    """The bench's server as production runs it (sync workers, the production timeout) on ``port``."""
    return [
        str(VENV_BIN / "gunicorn"),
        "bench.wsgi:application",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "--timeout",
        str(PRODUCTION_TIMEOUT_S),
    ]


def run_http(args, env, scenarios, sessions, processes, workdir) -> dict:
    from django.conf import settings

    port = free_port()
    command = gunicorn_command(port=port, workers=args.workers)
    # "List while an export runs" also measures, for information, the whole CSV streamed (a configuration
    # production never has): the pages' gunicorn may stream every CSV; the largest export it streams in production
    # is chosen at production's limit (``export_at_limit``, read in this process's settings).
    base = env
    env = {**env, "EXPORT_STREAM_MAX_ROWS_CSV": str(STREAM_EVERYTHING["csv"])}
    gunicorn = processes.start(command, env=env, log_path=workdir / "gunicorn.log")
    try:
        wait_ready(port, gunicorn)
        log(f"gunicorn ready on 127.0.0.1:{port} ({args.workers} sync workers)")
        cookies = {role: f"{settings.SESSION_COOKIE_NAME}={key}" for role, key in sessions.items()}
        cpu_busy_before = cpu_busy()
        idle_samples = [cpu_busy_before]
        checks = check_scenarios(port, scenarios, cookies, {s.key: s for s in scenarios})
        runs: dict[str, list[dict]] = {s.key: [] for s in scenarios}
        for repetition in range(args.repeat):
            for scenario in scenarios:
                # The machine sampled while this run is idle, before every scenario of every repetition: another
                # process that starts half-way through a ten-minute run shows here (not only one second before).
                idle_samples.append(cpu_busy(IDLE_SAMPLE_S))
                cookie = cookies.get(scenario.user)
                warmup, duration = scenario_seconds(args, scenario)
                run_wrk(port, scenario, cookie, seconds=warmup, connections=args.connections)
                measured = run_wrk(port, scenario, cookie, seconds=duration, connections=args.connections)
                runs[scenario.key].append(measured)
                log(
                    f"rep {repetition + 1} {scenario.key:26} {measured['rps']:8.1f} req/s  "
                    f"p50 {measured['latency_ms']['p50']:7.2f}  p95 {measured['latency_ms']['p95']:7.2f} ms  "
                    f"server p95 {measured['server_ms']['p95']:7.2f} ms  statuses {measured['statuses']}"
                )
        concurrent = None
        if "registry_html" in runs and "registry" in args.suites and not args.no_export:
            concurrent = list_during_export(
                args,
                port,
                next(s for s in scenarios if s.key == "registry_html"),
                runs,
                env=base,
                processes=processes,
                workdir=workdir,
            )
        deferred = None
        if "registry" in args.suites and not args.no_celery:
            from .deferred import deferred_statistics

            deferred = deferred_statistics(port, env=base, processes=processes, workdir=workdir)
        return {
            "port": port,
            "list_during_export": concurrent,
            "deferred_statistics": deferred,
            "cpu_busy_before": cpu_busy_before,
            "cpu_busy_idle": idle_samples,
            "checks": checks,
            "runs": runs,
        }
    finally:
        processes.stop(gunicorn)
        log("gunicorn stopped")


EXPORT_SLOWDOWN_BUDGET = 1.5  # a concurrent export slows list pages by ≤ 1.5× (issue #14)


def largest_fitting_year(counts_by_year: dict[int, int], limit: int) -> tuple[int, int] | None:
    """The earliest signing year ``Y`` such that the entries signed in ``Y`` or later are at most ``limit``, with
    their number: the largest export a year filter selects that production still streams. None when even the
    latest year's entries are more than ``limit``."""
    best, total = None, 0
    for year in sorted(counts_by_year, reverse=True):
        total += counts_by_year[year]
        if total > limit:
            break
        best = (year, total)
    return best


def largest_fitting_filter(counts: dict[tuple[str, int], int], limit: int) -> tuple[str, int] | None:
    """From the entries per (state, signing year): the filter (a query string) selecting the most entries that are
    still at most ``limit``, among "signed from a year on" and "one state's, signed from a year on", with the number
    it selects; None when no such filter selects at most ``limit``."""
    by_state: dict[str, dict[int, int]] = {}
    every_state: dict[int, int] = {}
    for (state, year), n in counts.items():
        by_state.setdefault(state, {})[year] = by_state.get(state, {}).get(year, 0) + n
        every_state[year] = every_state.get(year, 0) + n
    candidates = [("", every_state), *((f"state={state}&", years) for state, years in sorted(by_state.items()))]
    best = None
    for prefix, years in candidates:
        fitting = largest_fitting_year(years, limit)
        if fitting is not None and (best is None or fitting[1] > best[1]):
            best = (f"{prefix}year_min={fitting[0]}", fitting[1])
    return best


def export_at_limit() -> dict:
    """The largest CSV export production streams from the web workers (``exports.fits_in_a_request``, the limit of
    ``EXPORT_STREAM_MAX_ROWS``): entries signed from a year on, of one state or all, chosen by the counts per state
    and year and then checked with the export's own decision."""
    from django.conf import settings
    from django.db.models import Count
    from django.http import QueryDict

    from agreements.registry.exports import fits_in_a_request
    from agreements.registry.filtersets import RegistryFilterSet
    from agreements.registry.selectors import registered_agreements

    limit = settings.EXPORT_STREAM_MAX_ROWS["csv"]
    rows = registered_agreements().order_by().values_list("state_id", "signed_on__year").annotate(n=Count("id"))
    chosen = largest_fitting_filter({(state, year): n for state, year, n in rows}, limit)
    if chosen is None:
        raise SystemExit(f"no filter selects at most {limit} entries: no streamed export to measure")
    query, count = chosen
    filterset = RegistryFilterSet(QueryDict(query), queryset=registered_agreements())
    if not fits_in_a_request(filterset.qs, "csv"):
        raise SystemExit(f"{query} ({count} entries) is not streamed at the limit {limit}")
    return {"path": f"/registro/exportar/?formato=csv&{query}", "rows": count, "limit": limit}


def _download_loop(port: int, path: str, stop, records: list[dict]) -> None:
    """Download ``path`` again and again until ``stop``; each download's seconds, bytes and error."""
    while not stop.is_set():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=PRODUCTION_TIMEOUT_S)
        started, size, error = time.perf_counter(), 0, None
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            while chunk := response.read1(65536):
                size += len(chunk)
                if stop.is_set():
                    break
            if response.status != 200:
                error = f"answered {response.status}"
        except (OSError, http.client.HTTPException) as exc:
            error = f"{type(exc).__name__}: {exc}"
        finally:
            conn.close()
        records.append({"s": round(time.perf_counter() - started, 3), "bytes": size, "error": error})


def _export_job_once() -> dict:
    """The whole registry's CSV as production makes it above the limit (``jobs.export_job_start`` queues it, a
    Celery worker writes it), waited for; its seconds, rows and error. The finished job is deleted so that the next
    start writes the registry again instead of reusing its file."""
    from agreements.registry import jobs
    from agreements.registry.models import ExportJob

    started = time.perf_counter()
    job = jobs.export_job_start(file_format="csv", params={})
    # A job is an error only past its own time limit: it paces itself (EXPORT_JOB_PAUSE_RATIO), so the whole
    # registry at 1M takes minutes, which no request waits for (the page polls its progress).
    deadline = time.monotonic() + _job_wait_s()
    while job.status in (ExportJob.Status.PENDING, ExportJob.Status.RUNNING) and time.monotonic() < deadline:
        time.sleep(0.05)
        job.refresh_from_db()
    finished = job.status == ExportJob.Status.DONE and job.processed_rows == job.total_rows
    record = {
        "s": round(time.perf_counter() - started, 3),
        "rows": job.processed_rows,
        "error": None if finished else f"ended {job.status}",
    }
    if job.file:
        job.file.delete(save=False)
    job.delete()
    return record


def _job_wait_s() -> int:
    from agreements.registry import jobs

    return jobs.registry_export_task.soft_time_limit


def _job_loop(stop, records: list[dict]) -> None:
    """Export jobs one after another until ``stop``; a job started is waited for even after ``stop`` (it must not
    run into the next measurement)."""
    from django.db import connection

    try:
        while not stop.is_set():
            records.append(_export_job_once())
    finally:
        connection.close()  # this thread's connection


def _alone_run(args, port: int, scenario: Scenario) -> dict:
    """``scenario`` under wrk with no export running: the reference taken beside each measurement."""
    _warmup, duration = scenario_seconds(args, scenario)
    return run_wrk(port, scenario, None, seconds=duration, connections=args.connections)


def _list_during(args, port: int, scenario: Scenario, alone: float | None, loop) -> dict:
    """``scenario`` under wrk while ``loop(stop, records)`` runs in a thread, against the page alone measured just
    before and just after (the mean of their server p95): on a shared host the page's own figure of minutes earlier
    moved more than the export's effect (5 to 90 ms between two 12 s runs, session 11). ``alone`` (the scenario's
    runs) stands in only if neither side has samples."""
    import threading

    sides = [_alone_run(args, port, scenario)]
    stop = threading.Event()
    records: list[dict] = []
    _warmup, duration = scenario_seconds(args, scenario)
    thread = threading.Thread(target=loop, args=(stop, records), daemon=True)
    thread.start()
    try:
        time.sleep(0.5)  # the export is under way before the load starts
        measured = run_wrk(port, scenario, None, seconds=duration, connections=args.connections)
    finally:
        stop.set()
        thread.join(timeout=_job_wait_s() + 5)
    sides.append(_alone_run(args, port, scenario))
    beside = [r["server_ms"]["p95"] for r in sides if run_has_samples(r)]
    alone = round(sum(beside) / len(beside), 2) if beside else alone
    during = measured["server_ms"]["p95"] if run_has_samples(measured) else None
    ratio = round(during / alone, 2) if during is not None and alone else None
    errors = [r["error"] for r in records if r["error"]]
    return {
        "alone_server_p95": alone,
        "alone_sides_p95": beside,
        "during_server_p95": during,
        "slowdown": ratio,
        "exports": len(records),
        "errors": errors,
        "met": judge(ratio, EXPORT_SLOWDOWN_BUDGET) and bool(records) and not errors,
        "records": records,
        "run": measured,
    }


HEAVY_WORKER_CONCURRENCY = 1  # docker-compose.yml's worker-heavy: --concurrency 1


def worker_nice(proc) -> int | None:
    """The nice value the worker runs at (the app sets it when the worker starts), or None if it cannot be read."""
    import psutil

    try:
        return psutil.Process(proc.pid).nice()
    except (AttributeError, psutil.Error):
        return None


def list_during_export(args, port: int, scenario: Scenario, runs: dict, *, env, processes, workdir) -> dict:
    """``/registro/`` under wrk while an export runs, as production runs exports, against the page alone:

    * **streamed**: a client downloads, again and again, the largest CSV production streams from the same gunicorn
      (at ``EXPORT_STREAM_MAX_ROWS``: above it an export is a job);
    * **job**: the whole registry's CSV is written, again and again, by a Celery worker (``agreements.registry.jobs``);
    * **whole_streamed** (for information, not judged: production never does it): the whole registry's CSV streamed
      by the pages' gunicorn, the limit raised (this measurement's former method).

    The verdict is production's: streamed and job both ≤ ``EXPORT_SLOWDOWN_BUDGET``."""
    alone = median([r["server_ms"]["p95"] for r in runs[scenario.key] if run_has_samples(r)])
    at_limit = export_at_limit()
    streamed = _list_during(
        args, port, scenario, alone, lambda stop, records: _download_loop(port, at_limit["path"], stop, records)
    )
    # The export job goes to the heavy queue (settings.CELERY_TASK_ROUTES), which production's worker-heavy serves:
    # one process (docker-compose.yml), at the lower CPU priority the app gives a worker of that queue alone.
    worker = start_worker(
        env, processes, workdir, env["CELERY_HEAVY_QUEUE"], "export", concurrency=HEAVY_WORKER_CONCURRENCY
    )
    try:
        # A first job, not measured: the worker has started (its imports are not the job's cost) and is warm.
        warmup_job = _export_job_once()
        job = {
            **_list_during(args, port, scenario, alone, _job_loop),
            "warmup": warmup_job,
            "worker_nice": worker_nice(worker),
        }
    finally:
        processes.stop(worker)
    whole = _list_during(
        args, port, scenario, alone, lambda stop, records: _download_loop(port, STREAMED_WHOLE_PATH, stop, records)
    )
    result = {
        "path": scenario.path,
        "alone_server_p95": alone,
        "budget": EXPORT_SLOWDOWN_BUDGET,
        "streamed": {**streamed, **at_limit},
        "job": job,
        "whole_streamed": {**whole, "path": STREAMED_WHOLE_PATH, "judged": False},
        "met": streamed["met"] and job["met"],
    }
    for name, what in (
        ("streamed", f"the largest streamed CSV ({at_limit['rows']} rows, limit {at_limit['limit']})"),
        ("job", "the whole registry's CSV job on a Celery worker"),
        ("whole_streamed", "the whole CSV streamed (limit raised; information)"),
    ):
        r = result[name]
        log(
            f"{scenario.path} while {what}: server p95 {r['during_server_p95']} ms against {r['alone_server_p95']} ms "
            "alone (just before and after) "
            f"({r['slowdown']}×, {r['exports']} exports, {len(r['errors'])} errors, statuses {r['run']['statuses']})"
        )
    return result
