"""PostgreSQL only: the list of the words the registry's entries hold, kept by triggers, for the word being typed.

A search matches the beginning of its last word («cooperación técn»). As a prefix (``'tecn':*``) the words index
reads every entry of every word it begins into one bitmap before anything else: 65 ms for «jalisco» at 1,000,000
entries, where the exact word takes 2 ms. With this list the beginning becomes the words it begins, looked up
exactly (``'tecnica' | 'tecnico' | …``); past 50 words the prefix is kept (``selectors.entries._WORD_BEGINNINGS``).
Words are added as entries are written (statement triggers with the written rows, in a fixed order so that two
writers never wait on each other), never removed: a word no entry holds any more finds nothing.

On SQLite nothing happens: the search there is a substring of the folded text.
"""

from django.db import migrations

from portal.core.pgmigrations import postgres_sql

FORWARD = [
    'CREATE TABLE IF NOT EXISTS registry_search_word (word text COLLATE "C" PRIMARY KEY)',
    """
    CREATE OR REPLACE FUNCTION registry_search_words_added() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO registry_search_word (word)
      SELECT DISTINCT words.lexeme FROM written, unnest(to_tsvector('simple'::regconfig, written.search_text)) AS words
      ORDER BY 1
      ON CONFLICT DO NOTHING;
      RETURN NULL;
    END $$
    """,
    "DROP TRIGGER IF EXISTS registry_search_words_inserted ON agreements_registryentry",
    "CREATE TRIGGER registry_search_words_inserted AFTER INSERT ON agreements_registryentry"
    " REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION registry_search_words_added()",
    "DROP TRIGGER IF EXISTS registry_search_words_updated ON agreements_registryentry",
    "CREATE TRIGGER registry_search_words_updated AFTER UPDATE ON agreements_registryentry"
    " REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION registry_search_words_added()",
    """
    INSERT INTO registry_search_word (word)
    SELECT DISTINCT words.lexeme FROM agreements_registryentry,
      unnest(to_tsvector('simple'::regconfig, agreements_registryentry.search_text)) AS words
    ORDER BY 1
    ON CONFLICT DO NOTHING
    """,
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS registry_search_words_updated ON agreements_registryentry",
    "DROP TRIGGER IF EXISTS registry_search_words_inserted ON agreements_registryentry",
    "DROP FUNCTION IF EXISTS registry_search_words_added()",
    "DROP TABLE IF EXISTS registry_search_word",
]


class Migration(migrations.Migration):
    dependencies = [("registry", "0008_search_by_word_beginnings")]
    operations = [postgres_sql(FORWARD, BACKWARD)]
