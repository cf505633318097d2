-- What-if: the partial indexes proposed for the CJA inbox, the DGCP dashboard and the DGCP inbox.
-- The app has since added them (agreements migration 0006); kept as the record of the experiment.
-- python -m bench.run --what-if-sql bench/what_if/inbox_dashboard_indexes.sql --database aii_bench_whatif
-- Applied to the cloned run database only; as migrations they would be models.Index(..., condition=Q(...)).

-- CJA inbox (selectors.cja_inbox): ORDER BY cja_deadline, id LIMIT 25 becomes an ordered index scan.
CREATE INDEX whatif_agreement_cja_inbox_idx ON agreements_agreement (cja_deadline, id)
    WHERE status IN ('in_review', 'registration_requested');

-- Dashboard list (selectors.open_cases): the 25 open cases that have waited longest, without sorting ~30k rows.
CREATE INDEX whatif_agreement_open_age_idx ON agreements_agreement (step_entered_at, id)
    WHERE status IN ('draft', 'returned', 'submitted', 'forwarded', 'in_review', 'dictamen_issued',
                     'awaiting_signature', 'signed', 'registration_requested', 'inscribed');

-- Dashboard counts per step (selectors.dashboard_counts) as an index-only scan, and the ?paso=N list.
CREATE INDEX whatif_agreement_open_step_idx ON agreements_agreement (current_step, step_entered_at, id)
    INCLUDE (cja_deadline)
    WHERE status IN ('draft', 'returned', 'submitted', 'forwarded', 'in_review', 'dictamen_issued',
                     'awaiting_signature', 'signed', 'registration_requested', 'inscribed');

-- DGCP inbox (selectors.dgcp_inbox): issued dictámenes in issue order. Only pays off fully once the
-- observation count is a correlated subquery instead of JOIN + GROUP BY (see bench/README.md).
CREATE INDEX whatif_dictamen_issued_idx ON agreements_dictamen (issued_at, id) WHERE status = 'issued';
