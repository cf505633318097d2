-- What-if (session 13, not adopted): the two words indexes hold each entry's state (btree_gin), so that a search
-- with a state intersects the two inside the index instead of ANDing the bitmap of the state's 85,000 entries.
-- python -m bench.run --scale 10 --suite registry --no-export --what-if-sql bench/what_if/search_indexes_with_state.sql
-- In-process at 1M (bench/README.md, "Session 13"): the count of «geotermica» in Jalisco 15 -> 2 ms, «Distrito
-- Federal» in Jalisco 21 -> 5 ms, «salud pública Jalisco» in Jalisco 21 -> 7 ms; but «educacion» in Mexico City
-- 1.3 -> 15 ms: the planner prices the combined lookup far below the ~9,000 entries it reads and prefers it to
-- walking the state's newest entries, which stops after 101. Adopting it needs the count to choose by the words'
-- density first; a probe of the state's 2,000 newest entries cost 7 ms per search at either size.
CREATE EXTENSION IF NOT EXISTS btree_gin;
SET maintenance_work_mem = '1GB';
DROP INDEX IF EXISTS registry_search_vector_idx;
CREATE INDEX registry_search_vector_idx ON agreements_registryentry USING gin (state_id, search_vector);
DROP INDEX IF EXISTS registry_search_words_idx;
CREATE INDEX registry_search_words_idx ON agreements_registryentry USING gin (state_id, search_words);
ANALYZE agreements_registryentry;
