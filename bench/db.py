"""PostgreSQL administration for the benchmark: create, drop, snapshot (template) and clone databases.

Runs on the maintenance database of the same server (``postgres``), in autocommit, with psycopg.
A generated database carries a JSON marker in its ``COMMENT`` (what was generated, with which seed),
so the runner can reuse a template instead of generating 100k agreements again.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"


def database_url(server: str, name: str) -> str:
    parts = urlsplit(server)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def split_url(url: str) -> tuple[str, str]:
    """``postgres://u@h:5432/name`` -> (``postgres://u@h:5432``, ``name``)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or parts.scheme not in ("postgres", "postgresql"):
        raise ValueError(f"Not a PostgreSQL database URL with a database name: {url}")
    return urlunsplit((parts.scheme, parts.netloc, "", parts.query, "")), name


def _admin(server: str) -> psycopg.Connection:
    return psycopg.connect(database_url(server, "postgres"), autocommit=True)


def exists(server: str, name: str) -> bool:
    with _admin(server) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def drop(server: str, name: str) -> None:
    with _admin(server) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def create(server: str, name: str, *, template: str | None = None) -> None:
    """Create ``name`` (empty, or as a file-level copy of ``template``: about a second for 100k cases)."""
    query = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template:
        query = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template))
    with _admin(server) as conn:
        conn.execute(query)


def recreate(server: str, name: str, *, template: str | None = None) -> None:
    drop(server, name)
    create(server, name, template=template)


def read_marker(server: str, name: str) -> dict | None:
    with _admin(server) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
    if not row or not row[0]:
        return None
    try:
        return json.loads(row[0])
    except ValueError:
        return None


def write_marker(server: str, name: str, marker: dict) -> None:
    with _admin(server) as conn:
        conn.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(name), sql.Literal(json.dumps(marker, sort_keys=True))
            )
        )


@contextmanager
def template_lock(server: str, name: str) -> Iterator[None]:
    """Hold the server-wide lock of template ``name`` (a PostgreSQL advisory lock, released when the block ends or
    the process dies): two runs that find it missing or stale generate it one after the other, the second reading
    the first's marker, instead of dropping each other's half-built database."""
    with _admin(server) as conn:
        conn.execute("SELECT pg_advisory_lock(hashtext(%s))", [f"bench-template:{name}"])
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", [f"bench-template:{name}"])
