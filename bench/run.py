"""The benchmark runner: ``make bench`` or ``.venv/bin/python -m bench.run [--suite cases|registry|profiles|concurrency|all]``.

Four suites (``--suite``, default all): ``cases`` (inboxes, case dashboard, agreements API, Celery),
``registry`` (the public registry: lists, deep pages, search bands, filters, statistics, CSV export),
``profiles`` (state and municipal profiles, the 32-state comparison) and ``concurrency`` (50 public clients and a
reviewer at once under production's gunicorn).

1. Data: reuse the template database (``aii_bench_template``) when its marker matches the requested
   size and seed, otherwise generate it (``bench.generate``); clone it into ``aii_bench``
   (``CREATE DATABASE ... TEMPLATE``), apply any newer migrations, ``ANALYZE``.
2. Queries per request, in-process: ``django.test.Client`` + ``CaptureQueriesContext`` on each page and
   on variants (later/deep pages, other page sizes, filters, a rich and a poor government) that must
   issue the same number of queries; the slowest statement of each page is kept with its
   ``EXPLAIN ANALYZE`` when it is slow; the registry entries each registry page's filters match.
3. HTTP: gunicorn (2 sync workers, production settings, ``DEBUG`` off) on a free loopback port,
   serving ``bench.wsgi`` (the portal plus ``Server-Timing``/``X-Bench-Queries`` headers). For each
   scenario: a check that it answers 200 with the same rows as its anchor, ``wrk`` warm-up, then the
   measured ``wrk`` run; all scenarios are repeated (``--repeat``) and the medians reported.
4. Concurrency (concurrency suite): gunicorn with ``portal/gunicorn_conf.py`` (gthread, 2 × cores + 1 workers,
   4 threads); 50 wrk connections over the public pages and one over the CJA/DGCP inboxes at the same time, each
   with an exponential think time; client p95 ≤ 300 ms (public) and ≤ 150 ms (inbox), no error.
5. Export (registry suite): the registry CSV through gunicorn with 1 worker, its RSS sampled every 20 ms
   (psutil), against ``COPY ... TO STDOUT`` of the same rows.
6. Celery (cases suite): a real worker (prefork, 2 processes) on a queue of its own; the no-op task, then
   ``workflow_advance_task`` on cases put at step 5; throughput from first to last completion.
7. Report: ``bench/results/<timestamp>.json`` and Markdown tables on stdout.

Every process started here is stopped in a ``finally`` block; every wait is bounded; only 127.0.0.1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

from . import compare, db
from .cache import drop_cached_statistics, invalidate_cached_statistics
from .concurrency import CONCURRENCY_SECONDS, PUBLIC_CLIENTS, REVIEWER_THINK_MS, THINK_MS, run_concurrency
from .environment import BASE_ROWS, DEFAULT_TEMPLATE, apply_what_if, base_env, prepare_database
from .export import run_export
from .http import run_http
from .processes import REFERENCE_FILE, RESULTS_DIR, ROOT, Processes, log, run_checked
from .queries import make_sessions, measure_queries, placeholder_values, registry_matches
from .report import anchor_values, drift_warnings, hard_failures, machine, markdown, summarise, versions
from .scenarios import SCENARIO_BY_KEY, SCENARIOS, SUITE_SECONDS, SUITES, scenario_seconds
from .worker import WORKER_TASK_RATIO, purge_queues, run_celery

__all__ = ["main", "parse_args"]


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--agreements", type=int, default=None, help="dataset size (default 100000 × --scale)")
    parser.add_argument("--institutions", type=int, default=2_000, help="generated offices (default 2000)")
    parser.add_argument(
        "--registry", type=int, default=None, help="imported registry entries (default 100000 × --scale)"
    )
    parser.add_argument(
        "--scale",
        type=int,
        default=1,
        help="multiply the default dataset (100,000 cases and registry entries): --scale 10 is the 1M run, on a "
        "template of its own (aii_bench_template_x10) so the 100k one is kept; compare the two results with "
        "python -m bench.compare",
    )
    parser.add_argument(
        "--compare-with",
        type=Path,
        default=None,
        help="an earlier results JSON (e.g. the 100k run): print how each p95 grew since (bench.compare)",
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--suite",
        default="all",
        help="comma-separated suites: cases (inboxes, dashboard, agreements API, Celery), registry (public registry "
        "pages, statistics, CSV export), profiles (state/municipal profiles, comparison), concurrency (50 public "
        "clients and a reviewer at once, production gunicorn), or all (default)",
    )
    parser.add_argument(
        "--scenarios",
        default="all",
        help="comma-separated keys within the suites (their anchors are added): " + ", ".join(SCENARIO_BY_KEY),
    )
    parser.add_argument(
        "--duration",
        type=int,
        default=None,
        help="seconds measured per scenario (wrk -d); default per suite: " + _suite_seconds_help(1),
    )
    parser.add_argument(
        "--warmup", type=int, default=None, help="seconds of warm-up per scenario; default " + _suite_seconds_help(0)
    )
    parser.add_argument("--connections", type=int, default=4, help="wrk -c (2 x workers)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--repeat", type=int, default=2, help="repetitions of the scenario list (medians reported)")
    parser.add_argument("--celery-tasks", type=int, default=3_000, help="no-op tasks per round (0 skips Celery)")
    parser.add_argument(
        "--noop-rounds", type=int, default=3, help="no-op rounds; the fastest is the ceiling the ratio uses (default 3)"
    )
    parser.add_argument("--workflow-cases", type=int, default=3_000, help="cases put at step 5 for the worker")
    parser.add_argument("--no-http", action="store_true", help="skip the HTTP scenarios")
    parser.add_argument("--no-celery", action="store_true", help="skip the Celery section (cases suite)")
    parser.add_argument("--no-export", action="store_true", help="skip the CSV export section (registry suite)")
    parser.add_argument(
        "--no-concurrency", action="store_true", help="skip the concurrency section (concurrency suite, part of all)"
    )
    parser.add_argument(
        "--public-clients",
        type=int,
        default=PUBLIC_CLIENTS,
        help=f"concurrent public clients (default {PUBLIC_CLIENTS})",
    )
    parser.add_argument(
        "--think-ms",
        type=int,
        default=THINK_MS,
        help=f"public clients' mean think time before each request, exponential (default {THINK_MS})",
    )
    parser.add_argument(
        "--reviewer-think-ms",
        type=int,
        default=REVIEWER_THINK_MS,
        help=f"the reviewer's mean think time (default {REVIEWER_THINK_MS}: ~50 inbox samples in 30 s)",
    )
    parser.add_argument(
        "--concurrency-duration",
        type=int,
        default=CONCURRENCY_SECONDS[1],
        help=f"seconds measured with every client at once (default {CONCURRENCY_SECONDS[1]})",
    )
    parser.add_argument(
        "--concurrency-warmup",
        type=int,
        default=CONCURRENCY_SECONDS[0],
        help=f"seconds of warm-up with every client at once (default {CONCURRENCY_SECONDS[0]})",
    )
    parser.add_argument("--export-repeat", type=int, default=3, help="full CSV exports measured (default 3)")
    parser.add_argument("--regenerate", action="store_true", help="generate the template again")
    parser.add_argument(
        "--save-reference", action="store_true", help=f"store this run's anchors in bench/{REFERENCE_FILE.name}"
    )
    parser.add_argument(
        "--what-if-sql",
        type=Path,
        default=None,
        help="SQL file applied to the run's database after cloning (try an index without touching the app)",
    )
    parser.add_argument("--server", default=db.DEFAULT_SERVER, help="PostgreSQL server URL (no database)")
    parser.add_argument("--database", default="aii_bench", help="database the run uses (recreated)")
    parser.add_argument("--template", default=DEFAULT_TEMPLATE, help="generated snapshot cloned per run")
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/9",
        help="broker and cache of the run (default: database 9, so that cached registry statistics never mix "
        "with a development server's on database 0: the app's cache keys do not name the database)",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.scale <= 100:
        parser.error("--scale must be between 1 and 100")
    args.agreements = args.agreements if args.agreements is not None else BASE_ROWS * args.scale
    args.registry = args.registry if args.registry is not None else BASE_ROWS * args.scale
    if args.scale != 1 and args.template == DEFAULT_TEMPLATE:
        args.template = f"{DEFAULT_TEMPLATE}_x{args.scale}"
    suites = set(SUITES) if args.suite == "all" else {s.strip() for s in args.suite.split(",") if s.strip()}
    if not suites or suites - set(SUITES):
        parser.error(f"unknown suite in {args.suite!r}; choose from {', '.join(SUITES)} or all")
    args.suites = [s for s in SUITES if s in suites]
    if args.scenarios == "all":
        keys = [s.key for s in SCENARIOS if s.suite in suites or s.suite == "all"]
    else:
        keys = [k.strip() for k in args.scenarios.split(",") if k.strip()]
        unknown = [k for k in keys if k not in SCENARIO_BY_KEY]
        if unknown:
            parser.error(f"unknown scenarios {unknown}; choose from {list(SCENARIO_BY_KEY)}")
        keys += [SCENARIO_BY_KEY[k].depth_of for k in keys if SCENARIO_BY_KEY[k].depth_of]
        keys += [SCENARIO_BY_KEY[k].anchor for k in keys if SCENARIO_BY_KEY[k].anchor]
        keys.append("hello")
        args.suites = [s for s in SUITES if any(SCENARIO_BY_KEY[k].suite == s for k in keys)]
    args.scenario_keys = [s.key for s in SCENARIOS if s.key in set(keys)]
    for option in ("duration", "warmup", "connections", "workers", "repeat", "export_repeat"):
        if getattr(args, option) is not None and not 0 < getattr(args, option) <= 120:
            parser.error(f"--{option} must be between 1 and 120")
    for option, low, high in (
        ("public_clients", 1, 500),
        ("think_ms", 0, 60_000),
        ("reviewer_think_ms", 0, 60_000),
        ("concurrency_duration", 1, 600),
        ("concurrency_warmup", 1, 120),
    ):
        if not low <= getattr(args, option) <= high:
            parser.error(f"--{option.replace('_', '-')} must be between {low} and {high}")
    return args


def _suite_seconds_help(index: int) -> str:
    return ", ".join(f"{suite} {seconds[index]}" for suite, seconds in SUITE_SECONDS.items())


# --- main -----------------------------------------------------------------------------------


def main(argv=None) -> int:
    args = parse_args(argv)
    run_started = time.monotonic()
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    workdir = Path(tempfile.mkdtemp(prefix="aii-bench-"))
    queue = f"aii-bench-{os.getpid()}-{stamp}"
    processes = Processes()
    succeeded = False
    try:
        marker = prepare_database(args)
        env = base_env(
            args,
            database_url=db.database_url(args.server, args.database),
            static_root=workdir / "static",
            media_root=Path(tempfile.gettempdir()) / "aii-bench-media",
            queue=queue,
        )
        run_checked(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env=env, what="migrate (newer migrations)"
        )
        run_checked([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, what="collectstatic")
        if args.what_if_sql:
            apply_what_if(db.database_url(args.server, args.database), args.what_if_sql)
        os.environ.update(env)
        import django

        django.setup()
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        invalidate_cached_statistics()
        sessions = make_sessions()
        scenarios = [SCENARIO_BY_KEY[k] for k in args.scenario_keys]
        placeholders = {}
        if any("{" in s.path + "".join(s.variants + s.rotate) + (s.compare or "") for s in scenarios):
            placeholders = placeholder_values()
            scenarios = [s.resolved(placeholders) for s in scenarios]
        report = {
            "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "machine": machine(),
            "versions": versions(),
            "dataset": {"template": args.template, "database": args.database, **marker},
            "config": {
                **{
                    k: getattr(args, k)
                    for k in (
                        "duration",
                        "warmup",
                        "connections",
                        "workers",
                        "repeat",
                        "celery_tasks",
                        "noop_rounds",
                        "workflow_cases",
                        "export_repeat",
                        "suites",
                        "public_clients",
                        "think_ms",
                        "reviewer_think_ms",
                        "concurrency_duration",
                        "concurrency_warmup",
                    )
                },
                "seconds_per_scenario": {s.key: scenario_seconds(args, s) for s in scenarios},
                "placeholders": placeholders,
                "what_if_sql": args.what_if_sql.read_text() if args.what_if_sql else None,
            },
            "scenarios": [asdict(s) for s in scenarios],
        }
        rows, celery, warnings, export, concurrency = [], None, [], None, None
        if not args.no_http:
            log("queries per request (in-process, django.test.Client + CaptureQueriesContext) ...")
            queries = measure_queries(scenarios, sessions)
            for key, q in queries.items():
                log(f"  {key:26} {q['queries']} queries {'(constant)' if q['invariant'] else q['variants']}")
            matches = registry_matches(scenarios)
            for key, n in matches.items():
                log(f"  {key:26} matches {n:,} registry entries")
            http = run_http(args, env, scenarios, sessions, processes, workdir)
            log(f"dropped {drop_cached_statistics()} cached statistics from {args.redis_url}")
            rows = summarise(scenarios, http, queries, matches)
            # A what-if run changes the database on purpose: its anchors are not comparable with the reference.
            dataset = None if args.what_if_sql else (args.agreements, args.registry)
            warnings = drift_warnings(http, rows, dataset)
            if args.save_reference:
                REFERENCE_FILE.write_text(
                    json.dumps(
                        {
                            "date": report["date"],
                            "machine": report["machine"],
                            "agreements": args.agreements,
                            "registry": args.registry,
                            "anchors": anchor_values(rows),
                        },
                        indent=1,
                    )
                    + "\n"
                )
            report.update(queries=queries, matches=matches, http=http, summary=rows, warnings=warnings)
        if "concurrency" in args.suites and not args.no_concurrency:
            from django.conf import settings

            cookies = {role: f"{settings.SESSION_COOKIE_NAME}={key}" for role, key in sessions.items()}
            concurrency = run_concurrency(args, env, cookies, placeholders or placeholder_values(), processes, workdir)
            log(f"dropped {drop_cached_statistics()} cached statistics from {args.redis_url}")
            report["concurrency"] = concurrency
        if "registry" in args.suites and not args.no_export:
            export = run_export(args, env, processes, workdir)
            report["export"] = export
        if "cases" in args.suites and not args.no_celery and args.celery_tasks > 0:
            from portal.celery import app  # noqa: F401 - the configured app becomes current for apply_async

            # Counts of statistics the page runs queued for new filters (no worker took them) would run first.
            log(f"dropped {purge_queues([queue])} messages left on {queue} by the page runs")
            celery = run_celery(args, env, processes, workdir, queue)
            celery["checks"] = {
                "steps_per_min >= 3000": celery["workflow"]["steps_per_min"] >= 3_000,
                f"steps 5-6 per task >= {WORKER_TASK_RATIO} of no-op": celery["ratio_to_noop"] >= WORKER_TASK_RATIO,
                **{
                    f"step {step} per task >= {WORKER_TASK_RATIO} of no-op": phase["ratio_to_noop"] >= WORKER_TASK_RATIO
                    for step, phase in celery["late_steps"].items()
                },
                **{
                    f"every step {step} task done": phase["all_completed"]
                    for step, phase in celery["late_steps"].items()
                },
                "every case advanced exactly twice": celery["workflow"]["all_completed"]
                and celery["workflow"]["each_case_advanced_twice"],
                "every notification e-mailed": celery["workflow"]["outbox_emptied"]
                and celery["workflow"]["notifications_emailed"] == celery["workflow"]["notifications"],
            }
            celery["pass"] = all(celery["checks"].values())
            report["celery"] = celery
        http_report = report.get("http") or {}
        table = markdown(
            rows,
            celery,
            warnings,
            export,
            http_report.get("list_during_export"),
            concurrency,
            http_report.get("deferred_statistics"),
        )
        report["markdown"] = table
        report["seconds"] = round(time.monotonic() - run_started, 1)
        RESULTS_DIR.mkdir(exist_ok=True)
        out = RESULTS_DIR / f"{stamp}.json"
        out.write_text(json.dumps(report, indent=1, default=str, ensure_ascii=False))
        print()
        print(table)
        print()
        log(f"results: {out.relative_to(ROOT)} (run took {report['seconds']} s)")
        if args.compare_with:
            print()
            compare.main([str(args.compare_with), str(out)])
        succeeded = True
        hard = hard_failures(rows, export, concurrency, (report.get("http") or {}).get("deferred_statistics"))
        for failure in hard:
            log(f"HARD GATE FAILED: {failure}")
        return 1 if hard else 0
    finally:
        processes.stop_all()
        if succeeded:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            log(f"logs kept in {workdir} (gunicorn.log, worker-*.log)")


if __name__ == "__main__":
    sys.exit(main())
