"""CPU per automatic-step task, in-process: what a worker process spends on one task, without the broker.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aii_mine REDIS_URL=redis://127.0.0.1:6379/11 \\
        CELERY_QUEUE=step-cpu .venv/bin/python -m bench.step_cpu --cases 200

It CHANGES the database (it puts demo cases at steps 5, 10 and 12 and walks them, as ``bench.worker`` does):
run it on a disposable clone (``createdb -T aii_bench_template aii_mine``), never on the template. The
messages the steps queue (the outbox flush, the certificates) land on ``CELERY_QUEUE`` and its heavy queue;
nothing consumes them, so use a queue of your own and delete it afterwards.

For the no-op task and ``workflow_advance_task`` from step 5 (walks 5 and 6), 10 and 12: ``--cases`` tasks in
``--batches`` batches after one to warm up, ``time.process_time()`` per task (the fastest batch and the median:
on a shared machine the fastest is the least disturbed), the Python function calls per task (``cProfile``, a
count that does not depend on the machine's load) and the statements of one more task (BEGIN and COMMIT
included). Production settings (``DEBUG`` off) as the bench's worker runs them.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import os
import pstats
import statistics
import time


def _cpu_per_task(task, calls: list[list], batches: int) -> dict:
    with contextlib.redirect_stdout(io.StringIO()):  # the console e-mail backend
        task.apply(args=calls[0]).get()
        size = max((len(calls) - 1) // batches, 1)
        per_batch = []
        for start in range(1, len(calls), size):
            batch = calls[start : start + size]
            started = time.process_time()
            for args in batch:
                task.apply(args=args).get()
            per_batch.append((time.process_time() - started) / len(batch) * 1000)
    return {
        "cpu_ms_fastest_batch": round(min(per_batch), 3),
        "cpu_ms_median_batch": round(statistics.median(per_batch), 3),
    }


def _calls_per_task(task, calls: list[list]) -> int:
    profile = cProfile.Profile()
    with contextlib.redirect_stdout(io.StringIO()):
        profile.enable()
        for args in calls:
            task.apply(args=args).get()
        profile.disable()
    return round(pstats.Stats(profile).total_calls / len(calls))


def _statements(task, args: list) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context, contextlib.redirect_stdout(io.StringIO()):
        task.apply(args=args).get()
    return len(context.captured_queries)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=200, help="timed tasks per kind (default 200)")
    parser.add_argument("--batches", type=int, default=5)
    parser.add_argument("--profiled", type=int, default=30, help="further tasks per kind counted by cProfile")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
    os.environ.setdefault("PORTAL_ENV", "production")
    os.environ.setdefault("SECRET_KEY", "bench-step-cpu-" + "x" * 40)
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    import django

    django.setup()
    from agreements.tasks import workflow_advance_task
    from bench.tasks import bench_noop_task
    from bench.worker import _prepare_late_cases, _prepare_workflow_cases

    wanted = 1 + args.cases + args.profiled + 1
    out = {"noop": _cpu_per_task(bench_noop_task, [["step-cpu:noop"]] * (4 * args.cases), args.batches)}
    out["noop"]["calls_per_task"] = _calls_per_task(bench_noop_task, [["step-cpu:noop"]] * args.profiled)
    used: set[int] = set()
    walked_from_5 = 0
    for step in (5, 10, 12):
        ids = _prepare_workflow_cases(wanted) if step == 5 else _prepare_late_cases(wanted, step, used)
        used.update(ids)
        if len(ids) < wanted:
            raise SystemExit(f"only {len(ids)} demo cases for step {step}; fewer --cases")
        walked_from_5 = walked_from_5 or ids[0]
        calls = [[pk, step] for pk in ids]
        timed, profiled, last = calls[: 1 + args.cases], calls[1 + args.cases : -1], calls[-1]
        out[f"step{step}"] = {
            **_cpu_per_task(workflow_advance_task, timed, args.batches),
            "calls_per_task": _calls_per_task(workflow_advance_task, profiled),
            "statements": _statements(workflow_advance_task, last),
        }
    # A second delivery for step 6 of a case the step-5 task walked past: the cost of a stale message.
    out["stale_step6_statements"] = _statements(workflow_advance_task, [walked_from_5, 6])
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
