"""Statistics counted in the background (issue #14): what a visitor with a broad new filter gets, and how long the
figures take.

Past ``REGISTRY_STATS_LIVE_MAX_ROWS`` matches a filter's statistics are counted by a task on the default queue
(``agreements.registry.jobs.registry_stats_count``): the page says so and reloads itself, the API answers 202 with
``Retry-After``. The per-page runs time the first answer (it is what the request path costs); they cannot say
whether the figures ever come. This probe asks as a visitor does, with a worker serving the default queue as
production runs it: the first answer's status and server time, then the same URL every quarter second until the
figures are there (an answer without ``Retry-After``), for the dashboard and the stats API.

The per-page runs queue a count for every new filter they ask for and no worker took them: they are dropped from the
queue first (``purge_queue``), or the probe's worker would count them all before the probe's own.
"""

from __future__ import annotations

import re
import secrets
import time

from .cache import BUST_PAIRS
from .http import http_get
from .processes import log
from .worker import purge_queues, start_worker

# Broad searches: their matches pass the live limit at 100,000 entries (educacion ~10 %, cooperacion ~46 %).
DEFERRED_PATHS = (
    "/registro/estadisticas/?q=cooperacion",
    "/api/v1/registry/stats/?by=state&q=cooperacion",
)
FIRST_ANSWER_TARGET_MS = 100  # the statistics' request path (issue #14: ≤ 100 ms at 1M)
FIGURES_WAIT_S = 180  # a count that takes longer is reported as never arriving
POLL_S = 0.25
APP_MS = re.compile(r"app;dur=([\d.]+)")


def _server_ms(headers: dict) -> float | None:
    match = APP_MS.search(headers.get("Server-Timing", ""))
    return float(match.group(1)) if match else None


def _fresh(path: str) -> str:
    """``path`` with year bounds that keep every entry, valid for the filters (the ranges of ``wrk_report.lua``'s
    cache busting), drawn at random: a filter the run's new registry version has not counted."""
    n = secrets.randbelow(BUST_PAIRS)
    return f"{path}&year_min={1900 + n % 90}&year_max={2030 + n // 90}"


def _ask(port: int, path: str) -> dict:
    started = time.monotonic()
    first_status, headers, _body = http_get(port, path)
    first = {
        "status": first_status,
        "server_ms": _server_ms(headers),
        "client_ms": round((time.monotonic() - started) * 1000, 1),
        "deferred": "Retry-After" in headers,
    }
    polls, status, deferred = 0, first_status, first["deferred"]
    while deferred and time.monotonic() - started < FIGURES_WAIT_S:
        time.sleep(POLL_S)
        status, headers, _body = http_get(port, path)
        polls += 1
        deferred = "Retry-After" in headers
    arrived = not deferred and status == 200
    return {
        "path": path,
        "first": first,
        "figures_after_s": round(time.monotonic() - started, 2) if arrived else None,
        "polls": polls,
        "final_status": status,
        "met": arrived
        and first["status"] in (200, 202)
        and first["server_ms"] is not None
        and first["server_ms"] <= FIRST_ANSWER_TARGET_MS,
    }


def deferred_statistics(port: int, *, env, processes, workdir) -> dict:
    queue = env["CELERY_QUEUE"]
    dropped = purge_queues([queue])
    worker = start_worker(env, processes, workdir, queue, "stats")
    try:
        time.sleep(3)  # the worker's start is not the count's cost
        results = [_ask(port, _fresh(path)) for path in DEFERRED_PATHS]
    finally:
        processes.stop(worker)
    for r in results:
        log(
            f"deferred statistics {r['path']}: first answer {r['first']['status']} in {r['first']['server_ms']} ms "
            f"(server; deferred: {r['first']['deferred']}), figures after {r['figures_after_s']} s, {r['polls']} polls"
        )
    return {"dropped_messages": dropped, "results": results, "met": all(r["met"] for r in results)}
