"""Two benchmark runs that find the template missing generate it one after the other (bench.db.template_lock)."""

import psycopg
import pytest
from django.conf import settings

from bench import db

pytestmark = pytest.mark.skipif(not settings.USING_POSTGRES, reason="an advisory lock of the PostgreSQL server")


def _server() -> str:
    options = settings.DATABASES["default"]
    return f"postgres://{options['USER']}@{options['HOST'] or '127.0.0.1'}:{options['PORT'] or 5432}"


def _try_lock(server: str, name: str) -> bool:
    with psycopg.connect(db.database_url(server, "postgres"), autocommit=True) as conn:
        key = f"bench-template:{name}"
        taken = conn.execute("SELECT pg_try_advisory_lock(hashtext(%s))", [key]).fetchone()[0]
        if taken:
            conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", [key])
        return taken


def test_a_template_is_locked_while_one_run_prepares_it_and_free_after():
    server = _server()
    with db.template_lock(server, "aii_bench_template_locktest"):
        assert not _try_lock(server, "aii_bench_template_locktest")
        assert _try_lock(server, "aii_bench_template_other")  # another template is not held up
    assert _try_lock(server, "aii_bench_template_locktest")
