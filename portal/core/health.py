"""Checks behind /healthz: database, cache, broker and pending migrations."""

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from portal.celery import app


def check_database() -> str | None:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure is the reason we report
        return f"database unavailable: {exc.__class__.__name__}: {exc}"
    return None


def check_migrations() -> str | None:
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:  # noqa: BLE001
        return f"migrations unknown: {exc.__class__.__name__}: {exc}"
    if plan:
        return f"{len(plan)} unapplied migration(s): " + ", ".join(f"{m.app_label}.{m.name}" for m, _ in plan[:5])
    return None


def check_cache() -> str | None:
    """Redis itself (``probe``), not the local fallback that keeps requests working while it is down."""
    try:
        probe = getattr(cache, "probe", None)
        if probe is not None:
            probe()
        else:
            cache.set("healthz", "ok", 10)
            if cache.get("healthz") != "ok":
                return "cache did not return the value it stored"
    except Exception as exc:  # noqa: BLE001
        return f"cache unavailable: {exc.__class__.__name__}: {exc}"
    return None


def check_broker() -> str | None:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return None
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001
        return f"broker unavailable: {exc.__class__.__name__}: {exc}"
    return None


CHECKS = {"database": check_database, "migrations": check_migrations, "cache": check_cache, "broker": check_broker}


def run_checks() -> dict[str, str]:
    """``{name: "ok" | reason}`` for every check; migrations are skipped when the database is down."""
    results = {}
    for name, check in CHECKS.items():
        if name == "migrations" and results.get("database") != "ok":
            results[name] = "skipped: database unavailable"
            continue
        results[name] = check() or "ok"
    return results
