"""Concurrency (issue #14): 50 public visitors and one reviewer at once, against gunicorn as production runs it.

A gunicorn of its own with ``portal/gunicorn_conf.py`` (gthread workers, 2 × cores + 1 processes, 4 threads,
production's timeout and keep-alive), the access log off, on a free port of 127.0.0.1. Two wrk processes run at
the same time: 50 connections rotating over the public pages (lists, searches, filters, deep pages, statistics,
profiles, comparison) and one connection rotating over the CJA and DGCP inboxes with each account's session.
Every connection waits a think time before each request (``wrk_report.lua``'s ``delay()``: exponential, capped
below the keep-alive). Targets: client p95 ≤ 300 ms (public) and ≤ 150 ms (inbox), no error, no non-2xx.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from agreements.choices import STAT_DIMENSIONS
from portal import gunicorn_conf

from .http import WRK_TIMEOUT_S, http_get, wait_ready, wrk_base, wrk_result
from .processes import VENV_BIN, free_port, log
from .samples import cpu_busy, judge, run_has_samples
from .scenarios import SCENARIO_BY_KEY

__all__ = [
    "CONCURRENCY_SECONDS",
    "INBOX_TARGET_MS",
    "PUBLIC_CLIENTS",
    "PUBLIC_GROUPS",
    "PUBLIC_TARGET_MS",
    "REVIEWER_KEYS",
    "REVIEWER_THINK_MS",
    "THINK_CAP_MS",
    "THINK_MS",
    "gunicorn_command",
    "interleave",
    "public_paths",
    "reviewer_lines",
    "run_concurrency",
    "verdict",
    "wrk_command",
]

PUBLIC_TARGET_MS = 300  # issue #14: public p95 ≤ 300 ms with 50 concurrent clients and a reviewer
INBOX_TARGET_MS = 150  # issue #14: inbox p95 ≤ 150 ms meanwhile
PUBLIC_CLIENTS = 50
# Think time, mean of an exponential wait before each request. 1 s for a visitor is harsh (a person reads a
# page for several seconds): 50 clients offer ~50 requests/s, the load a far larger audience would give. The
# reviewer clicks every 0.5 s on average so that 30 s give ~50 inbox samples (a p95 of 20 would be the maximum).
THINK_MS = 1_000
REVIEWER_THINK_MS = 500
# Capped below gunicorn's keep-alive: an idle connection closed by the server while wrk writes on it counts
# as a read error in wrk, which is not the portal's.
THINK_CAP_MS = gunicorn_conf.keepalive * 1000 - 500
CONCURRENCY_SECONDS = (5, 30)  # warm-up, measured (--concurrency-warmup, --concurrency-duration)

# The public rotation: groups of scenarios (bench/scenarios.py) whose paths (their own rotations, or their
# one URL) are interleaved so that each group is an equal share of the requests, one kind after another.
PUBLIC_GROUPS = {
    "lists": (
        "registry_html",
        "registry_api",
        "registry_html_deep_1k",
        "registry_api_deep_1k",
        "registry_html_deep_100k",
        "registry_api_deep_100k",
    ),
    "searches": ("search_mix_html", "search_mix_api"),
    "filters": ("filter_mix_html", "filter_mix_api"),
    "depths": ("depth_mix_html", "depth_mix_api"),
    # The cached path (no cache busting): what most visitors get once the first one has paid for the key.
    "statistics": ("stats_dashboard_cached", *(f"stats_{dimension}" for dimension in STAT_DIMENSIONS)),
    "profiles": (
        "profile_state_rich",
        "profile_state_poor",
        "profile_municipality_rich",
        "profile_municipality_poor",
        "state_comparison",
        "state_directory",
    ),
}
REVIEWER_KEYS = ("cja_inbox", "dgcp_inbox")  # each with its own account's session (a CJA user has no DGCP inbox)


def interleave(groups: list[list[str]]) -> list[str]:
    """One path of each group in turn, the shorter groups cycled, until every path of every group came once:
    each group gets the same share of the requests, whatever its number of paths."""
    groups = [g for g in groups if g]
    if not groups:
        return []
    longest = max(len(g) for g in groups)
    return [g[i % len(g)] for i in range(longest) for g in groups]


def public_paths(placeholders: dict, groups: dict[str, tuple[str, ...]] = PUBLIC_GROUPS) -> tuple[list[str], dict]:
    """The public rotation (placeholders such as the deep cursors filled in) and the paths per group."""
    by_group = {}
    for name, keys in groups.items():
        paths = []
        for key in keys:
            scenario = SCENARIO_BY_KEY[key].resolved(placeholders)
            if scenario.user:
                raise ValueError(f"{key} is not a public page")
            # A cache-busting scenario busts in wrk_report.lua, not in its path: the path is the cached one.
            paths += scenario.rotate or [scenario.path]
        by_group[name] = paths
    return interleave(list(by_group.values())), {name: len(paths) for name, paths in by_group.items()}


def reviewer_lines(placeholders: dict, cookies: dict[str, str], keys: tuple[str, ...] = REVIEWER_KEYS) -> list[str]:
    """The reviewer's rotation: each inbox and its variants (a deep page, another order, a filter, a search),
    the inboxes in turn, each line ``<path>\\t<cookie>`` for wrk_report.lua."""
    groups = []
    for key in keys:
        scenario = SCENARIO_BY_KEY[key].resolved(placeholders)
        cookie = cookies[scenario.user]
        groups.append(
            [f"{path}\t{cookie}" for path in [scenario.path, *(scenario.path + v for v in scenario.variants)]]
        )
    return interleave(groups)


def gunicorn_command(*, port: int) -> list[str]:
    """Production's gunicorn (``-c python:portal.gunicorn_conf``, as docker-compose.yml runs it) serving the
    bench's WSGI app on 127.0.0.1; the command line only binds it and turns the access log off."""
    return [
        str(VENV_BIN / "gunicorn"),
        "-c",
        "python:portal.gunicorn_conf",
        "bench.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--access-logfile",
        os.devnull,
        "--log-level",
        "warning",
    ]


def wrk_command(port: int, *, connections: int, seconds: int, paths_file: Path, think_ms: int, seed: int) -> list[str]:
    """wrk with wrk_report.lua rotating over ``paths_file``, each connection thinking ``think_ms`` on average."""
    return [
        *wrk_base(connections=connections, seconds=seconds),
        f"http://127.0.0.1:{port}/",
        "--",
        "-",
        str(paths_file),
        str(think_ms),
        str(THINK_CAP_MS),
        str(seed),
    ]


def verdict(run: dict | None, target_ms: float) -> dict:
    """One client's figures judged: client p95 ≤ target (the wait for a free gunicorn thread is the contention
    measured here, so the client figure is the one judged; the server's is reported beside it), no socket error,
    no response outside 2xx, and samples (none is a failure, never a fast page)."""
    samples = run is not None and run_has_samples(run)
    statuses = (run or {}).get("statuses", {})
    non_2xx = sum(n for code, n in statuses.items() if not 200 <= int(code) < 300)
    # wrk's "status" error counts responses above 399, already in non_2xx.
    errors = sum(n for kind, n in (run or {}).get("errors", {}).items() if kind != "status")
    client_p95 = run["latency_ms"]["p95"] if samples else None
    return {
        "requests": (run or {}).get("requests", 0),
        "rps": (run or {}).get("rps"),
        "client_p50": run["latency_ms"]["p50"] if samples else None,
        "client_p95": client_p95,
        "client_p99": run["latency_ms"]["p99"] if samples else None,
        "server_p95": run["server_ms"]["p95"] if samples else None,
        "server_samples": (run or {}).get("server_ms", {}).get("samples", 0),
        "errors": errors,
        "non_2xx": non_2xx,
        "target_ms": target_ms,
        "samples": samples,
        "met": bool(samples and judge(client_p95, target_ms) and errors == 0 and non_2xx == 0),
    }


def _run_pair(commands: dict[str, list[str]], seconds: int) -> dict[str, dict]:
    """The wrk processes at the same time; each one's JSON line."""
    running = {
        name: subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name, command in commands.items()
    }
    out = {}
    try:
        for name, proc in running.items():
            stdout, stderr = proc.communicate(timeout=seconds + WRK_TIMEOUT_S + 30)
            out[name] = wrk_result(f"the {name} clients", proc.returncode, stdout, stderr)
    finally:
        for proc in running.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)
    return out


def run_concurrency(args, env, cookies: dict[str, str], placeholders: dict, processes, workdir: Path) -> dict:
    import psutil

    port = free_port()
    # Production's anonymous page cache, which the per-page sections turn off (bench/environment.py).
    env = {k: v for k, v in env.items() if k != "PUBLIC_PAGE_CACHE_SECONDS"}
    gunicorn = processes.start(gunicorn_command(port=port), env=env, log_path=workdir / "gunicorn-concurrency.log")
    try:
        wait_ready(port, gunicorn)
        worker_processes = len(psutil.Process(gunicorn.pid).children())
        log(
            f"production gunicorn ready on 127.0.0.1:{port} ({worker_processes} {gunicorn_conf.worker_class} workers "
            f"× {gunicorn_conf.threads} threads, portal/gunicorn_conf.py)"
        )
        public, groups = public_paths(placeholders)
        reviewer = reviewer_lines(placeholders, cookies)
        # Every path answers 200 before the load (a redirect to the login page would be fast and wrong); this
        # also fills the statistics cache, which the public rotation reads on its cached path.
        failed = {}
        for line in dict.fromkeys(public + reviewer):
            path, _tab, cookie = line.partition("\t")
            status, _headers, _body = http_get(port, path, cookie or None)
            if status != 200:
                failed[path] = status
        if failed:
            raise SystemExit(f"concurrency: paths did not answer 200: {failed}")
        files = {}
        for name, lines in (("public", public), ("reviewer", reviewer)):
            files[name] = workdir / f"concurrency-{name}.paths"
            files[name].write_text("\n".join(lines) + "\n")

        def commands(seconds: int, seed: int) -> dict[str, list[str]]:
            return {
                "public": wrk_command(
                    port,
                    connections=args.public_clients,
                    seconds=seconds,
                    paths_file=files["public"],
                    think_ms=args.think_ms,
                    seed=seed,
                ),
                "reviewer": wrk_command(
                    port,
                    connections=1,
                    seconds=seconds,
                    paths_file=files["reviewer"],
                    think_ms=args.reviewer_think_ms,
                    seed=seed + 1,
                ),
            }

        cpu_busy_before = cpu_busy()
        _run_pair(commands(args.concurrency_warmup, 1), args.concurrency_warmup)
        runs = _run_pair(commands(args.concurrency_duration, 2), args.concurrency_duration)
        public_verdict = verdict(runs["public"], PUBLIC_TARGET_MS)
        reviewer_verdict = verdict(runs["reviewer"], INBOX_TARGET_MS)
        for name, v in (("public", public_verdict), ("inbox", reviewer_verdict)):
            log(
                f"concurrency {name:8} {v['requests']} requests ({v['rps']} req/s), client p95 {v['client_p95']} ms, "
                f"server p95 {v['server_p95']} ms, {v['errors']} errors, {v['non_2xx']} non-2xx: "
                f"{'pass' if v['met'] else 'MISS'} (≤ {v['target_ms']} ms)"
            )
        return {
            "gunicorn": {
                "conf": "portal/gunicorn_conf.py",
                "worker_class": gunicorn_conf.worker_class,
                "workers": gunicorn_conf.workers,
                "worker_processes_seen": worker_processes,
                "threads": gunicorn_conf.threads,
                "timeout": gunicorn_conf.timeout,
                "keepalive": gunicorn_conf.keepalive,
            },
            "warmup_s": args.concurrency_warmup,
            "duration_s": args.concurrency_duration,
            "think_cap_ms": THINK_CAP_MS,
            "cpu_busy_before": cpu_busy_before,
            "public": {
                "clients": args.public_clients,
                "think_ms": args.think_ms,
                "paths": len(public),
                "groups": groups,
                **public_verdict,
                "run": runs["public"],
            },
            "reviewer": {
                "clients": 1,
                "think_ms": args.reviewer_think_ms,
                "paths": len(reviewer),
                "inboxes": [SCENARIO_BY_KEY[k].path for k in REVIEWER_KEYS],
                **reviewer_verdict,
                "run": runs["reviewer"],
            },
            "pass": public_verdict["met"] and reviewer_verdict["met"],
        }
    finally:
        processes.stop(gunicorn)
        log("production gunicorn stopped")
