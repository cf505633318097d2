-- What-if: indexes for the registry statistics, the 32-state comparison and the state/municipal profiles.
-- python -m bench.run --suite registry,profiles --no-export --what-if-sql bench/what_if/registry_profile_indexes.sql \
--     --database aii_bench_whatif
-- Measured (results/20261122-213112.json against the recorded 20261122-212010.json, same app, server p95):
-- uncached statistics 110-121 -> 55-63 ms (theme unchanged: query shape), uncached dashboard 763 -> 486 ms,
-- /estados/comparacion/ 128 -> 62 ms, /estados/ 132 -> 60 ms, /estados/14/ 73 -> 42 ms.
-- Applied to the cloned run database only. As migrations they would be, on RegistryEntry,
--   models.Index(fields=["state", "expires_on"], include=["id", "level", "region", "counterpart_country",
--                "counterpart_subdivision", "counterpart_type", "kind", "signed_on"], name="registry_stats_idx")
-- and, on Agreement,
--   models.Index(fields=["institution"], condition=Q(status__in=OPEN_STATUSES), name="agreement_open_institution_idx").

-- A registry row is ~880 bytes (search_text and the stored tsvector), so the heap is 133 MB at 150k entries: more
-- than shared_buffers (128 MB). Every statistic (GROUP BY level, region, country, ...), the comparison's
-- GROUP BY state_id with COUNT ... FILTER (expires_on ...) and the profile's aggregates for one state read only
-- these narrow columns: one covering index (~12 MB) turns them into index-only scans.
CREATE INDEX whatif_registry_stats_idx ON agreements_registryentry (state_id, expires_on)
    INCLUDE (id, level, region, counterpart_country, counterpart_subdivision, counterpart_type, kind, signed_on);

-- The profile's "in review" count (open cases of a government's institutions): a nested loop over the
-- state's ~125 institutions with index-only scans, instead of reading the 30k open cases.
CREATE INDEX whatif_agreement_open_institution_idx ON agreements_agreement (institution_id)
    WHERE status IN ('draft', 'returned', 'submitted', 'forwarded', 'in_review', 'dictamen_issued',
                     'awaiting_signature', 'signed', 'registration_requested', 'inscribed');
