"""PostgreSQL only: Spanish full-text search without accents (stored tsvector + GIN) and trigram names.

On SQLite nothing happens: the registry search falls back to the folded ``search_text`` column.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'spanish_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION public.spanish_unaccent (COPY = pg_catalog.spanish);
        ALTER TEXT SEARCH CONFIGURATION public.spanish_unaccent
          ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, spanish_stem;
      END IF;
    END $$
    """,
    """
    ALTER TABLE agreements_registryentry ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('public.spanish_unaccent'::regconfig, coalesce(title, '')), 'A') ||
      setweight(to_tsvector('public.spanish_unaccent'::regconfig, coalesce(counterpart_name, '')), 'B') ||
      setweight(to_tsvector('public.spanish_unaccent'::regconfig, coalesce(signing_office, '')), 'C')
    ) STORED
    """,
    "CREATE INDEX registry_search_vector_idx ON agreements_registryentry USING gin (search_vector)",
    "CREATE INDEX registry_search_text_trgm_idx ON agreements_registryentry USING gin (search_text gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS registry_search_text_trgm_idx",
    "DROP INDEX IF EXISTS registry_search_vector_idx",
    "ALTER TABLE agreements_registryentry DROP COLUMN IF EXISTS search_vector",
]


def _run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("agreements", "0003_registry_search_and_imports")]
    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
