"""The statistics summary gains the signing year in its key, so that a year range (``year_min``/``year_max``,
alone or with ``state``) is a sum over summary rows instead of a count of the registry.

Every entry now counts twice in each scope (the whole registry and its state): under ``year = 0`` (every year,
the rows as before: the dashboard, one state and the 32-state comparison read only these) and under its signing
year. In the year rows the ``validity`` dates are cut to the first of their month (``9999-12-31``, none, stays):
with day dates and the year in the key the summary would hold about one row per entry (its year, end and
termination day), a month keeps it bounded (years × months of end × months of termination). The status on a
day is still exact: a month row decides it by the one rule read on the first of today's month, except for rows
whose end or termination falls in today's month; those few entries are counted live
(``selectors.stats._summary_counts``).

1. ``registry`` 0003's triggers go (nothing counts while the key changes).
2. ``year`` joins the key (unique index ``state_code, dimension, year, key, …``: a range of years under one
   dimension is one range of the index); the registry gets a partial index on ``terminated_on`` for the live
   part of the current month.
3. The triggers come back writing both years, the import's pending table with the year, and the summary is filled
   again from the registry.

Reversed: the triggers of 0004 go, the summary is emptied (the old key could not hold the year rows), the column
and index go, and 0003's triggers are reinstalled, which fill it again. The SQL is frozen here;
``registry.services.stats`` holds the rebuild's copy and the tests compare both with a live count.
"""

import importlib

from django.db import migrations, models

TABLE = "agreements_registryentry"
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
COLUMNS = "state_code, dimension, year, key, expires_on, terminated_on"
D_COLUMNS = "d.state_code, d.dimension, d.year, d.key, d.expires_on, d.terminated_on"


def upsert(deltas):
    return (
        'INSERT INTO agreements_registrystat (state_code, dimension, year, "key", expires_on, terminated_on, entries) '
        f"SELECT {D_COLUMNS}, SUM(d.n) FROM ({deltas}) AS d "
        f"GROUP BY {D_COLUMNS} HAVING SUM(d.n) <> 0 ORDER BY {D_COLUMNS} "
        'ON CONFLICT (state_code, dimension, year, "key", expires_on, terminated_on) '
        "DO UPDATE SET entries = agreements_registrystat.entries + excluded.entries"
    )


def postgres_expansion(source, sign):
    """One row ``(state_code, dimension, year, key, expires_on, terminated_on, n)`` per summary key of each entry
    in ``source``: for the whole registry (``state_code`` empty) and for its state, each under ``year`` 0 and under
    its signing year (``validity`` dates cut to their month there)."""
    never = f"DATE '{NEVER}'"

    def validity(column):
        return (
            f"CASE WHEN y.year = 0 THEN COALESCE(r.{column}, {never}) "
            f"ELSE COALESCE(date_trunc('month', r.{column})::date, {never}) END"
        )

    values = [f"('{d}', r.{c}::text, {never}, {never})" for d, c in KEY_COLUMNS]
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


def sqlite_expansion(row, sign, table=""):
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
        f"SELECT {scope}, '{d}', {year}, {row}.{c}, {never}, {never}, {sign} {source}" for d, c in KEY_COLUMNS[1:]
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


def pending(deltas):
    """A long write's deltas set aside for the end of its transaction (see ``agreements_registrystat_fold``)."""
    return (
        f"INSERT INTO agreements_registrystat_pending (txid, {COLUMNS}, entries) "
        f"SELECT txid_current(), {D_COLUMNS}, SUM(d.n) FROM ({deltas}) AS d GROUP BY {D_COLUMNS} "
        "HAVING SUM(d.n) <> 0"
    )


INSERTED = postgres_expansion("new_rows", 1)
UPDATED = postgres_expansion("new_rows", 1) + " UNION ALL " + postgres_expansion("old_rows", -1)
DELETED = postgres_expansion("old_rows", -1)

POSTGRES_PENDING = [
    "DROP TABLE IF EXISTS agreements_registrystat_pending",
    "CREATE TABLE agreements_registrystat_pending (txid bigint NOT NULL, "
    "state_code varchar(2) NOT NULL, dimension varchar(20) NOT NULL, year smallint NOT NULL, "
    "key varchar(40) NOT NULL, expires_on date NOT NULL, terminated_on date NOT NULL, entries integer NOT NULL)",
    "CREATE INDEX agreements_registrystat_pending_txid ON agreements_registrystat_pending (txid)",
]
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
    f"CREATE TRIGGER agreements_registrystat_insert AFTER INSERT ON {TABLE} "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION agreements_registrystat_apply()",
    f"CREATE TRIGGER agreements_registrystat_update AFTER UPDATE ON {TABLE} "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT "
    "EXECUTE FUNCTION agreements_registrystat_apply()",
    f"CREATE TRIGGER agreements_registrystat_delete AFTER DELETE ON {TABLE} "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION agreements_registrystat_apply()",
    f"CREATE TRIGGER agreements_registrystat_truncate AFTER TRUNCATE ON {TABLE} "
    "FOR EACH STATEMENT EXECUTE FUNCTION agreements_registrystat_apply()",
]
POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS agreements_registrystat_insert ON {TABLE}",
    f"DROP TRIGGER IF EXISTS agreements_registrystat_update ON {TABLE}",
    f"DROP TRIGGER IF EXISTS agreements_registrystat_delete ON {TABLE}",
    f"DROP TRIGGER IF EXISTS agreements_registrystat_truncate ON {TABLE}",
    "DROP FUNCTION IF EXISTS agreements_registrystat_apply()",
    "DROP FUNCTION IF EXISTS agreements_registrystat_fold()",
    "DROP TABLE IF EXISTS agreements_registrystat_pending",
]

SQLITE_TRIGGERS = [
    f"CREATE TRIGGER agreements_registrystat_insert AFTER INSERT ON {TABLE} "
    f"BEGIN {upsert(sqlite_expansion('NEW', 1))}; END",
    f"CREATE TRIGGER agreements_registrystat_update AFTER UPDATE ON {TABLE} "
    f"BEGIN {upsert(sqlite_expansion('NEW', 1) + ' UNION ALL ' + sqlite_expansion('OLD', -1))}; END",
    f"CREATE TRIGGER agreements_registrystat_delete AFTER DELETE ON {TABLE} "
    f"BEGIN {upsert(sqlite_expansion('OLD', -1))}; END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS agreements_registrystat_insert",
    "DROP TRIGGER IF EXISTS agreements_registrystat_update",
    "DROP TRIGGER IF EXISTS agreements_registrystat_delete",
]


def install(apps, schema_editor):
    """The triggers writing both years, and the summary filled with their expansion."""
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:  # no registry write between the triggers' creation and the fill
        schema_editor.execute(f"LOCK TABLE {TABLE} IN SHARE MODE", None)
        statements = [*POSTGRES_PENDING, POSTGRES_FUNCTION, POSTGRES_FOLD, *POSTGRES_TRIGGERS]
    else:
        statements = SQLITE_TRIGGERS
    for statement in statements:
        schema_editor.execute(statement, None)
    schema_editor.execute("DELETE FROM agreements_registrystat", None)
    if postgres:
        schema_editor.execute(upsert(postgres_expansion(TABLE, 1)), None)
    else:
        schema_editor.execute(upsert(sqlite_expansion("r", 1, f"{TABLE} AS r")), None)


def uninstall(apps, schema_editor):
    """The triggers go and the summary is emptied: its year rows do not fit the key without the year."""
    postgres = schema_editor.connection.vendor == "postgresql"
    for statement in POSTGRES_DROP if postgres else SQLITE_DROP:
        schema_editor.execute(statement, None)
    schema_editor.execute("DELETE FROM agreements_registrystat", None)


def _previous():
    """``registry`` 0003, whose triggers count without the year: what this one replaces, and restores."""
    return importlib.import_module("agreements.registry.migrations.0003_theme_keys_json_list")


def drop_previous_triggers(apps, schema_editor):
    _previous().uninstall(apps, schema_editor)


def restore_previous_triggers(apps, schema_editor):
    _previous().install(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0003_theme_keys_json_list"),
    ]

    operations = [
        migrations.RunPython(drop_previous_triggers, restore_previous_triggers, elidable=False),
        migrations.RemoveConstraint(model_name="registrystat", name="agreements_registrystat_unique_key"),
        migrations.AddField(
            model_name="registrystat",
            name="year",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="año de firma (0: todos)"),
        ),
        migrations.AddConstraint(
            model_name="registrystat",
            constraint=models.UniqueConstraint(
                fields=("state_code", "dimension", "year", "key", "expires_on", "terminated_on"),
                name="agreements_registrystat_unique_key",
            ),
        ),
        migrations.AddIndex(
            model_name="registryentry",
            index=models.Index(
                condition=models.Q(terminated_on__isnull=False),
                fields=["terminated_on"],
                name="registry_terminated_idx",
            ),
        ),
        migrations.RunPython(install, uninstall, elidable=False),
    ]
