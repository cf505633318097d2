"""The registry's statistics summary (``RegistryStat``): counted again from scratch.

Triggers keep the summary as the registry is written (``agreements`` migration 0034, rewritten by ``registry``
0003 for the JSON list of ``theme_keys`` and by 0004 with the signing year in the key); this rebuild is for an install whose summary is in doubt (restored from
a dump taken without it, rows written with triggers disabled). It expands every entry into its summary keys with
the same SQL the triggers run, so both count alike.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection, transaction

__all__ = ["registry_stats_deferred", "registry_stats_rebuild"]

NEVER = "9999-12-31"  # models.STAT_NEVER

# (dimension, the entry's column holding its key); ``year``, ``theme`` and ``validity`` are derived below.
_KEY_COLUMNS = (
    ("state", "state_id"),
    ("level", "level"),
    ("region", "region"),
    ("country", "counterpart_country"),
    ("subdivision", "counterpart_subdivision"),
    ("counterpart_type", "counterpart_type"),
    ("kind", "kind"),
)


_D_COLUMNS = "d.state_code, d.dimension, d.year, d.key, d.expires_on, d.terminated_on"


def _upsert(deltas):
    return (
        'INSERT INTO agreements_registrystat (state_code, dimension, year, "key", expires_on, terminated_on, entries) '
        f"SELECT {_D_COLUMNS}, SUM(d.n) FROM ({deltas}) AS d "
        f"GROUP BY {_D_COLUMNS} HAVING SUM(d.n) <> 0 ORDER BY {_D_COLUMNS} "
        'ON CONFLICT (state_code, dimension, year, "key", expires_on, terminated_on) '
        "DO UPDATE SET entries = agreements_registrystat.entries + excluded.entries"
    )


def _postgres_expansion(source, sign):
    """One row ``(state_code, dimension, year, key, expires_on, terminated_on, n)`` per summary key of each entry
    in ``source``: for the whole registry (``state_code`` empty) and for its state, each under ``year`` 0 and under
    its signing year (``validity`` dates cut to their month there)."""
    never = f"DATE '{NEVER}'"

    def validity(column):
        return (
            f"CASE WHEN y.year = 0 THEN COALESCE(r.{column}, {never}) "
            f"ELSE COALESCE(date_trunc('month', r.{column})::date, {never}) END"
        )

    values = [f"('{d}', r.{c}::text, {never}, {never})" for d, c in _KEY_COLUMNS]
    values.append(f"('year', EXTRACT(YEAR FROM r.signed_on)::int::text, {never}, {never})")
    values.append(f"('validity', '', {validity('expires_on')}, {validity('terminated_on')})")
    scope = "CASE WHEN s.whole THEN '' ELSE r.state_id END"
    scopes = (
        "CROSS JOIN (VALUES (true), (false)) AS s(whole) "
        "CROSS JOIN LATERAL (VALUES (0), (EXTRACT(YEAR FROM r.signed_on)::int)) AS y(year)"
    )
    return (
        f"SELECT {scope} AS state_code, k.dimension, y.year, k.key, k.expires_on, k.terminated_on, {sign} AS n "
        f"FROM {source} AS r {scopes} "
        f"CROSS JOIN LATERAL (VALUES {', '.join(values)}) AS k(dimension, key, expires_on, terminated_on) "
        f"UNION ALL SELECT {scope}, 'theme', y.year, t.key, {never}, {never}, {sign} FROM {source} AS r {scopes} "
        "CROSS JOIN LATERAL jsonb_array_elements_text(r.theme_keys) AS t(key)"
    )


def _sqlite_expansion(row, sign, table=""):
    """The same for SQLite: ``row`` is ``NEW``/``OLD`` in a row trigger (``table`` empty), or ``r`` over
    ``table`` (``agreements_registryentry AS r``)."""
    never = f"'{NEVER}'"
    source = (
        "FROM (SELECT 1 AS whole UNION ALL SELECT 0) AS s, (SELECT 0 AS yearly UNION ALL SELECT 1) AS y"
        f"{', ' + table if table else ''}"
    )
    scope = f"CASE WHEN s.whole THEN '' ELSE {row}.state_id END"
    signed = f"CAST(strftime('%Y', {row}.signed_on) AS INTEGER)"
    year = f"CASE WHEN y.yearly THEN {signed} ELSE 0 END"

    def validity(column):
        return (
            f"CASE WHEN y.yearly THEN COALESCE(date({row}.{column}, 'start of month'), {never}) "
            f"ELSE COALESCE({row}.{column}, {never}) END"
        )

    parts = [
        f"SELECT {scope} AS state_code, 'state' AS dimension, {year} AS year, {row}.state_id AS key, "
        f"{never} AS expires_on, {never} AS terminated_on, {sign} AS n {source}"
    ]
    parts += [
        f"SELECT {scope}, '{d}', {year}, {row}.{c}, {never}, {never}, {sign} {source}" for d, c in _KEY_COLUMNS[1:]
    ]
    parts.append(f"SELECT {scope}, 'year', {year}, CAST({signed} AS TEXT), {never}, {never}, {sign} {source}")
    parts.append(
        f"SELECT {scope}, 'validity', {year}, '', {validity('expires_on')}, {validity('terminated_on')}, "
        f"{sign} {source}"
    )
    parts.append(
        f"SELECT {scope}, 'theme', {year}, j.value, {never}, {never}, {sign} {source}, json_each({row}.theme_keys) AS j"
    )
    return " UNION ALL ".join(parts)


@contextmanager
def registry_stats_deferred():
    """Within a transaction, for a long registry write (the import): the triggers set its deltas aside and they
    are folded into the summary when the block ends, so the summary's rows, which every registry write updates,
    are held from then to the commit (milliseconds) instead of from the first row written (minutes at 1M rows):
    a publication or a termination confirmed meanwhile does not wait for the import. PostgreSQL only (SQLite
    writes one transaction at a time anyway). An exception rolls the setting and the deltas back with the rest."""
    if connection.vendor != "postgresql":
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("registry_stats_deferred() needs a transaction")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL agreements.registry_stats_defer = 'on'")
    yield
    if connection.needs_rollback:  # a dry run: the deltas go with the rest
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL agreements.registry_stats_defer = 'off'")
        cursor.execute("SELECT agreements_registrystat_fold()")


def registry_stats_rebuild() -> int:
    """Count the summary again from the registry, in one transaction; idempotent. Returns its row count.

    On PostgreSQL the registry is locked against writes (``SHARE``: reads go on) until the new counts commit, so
    no write falls between the count and the commit; readers see the old summary until then."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("LOCK TABLE agreements_registryentry IN SHARE MODE")
            deltas = _postgres_expansion("agreements_registryentry", 1)
        else:
            deltas = _sqlite_expansion("r", 1, "agreements_registryentry AS r")
        cursor.execute("DELETE FROM agreements_registrystat")
        cursor.execute(_upsert(deltas))
        cursor.execute("SELECT COUNT(*) FROM agreements_registrystat")
        return cursor.fetchone()[0]
