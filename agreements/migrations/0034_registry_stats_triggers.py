"""The registry's statistics summary kept by the database in the transaction of every registry write, and filled.

Every INSERT, UPDATE or DELETE on ``agreements_registryentry`` (the services, ``bulk_create``/``bulk_update``,
the admin, a shell, ``COPY``) adds each new row's keys and subtracts each old row's with
``INSERT … ON CONFLICT DO UPDATE SET entries = entries + excluded.entries``: no read-modify-write, so concurrent
writers never lose a count. PostgreSQL: one statement-level trigger per event over the transition tables, the
deltas of the whole statement summed and written in key order (concurrent writers lock the rows in the same
order); a write that changes no counted column writes nothing; a TRUNCATE of the registry empties the summary.
SQLite (development, tests): row-level triggers.

The SQL is frozen here (``agreements.services.stats`` holds the rebuild's copy; tests compare both with a
live count).
"""

from django.db import migrations

NEVER = "9999-12-31"
KEY_COLUMNS = (
    ("state", "state_id"),
    ("level", "level"),
    ("region", "region"),
    ("country", "counterpart_country"),
    ("subdivision", "counterpart_subdivision"),
    ("counterpart_type", "counterpart_type"),
    ("kind", "kind"),
)


def upsert(deltas):
    return (
        "INSERT INTO agreements_registrystat (state_code, dimension, \"key\", expires_on, terminated_on, entries) "
        f"SELECT d.state_code, d.dimension, d.key, d.expires_on, d.terminated_on, SUM(d.n) FROM ({deltas}) AS d "
        "GROUP BY d.state_code, d.dimension, d.key, d.expires_on, d.terminated_on HAVING SUM(d.n) <> 0 "
        "ORDER BY d.state_code, d.dimension, d.key, d.expires_on, d.terminated_on "
        "ON CONFLICT (state_code, dimension, \"key\", expires_on, terminated_on) "
        "DO UPDATE SET entries = agreements_registrystat.entries + excluded.entries"
    )


def postgres_expansion(source, sign):
    """One row ``(state_code, dimension, key, expires_on, terminated_on, n)`` per summary key of each entry in
    ``source``, once for the whole registry (``state_code`` empty) and once for the entry's state."""
    never = f"DATE '{NEVER}'"
    values = [f"('{d}', r.{c}::text, {never}, {never})" for d, c in KEY_COLUMNS]
    values.append(f"('year', EXTRACT(YEAR FROM r.signed_on)::int::text, {never}, {never})")
    values.append(f"('validity', '', COALESCE(r.expires_on, {never}), COALESCE(r.terminated_on, {never}))")
    scope = "CASE WHEN s.whole THEN '' ELSE r.state_id END"
    scopes = "CROSS JOIN (VALUES (true), (false)) AS s(whole)"
    return (
        f"SELECT {scope} AS state_code, k.dimension, k.key, k.expires_on, k.terminated_on, {sign} AS n "
        f"FROM {source} AS r {scopes} "
        f"CROSS JOIN LATERAL (VALUES {', '.join(values)}) AS k(dimension, key, expires_on, terminated_on) "
        f"UNION ALL SELECT {scope}, 'theme', t.key, {never}, {never}, {sign} FROM {source} AS r {scopes} "
        "CROSS JOIN LATERAL unnest(string_to_array(r.theme_keys, ';')) AS t(key) WHERE t.key <> ''"
    )


def sqlite_expansion(row, sign, table=""):
    """The same for SQLite: ``row`` is ``NEW``/``OLD`` in a row trigger (``table`` empty), or ``r`` over
    ``table`` (``agreements_registryentry AS r``)."""
    never = f"'{NEVER}'"
    source = f"FROM (SELECT 1 AS whole UNION ALL SELECT 0) AS s{', ' + table if table else ''}"
    scope = f"CASE WHEN s.whole THEN '' ELSE {row}.state_id END"
    parts = [
        f"SELECT {scope} AS state_code, 'state' AS dimension, {row}.state_id AS key, {never} AS expires_on, "
        f"{never} AS terminated_on, {sign} AS n {source}"
    ]
    parts += [f"SELECT {scope}, '{d}', {row}.{c}, {never}, {never}, {sign} {source}" for d, c in KEY_COLUMNS[1:]]
    year = f"CAST(CAST(strftime('%Y', {row}.signed_on) AS INTEGER) AS TEXT)"
    parts.append(f"SELECT {scope}, 'year', {year}, {never}, {never}, {sign} {source}")
    parts.append(
        f"SELECT {scope}, 'validity', '', COALESCE({row}.expires_on, {never}), "
        f"COALESCE({row}.terminated_on, {never}), {sign} {source}"
    )
    themes = f"json_each('[\"' || replace({row}.theme_keys, ';', '\",\"') || '\"]') AS j"
    parts.append(f"SELECT {scope}, 'theme', j.value, {never}, {never}, {sign} {source}, {themes} WHERE j.value <> ''")
    return " UNION ALL ".join(parts)


COLUMNS = "state_code, dimension, key, expires_on, terminated_on"


def pending(deltas):
    """A long write's deltas set aside for the end of its transaction (see ``agreements_registrystat_fold``)."""
    return (
        f"INSERT INTO agreements_registrystat_pending (txid, {COLUMNS}, entries) "
        f"SELECT txid_current(), d.state_code, d.dimension, d.key, d.expires_on, d.terminated_on, SUM(d.n) "
        f"FROM ({deltas}) AS d GROUP BY d.state_code, d.dimension, d.key, d.expires_on, d.terminated_on "
        "HAVING SUM(d.n) <> 0"
    )


INSERTED = postgres_expansion("new_rows", 1)
UPDATED = postgres_expansion("new_rows", 1) + " UNION ALL " + postgres_expansion("old_rows", -1)
DELETED = postgres_expansion("old_rows", -1)

# A write in a transaction that set ``agreements.registry_stats_defer`` (the import: minutes at 1M rows) sets its
# deltas aside in a table of its own and folds them into the summary at its end, so that it holds the summary's
# rows for milliseconds before its commit, not for the whole import: publications and terminations go on.
POSTGRES_PENDING = (
    "CREATE TABLE IF NOT EXISTS agreements_registrystat_pending (txid bigint NOT NULL, "
    "state_code varchar(2) NOT NULL, dimension varchar(20) NOT NULL, key varchar(40) NOT NULL, "
    "expires_on date NOT NULL, terminated_on date NOT NULL, entries integer NOT NULL)"
)
POSTGRES_PENDING_INDEX = (
    "CREATE INDEX IF NOT EXISTS agreements_registrystat_pending_txid ON agreements_registrystat_pending (txid)"
)
POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION agreements_registrystat_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    deferred boolean := coalesce(current_setting('agreements.registry_stats_defer', true), '') = 'on';
BEGIN
    IF TG_OP = 'INSERT' AND deferred THEN
        {pending(INSERTED)};
    ELSIF TG_OP = 'INSERT' THEN
        {upsert(INSERTED)};
    ELSIF TG_OP = 'UPDATE' AND deferred THEN
        {pending(UPDATED)};
    ELSIF TG_OP = 'UPDATE' THEN
        {upsert(UPDATED)};
    ELSIF TG_OP = 'DELETE' AND deferred THEN
        {pending(DELETED)};
    ELSIF TG_OP = 'DELETE' THEN
        {upsert(DELETED)};
    ELSE
        DELETE FROM agreements_registrystat;
        DELETE FROM agreements_registrystat_pending WHERE txid = txid_current();
    END IF;
    RETURN NULL;
END
$$;
"""
POSTGRES_FOLD = f"""
CREATE OR REPLACE FUNCTION agreements_registrystat_fold() RETURNS void LANGUAGE sql AS $$
WITH moved AS (
    DELETE FROM agreements_registrystat_pending WHERE txid = txid_current() RETURNING {COLUMNS}, entries
) {upsert(f"SELECT {COLUMNS}, entries AS n FROM moved")};
$$;
"""
POSTGRES_TRIGGERS = [
    "CREATE TRIGGER agreements_registrystat_insert AFTER INSERT ON agreements_registryentry "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION agreements_registrystat_apply()",
    "CREATE TRIGGER agreements_registrystat_update AFTER UPDATE ON agreements_registryentry "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION agreements_registrystat_apply()",
    "CREATE TRIGGER agreements_registrystat_delete AFTER DELETE ON agreements_registryentry "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION agreements_registrystat_apply()",
    "CREATE TRIGGER agreements_registrystat_truncate AFTER TRUNCATE ON agreements_registryentry "
    "FOR EACH STATEMENT EXECUTE FUNCTION agreements_registrystat_apply()",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS agreements_registrystat_insert ON agreements_registryentry",
    "DROP TRIGGER IF EXISTS agreements_registrystat_update ON agreements_registryentry",
    "DROP TRIGGER IF EXISTS agreements_registrystat_delete ON agreements_registryentry",
    "DROP TRIGGER IF EXISTS agreements_registrystat_truncate ON agreements_registryentry",
    "DROP FUNCTION IF EXISTS agreements_registrystat_apply()",
    "DROP FUNCTION IF EXISTS agreements_registrystat_fold()",
    "DROP TABLE IF EXISTS agreements_registrystat_pending",
]

SQLITE_TRIGGERS = [
    "CREATE TRIGGER agreements_registrystat_insert AFTER INSERT ON agreements_registryentry "
    f"BEGIN {upsert(sqlite_expansion('NEW', 1))}; END",
    "CREATE TRIGGER agreements_registrystat_update AFTER UPDATE ON agreements_registryentry "
    f"BEGIN {upsert(sqlite_expansion('NEW', 1) + ' UNION ALL ' + sqlite_expansion('OLD', -1))}; END",
    "CREATE TRIGGER agreements_registrystat_delete AFTER DELETE ON agreements_registryentry "
    f"BEGIN {upsert(sqlite_expansion('OLD', -1))}; END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS agreements_registrystat_insert",
    "DROP TRIGGER IF EXISTS agreements_registrystat_update",
    "DROP TRIGGER IF EXISTS agreements_registrystat_delete",
]


def install(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:  # no registry write between the triggers' creation and the fill
        schema_editor.execute("LOCK TABLE agreements_registryentry IN SHARE MODE", None)
        statements = [POSTGRES_PENDING, POSTGRES_PENDING_INDEX, POSTGRES_FUNCTION, POSTGRES_FOLD, *POSTGRES_TRIGGERS]
    else:
        statements = SQLITE_TRIGGERS
    for statement in statements:
        schema_editor.execute(statement, None)
    # Fill: the entries already registered, counted with the triggers' own expansion.
    schema_editor.execute("DELETE FROM agreements_registrystat", None)
    if postgres:
        schema_editor.execute(upsert(postgres_expansion("agreements_registryentry", 1)), None)
    else:
        schema_editor.execute(upsert(sqlite_expansion("r", 1, "agreements_registryentry AS r")), None)


def uninstall(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for statement in POSTGRES_DROP if postgres else SQLITE_DROP:
        schema_editor.execute(statement, None)


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0033_registry_stats_summary"),
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
