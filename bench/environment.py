"""The run's environment and database: the template generated once per size and seed, cloned per run."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

from . import db
from .generate import GENERATOR_VERSION
from .processes import ROOT, log

__all__ = ["BASE_ROWS", "DEFAULT_TEMPLATE", "apply_what_if", "base_env", "prepare_database"]

BASE_ROWS = 100_000  # cases and registry entries of the default run; --scale multiplies both
DEFAULT_TEMPLATE = "aii_bench_template"


def base_env(args, *, database_url: str, static_root: Path, media_root: Path, queue: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))}
    env.update(
        PORTAL_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        SECURE_SSL_REDIRECT="0",
        PORTAL_BENCH_VIEWS="1",
        CONN_MAX_AGE="600",
        STATIC_ROOT=str(static_root),
        MEDIA_ROOT=str(media_root),
        REDIS_URL=args.redis_url,
        CELERY_QUEUE=queue,
        CELERY_HEAVY_QUEUE=f"{queue}-heavy",  # the certificates' PDFs, served after the steps (bench.worker)
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="portal.settings.base",
        PYTHONUNBUFFERED="1",
        # Every request comes from 127.0.0.1: the API's throttles stay on (their cache round trip is part of
        # the cost) with rates that load from one address never reaches.
        API_THROTTLE_ANON="10000000/s",
        API_THROTTLE_USER="10000000/s",
        # The per-page sections (queries, HTTP, export) measure what a page costs to build: a scenario requests
        # one URL again and again, which the anonymous page cache would answer from Redis after the first. The
        # concurrency section runs production's cache (bench/concurrency.py removes this).
        PUBLIC_PAGE_CACHE_SECONDS="0",
    )
    return env


def _template(args, wanted: dict) -> dict | None:
    """The template's marker, after generating it if it is missing, stale or unfinished (under its lock)."""
    marker = db.read_marker(args.server, args.template) if db.exists(args.server, args.template) else None
    fresh = (
        marker is None or not marker.get("ok") or any(marker.get(k) != v for k, v in wanted.items()) or args.regenerate
    )
    if fresh:
        log(f"generating {args.agreements} cases into {args.template} (seed {args.seed}) ...")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))}
        started = time.monotonic()
        command = [
            sys.executable,
            "-m",
            "bench.generate",
            "--agreements",
            str(args.agreements),
            "--institutions",
            str(args.institutions),
            "--registry",
            str(args.registry),
            "--seed",
            str(args.seed),
            "--database-url",
            db.database_url(args.server, args.template),
            "--recreate",
        ]
        # ~66 s per 100,000 cases + 100,000 entries on 2 cores: the bound grows with the size (1M: ~12 min).
        size = max(args.agreements, args.registry) / BASE_ROWS
        result = subprocess.run(command, cwd=ROOT, env=env, text=True, timeout=int(900 * max(size, 1)))
        if result.returncode != 0:
            raise SystemExit("bench.generate failed; see its output above")
        log(f"generated the template in {time.monotonic() - started:.1f} s")
        marker = db.read_marker(args.server, args.template)
    else:
        log(f"reusing template {args.template}: {marker}")
    return marker


def prepare_database(args) -> dict:
    """Template (generated once per size and seed) cloned into the run's database."""
    wanted = {
        "generator": GENERATOR_VERSION,
        "agreements": args.agreements,
        "institutions": args.institutions,
        "registry": args.registry,
        "seed": args.seed,
    }
    with db.template_lock(args.server, args.template):  # another run neither regenerates it nor clones it meanwhile
        marker = _template(args, wanted)
        started = time.monotonic()
        db.recreate(args.server, args.database, template=args.template)
    log(f"cloned {args.template} -> {args.database} in {time.monotonic() - started:.1f} s")
    return marker or {}


def apply_what_if(database_url: str, path: Path) -> None:
    """Run a what-if SQL script (for example candidate indexes) on the cloned database; the template is untouched."""
    import psycopg

    script = path.read_text()
    started = time.monotonic()
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(script)
    log(f"applied what-if SQL {path} in {time.monotonic() - started:.1f} s")
