"""Seeded benchmark data over the real geography: institutions, local officials and cases.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aii_bench_template \\
        .venv/bin/python -m bench.generate --agreements 100000 --seed 42 [--recreate]

Migrates the database and loads the reference and demo data first (idempotent), then creates:

* state and municipal offices (one per state, the rest on municipalities sampled by population),
  with 1-3 local officials each in the "Enlace local" group;
* N cases whose status is reached by simulating the 12-step workflow, so every derived column is
  consistent: ``current_step`` from ``workflow.step_for_status`` (NULL when terminal), timestamps in
  order, ``cja_deadline`` from ``workflow.cja_deadline``, documents, dictámenes with observations,
  the timeline, the registry entry of each closed case, themes through the join tables;
* the registry's imported history (``--registry``, source 'import'): entries signed 1990-2025 with a
  growing yearly count, on the 32 states and real municipalities, with Zipf-distributed Spanish
  vocabulary so that the search terms of ``SEARCH_TERMS`` fall into three selectivity bands;
  ``search_text``, ``theme_keys`` and ``region`` exactly as ``agreements.registry.services.entries._derived`` writes them;
* a profile skew: extra offices, partnerships, focal points and network memberships for two
  governments (``PROFILE_RICH``, ``PROFILE_MEDIUM``) and none for ``PROFILE_POOR``.

Everything is marked ``is_demo``. Rows are written with ``COPY`` (psycopg), in chunks, with explicit
ids; the sequences are moved past them at the end. The same seed and ``--today`` give the same data.
After loading, the distributions are checked (the reference run once had a generator that gave
every row the same year) and printed; a failed check exits non-zero.

The code lives in ``bench/data/``: ``generator`` (the order of the steps), ``institutions``, ``cases`` (with
``lifecycle``: the statuses and moves read from the workflow table), ``registry`` (the imported history and the
columns from the column spec), ``profiles``, ``tables`` (the COPY writer), ``checks``, and the vocabularies.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from . import db

__all__ = ["GENERATOR_VERSION", "main"]

GENERATOR_VERSION = 3  # 2: imported registry history, search_text/theme_keys on workflow entries, profile skew
# 3: Mexico City's entries signed before 2016 say "Distrito Federal" (the date-skewed search term)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--agreements", type=int, default=100_000, help="cases to create (default 100000)")
    parser.add_argument("--institutions", type=int, default=2_000, help="state + municipal offices (default 2000)")
    parser.add_argument(
        "--registry", type=int, default=100_000, help="imported registry entries, 1990-2025 (default 100000)"
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--today", type=dt.date.fromisoformat, default=None, help="date the data is relative to (default: today)"
    )
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL (default: $DATABASE_URL)")
    parser.add_argument("--recreate", action="store_true", help="drop and create the database first")
    return parser.parse_args(argv)


def configure_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    # The demo loader files its cases through the real services: run their tasks in-process (no broker,
    # so nothing reaches another worker's queue) and keep its uploaded files out of the project tree.
    for name in ("REDIS_URL", "CELERY_BROKER_URL"):
        os.environ.pop(name, None)
    os.environ.setdefault("MEDIA_ROOT", str(Path(tempfile.gettempdir()) / "aii-bench-media"))
    os.environ.setdefault("STATIC_ROOT", str(Path(tempfile.gettempdir()) / "aii-bench-static-unused"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
    os.environ.setdefault("DJANGO_DEBUG", "0")  # no query log in memory during the bulk load
    import django

    django.setup()


def main(argv=None) -> int:
    args = parse_args(argv)
    url = args.database_url or os.environ.get("DATABASE_URL", "")
    server, name = db.split_url(url)
    if args.recreate:
        db.recreate(server, name)
    configure_django(url)
    # The data modules import the models: they load once Django is set up (the runner imports this module before).
    from .data.checks import check_distributions, check_registry
    from .data.generator import Generator

    started = time.monotonic()
    summary = Generator(
        agreements=args.agreements,
        institutions=args.institutions,
        registry=args.registry,
        seed=args.seed,
        today=args.today or dt.date.today(),
    ).run()
    failures = check_distributions(summary["expected"]) + check_registry(
        summary["expected"], args.today or dt.date.today()
    )
    marker = {
        "generator": GENERATOR_VERSION,
        "agreements": args.agreements,
        "institutions": args.institutions,
        "registry": args.registry,
        "seed": args.seed,
        "today": (args.today or dt.date.today()).isoformat(),
        "seconds": round(time.monotonic() - started, 1),
        "ok": not failures,
    }
    db.write_marker(server, name, marker)
    print(f"generated in {marker['seconds']} s: {json.dumps(marker)}")
    if failures:
        print("DISTRIBUTION CHECKS FAILED:\n  " + "\n  ".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
