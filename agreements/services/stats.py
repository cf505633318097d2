"""The registry's statistics summary (``RegistryStat``): counted again from scratch.

Triggers keep the summary as the registry is written (migration 0034); this rebuild is for an install whose
summary is in doubt (restored from a dump taken without it, rows written with triggers disabled). It expands
every entry into its summary keys with the same SQL the triggers run, so both count alike.
"""

from __future__ import annotations

from django.db import connection, transaction

__all__ = ["registry_stats_rebuild"]

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


def _postgres_expansion(source: str, sign: int) -> str:
    """One row ``(dimension, key, expires_on, terminated_on, n)`` per summary key of each entry in ``source``."""
    never = f"DATE '{NEVER}'"
    values = [f"('{d}', r.{c}::text, {never}, {never})" for d, c in _KEY_COLUMNS]
    values.append(f"('year', EXTRACT(YEAR FROM r.signed_on)::int::text, {never}, {never})")
    values.append(f"('validity', '', COALESCE(r.expires_on, {never}), COALESCE(r.terminated_on, {never}))")
    return (
        f"SELECT k.dimension, k.key, k.expires_on, k.terminated_on, {sign} AS n FROM {source} AS r "
        f"CROSS JOIN LATERAL (VALUES {', '.join(values)}) AS k(dimension, key, expires_on, terminated_on) "
        f"UNION ALL SELECT 'theme', t.key, {never}, {never}, {sign} FROM {source} AS r "
        "CROSS JOIN LATERAL unnest(string_to_array(r.theme_keys, ';')) AS t(key) WHERE t.key <> ''"
    )


def _sqlite_expansion(sign: int) -> str:
    never = f"'{NEVER}'"
    table = "FROM agreements_registryentry AS r"
    names = f"AS dimension, r.state_id AS key, {never} AS expires_on, {never} AS terminated_on, {sign} AS n"
    parts = [f"SELECT 'state' {names} {table}"]
    parts += [f"SELECT '{d}', r.{c}, {never}, {never}, {sign} {table}" for d, c in _KEY_COLUMNS[1:]]
    year = "CAST(CAST(strftime('%Y', r.signed_on) AS INTEGER) AS TEXT)"
    parts.append(f"SELECT 'year', {year}, {never}, {never}, {sign} {table}")
    parts.append(
        f"SELECT 'validity', '', COALESCE(r.expires_on, {never}), COALESCE(r.terminated_on, {never}), {sign} {table}"
    )
    parts.append(
        f"SELECT 'theme', j.value, {never}, {never}, {sign} {table}, "
        "json_each('[\"' || replace(r.theme_keys, ';', '\",\"') || '\"]') AS j WHERE j.value <> ''"
    )
    return " UNION ALL ".join(parts)


def _upsert(deltas: str) -> str:
    return (
        'INSERT INTO agreements_registrystat (dimension, "key", expires_on, terminated_on, entries) '
        f"SELECT d.dimension, d.key, d.expires_on, d.terminated_on, SUM(d.n) FROM ({deltas}) AS d "
        "GROUP BY d.dimension, d.key, d.expires_on, d.terminated_on HAVING SUM(d.n) <> 0 "
        "ORDER BY d.dimension, d.key, d.expires_on, d.terminated_on "
        'ON CONFLICT (dimension, "key", expires_on, terminated_on) DO UPDATE SET entries = agreements_registrystat.entries + excluded.entries'
    )


def registry_stats_rebuild() -> int:
    """Count the summary again from the registry, in one transaction; idempotent. Returns its row count.

    On PostgreSQL the registry is locked against writes (``SHARE``: reads go on) until the new counts commit, so
    no write falls between the count and the commit; readers see the old summary until then."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("LOCK TABLE agreements_registryentry IN SHARE MODE")
            deltas = _postgres_expansion("agreements_registryentry", 1)
        else:
            deltas = _sqlite_expansion(1)
        cursor.execute("DELETE FROM agreements_registrystat")
        cursor.execute(_upsert(deltas))
        cursor.execute("SELECT COUNT(*) FROM agreements_registrystat")
        return cursor.fetchone()[0]
