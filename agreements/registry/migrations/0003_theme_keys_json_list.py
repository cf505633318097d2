"""``RegistryEntry.theme_keys`` becomes a JSON list of the entry's theme keys (``jsonb`` on PostgreSQL) instead of
one ``;``-joined string, and the statistics triggers of ``agreements`` migration 0034 read it as such.

1. The triggers go (0034's ``uninstall``): nothing may count the rows while their themes change form.
2. The column changes type with its data, each stored string split into its keys in the order it holds them (the
   services wrote them sorted): ``"culture;education"`` → ``["culture", "education"]``, ``""`` → ``[]``.
   PostgreSQL: one ``ALTER COLUMN … TYPE jsonb USING …`` (the covering index ``registry_stats_idx`` is rebuilt
   with it). SQLite: the rows are rewritten as JSON text, then the table is remade with the JSON column (and its
   ``JSON_VALID`` check), which drops a table's triggers anyway.
3. The triggers come back with the themes read by ``jsonb_array_elements_text`` / ``json_each`` instead of
   splitting a string, and the summary is filled again with them (the same counts: the keys did not change).

No theme filter reads the column (``filtersets.RegistryFilterSet.filter_theme`` uses the M2M rows), so it gets no
GIN index. The SQL is frozen here; ``registry.services.stats`` holds the rebuild's copy and the tests compare both
with a live count. Reversed, the column becomes the joined string again and 0034's triggers are reinstalled.
"""

import importlib
import json

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
        "CROSS JOIN LATERAL jsonb_array_elements_text(r.theme_keys) AS t(key)"
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
    parts.append(
        f"SELECT {scope}, 'theme', j.value, {never}, {never}, {sign} {source}, json_each({row}.theme_keys) AS j"
    )
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

# As in 0034: a write in a transaction that set ``agreements.registry_stats_defer`` (the import) sets its deltas
# aside and folds them into the summary at its end.
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
    """The triggers over the JSON list, and the summary filled with their expansion."""
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:  # no registry write between the triggers' creation and the fill
        schema_editor.execute(f"LOCK TABLE {TABLE} IN SHARE MODE", None)
        statements = [POSTGRES_PENDING, POSTGRES_PENDING_INDEX, POSTGRES_FUNCTION, POSTGRES_FOLD, *POSTGRES_TRIGGERS]
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
    postgres = schema_editor.connection.vendor == "postgresql"
    for statement in POSTGRES_DROP if postgres else SQLITE_DROP:
        schema_editor.execute(statement, None)


def _joined_string_triggers():
    """Migration 0034, whose triggers read the ``;``-joined string: what this one replaces, and restores."""
    return importlib.import_module("agreements.migrations.0034_registry_stats_triggers")


def _sqlite_rewrite(schema_editor, convert):
    """Each row's ``theme_keys`` through ``convert`` (SQLite: the triggers are gone, nothing else counts them)."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT id, theme_keys FROM {TABLE}")
        rows = [(convert(value), pk) for pk, value in cursor.fetchall()]
        cursor.executemany(f"UPDATE {TABLE} SET theme_keys = %s WHERE id = %s", rows)


JSON_FIELD = {"verbose_name": "temas (claves)", "editable": False, "default": list}
STRING_FIELD = {"verbose_name": "temas (claves)", "max_length": 300, "editable": False, "default": ""}


def _sqlite_alter(apps, schema_editor, *, to_json):
    """SQLite: remake the table with ``theme_keys`` as the other field (the state's AlterField beside this; both
    fields are spelled out: ``apps`` holds the same state forwards and backwards)."""
    model = apps.get_model("registry", "RegistryEntry")
    string, json_list = models.CharField(**STRING_FIELD), models.JSONField(**JSON_FIELD)
    for field in (string, json_list):
        field.set_attributes_from_name("theme_keys")
    schema_editor.alter_field(model, *((string, json_list) if to_json else (json_list, string)))


def to_json_list(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE {TABLE} ALTER COLUMN theme_keys TYPE jsonb "
            "USING to_jsonb(array_remove(string_to_array(theme_keys, ';'), ''))",
            None,
        )
        return
    _sqlite_rewrite(schema_editor, lambda text: json.dumps([key for key in text.split(";") if key]))
    _sqlite_alter(apps, schema_editor, to_json=True)


def to_joined_string(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # A subquery cannot be a USING expression: through text, then joined by an UPDATE (no triggers now).
        schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN theme_keys TYPE text USING theme_keys::text", None)
        schema_editor.execute(
            f"UPDATE {TABLE} SET theme_keys = "
            "array_to_string(ARRAY(SELECT k.value FROM jsonb_array_elements_text(theme_keys::jsonb) "
            "WITH ORDINALITY AS k(value, position) ORDER BY k.position), ';')",
            None,
        )
        # The UPDATE queued the deferred foreign-key checks of the rows: run them now, or the table cannot change.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE", None)
        schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN theme_keys TYPE varchar(300)", None)
        return
    _sqlite_alter(apps, schema_editor, to_json=False)  # first: the JSON column checks its text is JSON
    _sqlite_rewrite(schema_editor, lambda text: ";".join(json.loads(text)))


def drop_joined_string_triggers(apps, schema_editor):
    _joined_string_triggers().uninstall(apps, schema_editor)


def restore_joined_string_triggers(apps, schema_editor):
    _joined_string_triggers().install(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0002_registryentry_field_validators"),
    ]

    operations = [
        migrations.RunPython(drop_joined_string_triggers, restore_joined_string_triggers, elidable=False),
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(to_json_list, to_joined_string, elidable=False)],
            state_operations=[
                migrations.AlterField(
                    model_name="registryentry",
                    name="theme_keys",
                    field=models.JSONField(**JSON_FIELD),
                ),
            ],
        ),
        migrations.RunPython(install, uninstall, elidable=False),
    ]
