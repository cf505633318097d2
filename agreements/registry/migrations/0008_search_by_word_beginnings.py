"""PostgreSQL only: the registry search matches word beginnings, and finds a month's matches in one index.

* **Word beginnings.** Besides its Spanish words (stemmed, ``search_vector``), a search matches entries whose
  folded text has the words typed, the last one as a word beginning («cooperación técn» finds «Cooperación
  técnica», «Distrito Fed» «Distrito Federal»): ``to_tsvector('simple', search_text)``, indexed. It replaces the
  trigram substring: a word's middle («operación» in «cooperación») is no longer a match; a search box finds words
  and the one being typed.
* **Month keys.** ``registry_month_keys`` writes each entry's words and Spanish stems prefixed with its month of
  signature (``portal.core.keyset.month_number``: 's24130:distrit', 'w24130:distrito' for November 2010), indexed.
  A page whose matches are all old seeks them one month at a time (``portal.core.keyset.newest_by_month``); with
  the month in the key, each lookup reads only that month's entries of the words typed (about 0.1 ms), where the
  indexes of 0007 read every entry of the words, or every trigram, again for each year (4 to 25 ms a year at
  1,000,000 entries), and the page reads from the table the matches of one month, not of a year (78 → 12 ms for
  «Distrito Federal» at 1,000,000 entries).

On SQLite nothing happens: the search there is a substring of the folded text.
"""

from django.db import migrations

from portal.core.pgmigrations import postgres_sql

MONTH_KEYS = """
CREATE OR REPLACE FUNCTION registry_month_keys(vector tsvector, words text, signed date) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT array_to_tsvector(coalesce(array_agg(DISTINCT keys.kind || mm.m || ':' || keys.lexeme), '{}'))
  FROM (SELECT 's' AS kind, lexeme FROM unnest(vector)
        UNION ALL
        SELECT 'w', lexeme FROM unnest(to_tsvector('simple'::regconfig, words))) AS keys,
       (SELECT (date_part('year', signed) * 12 + date_part('month', signed) - 1)::integer::text AS m) AS mm
$$
"""
YEAR = "((date_part('year'::text, signed_on))::integer)"

FORWARD = [
    # The Spanish words alone again: a year beside them (0007) is of no use with the month keys.
    "CREATE INDEX IF NOT EXISTS registry_search_vector_idx ON agreements_registryentry USING gin (search_vector)",
    "DROP INDEX IF EXISTS registry_search_vector_year_idx",
    "CREATE INDEX IF NOT EXISTS registry_search_words_idx"
    " ON agreements_registryentry USING gin (to_tsvector('simple'::regconfig, search_text))",
    MONTH_KEYS,
    "CREATE INDEX IF NOT EXISTS registry_search_month_keys_idx"
    " ON agreements_registryentry USING gin (registry_month_keys(search_vector, search_text, signed_on))",
    "DROP INDEX IF EXISTS registry_search_text_year_idx",
]
BACKWARD = [
    "CREATE INDEX IF NOT EXISTS registry_search_vector_year_idx"
    f" ON agreements_registryentry USING gin (search_vector, {YEAR})",
    "DROP INDEX IF EXISTS registry_search_vector_idx",
    "CREATE INDEX IF NOT EXISTS registry_search_text_year_idx"
    f" ON agreements_registryentry USING gin (search_text gin_trgm_ops, {YEAR})",
    "DROP INDEX IF EXISTS registry_search_month_keys_idx",
    "DROP FUNCTION IF EXISTS registry_month_keys(tsvector, text, date)",
    "DROP INDEX IF EXISTS registry_search_words_idx",
]


class Migration(migrations.Migration):
    dependencies = [("registry", "0007_search_indexes_by_signing_year")]
    operations = [postgres_sql(FORWARD, BACKWARD)]
