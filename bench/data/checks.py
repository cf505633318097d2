"""Distribution checks after loading: measure the generated data, print the figures, return the failed checks."""

from __future__ import annotations

import datetime as dt
import json

from .lifecycle import STATUS_WEIGHTS
from .registry_vocabulary import REGISTRY_YEARS, SEARCH_BANDS, SEARCH_TERMS
from .vocabulary import BENCH_EMAIL, KIND_WEIGHTS, PROFILE_MEDIUM, PROFILE_POOR, PROFILE_RICH, THEME_LABELS

# --- distribution checks ------------------------------------------------------------------


def _readers(scope: dict):
    """``rows(query, params)``, the rows of ``query`` run with ``scope`` and ``params``, and ``one``, its first."""
    from django.db import connection

    def rows(query, params=None):
        with connection.cursor() as cursor:
            cursor.execute(query, {**scope, **(params or {})})
            return cursor.fetchall()

    def one(query, params=None):
        return rows(query, params)[0]

    return rows, one


def check_distributions(expected: dict) -> list[str]:
    """Measure the generated cases (ids ``lo``..``hi``), print the figures and return the failed checks."""
    from agreements import workflow
    from agreements.countries import is_subdivision_of

    scope = {"lo": expected["agreement_ids"][0], "hi": expected["agreement_ids"][1]}
    rows, one = _readers(scope)

    cases = "FROM agreements_agreement a WHERE a.id BETWEEN %(lo)s AND %(hi)s"
    n = expected["agreements"]
    terminal = sorted(str(s) for s in workflow.TERMINAL_STATUSES)
    m = {}
    m["agreements"] = one(f"SELECT count(*) {cases} AND a.is_demo")[0]
    m["statuses"] = dict(rows(f"SELECT a.status, count(*) {cases} GROUP BY a.status"))
    (
        m["distinct_institutions_with_cases"],
        m["distinct_states"],
        m["distinct_municipalities"],
        m["distinct_created_years"],
        m["distinct_deadline_years"],
        m["distinct_deadline_months"],
        m["distinct_signing_years"],
        m["distinct_countries"],
        m["distinct_kinds"],
        m["distinct_steps"],
    ) = one(
        """
        SELECT count(DISTINCT a.institution_id), count(DISTINCT i.state_id), count(DISTINCT i.municipality_id),
               count(DISTINCT date_part('year', a.created_at)), count(DISTINCT date_part('year', a.cja_deadline)),
               count(DISTINCT date_trunc('month', a.cja_deadline)),
               count(DISTINCT date_part('year', a.intended_signing_date)),
               count(DISTINCT NULLIF(a.counterpart_country, '')), count(DISTINCT a.kind), count(DISTINCT a.current_step)
        FROM agreements_agreement a JOIN institutions_institution i ON i.id = a.institution_id
        WHERE a.id BETWEEN %(lo)s AND %(hi)s
        """
    )
    null_columns = ["current_step", "cja_deadline", "submitted_at", "signed_on", "registry_number", "closed_at"]
    nulls = one(
        "SELECT "
        + ", ".join(f"avg((a.{c} IS NULL)::int)" for c in null_columns)
        + f", avg((a.counterpart_country = '')::int) {cases}"
    )
    m["null_rates"] = {c: round(float(v), 4) for c, v in zip([*null_columns, "no_country"], nulls, strict=True)}
    m["terminal_share"] = round(sum(m["statuses"].get(s, 0) for s in terminal) / max(n, 1), 4)
    m["inconsistent_steps"] = one(
        f"""
        SELECT count(*) {cases}
        AND ((a.status = ANY(%(terminal)s)) <> (a.current_step IS NULL)
             OR (a.status <> 'draft' AND a.status <> ALL(%(terminal)s)
                 AND a.current_step IS DISTINCT FROM (%(steps)s::jsonb ->> a.status)::int))
        """,
        {"terminal": terminal, "steps": json.dumps({str(k): v for k, v in workflow.STATUS_STEP.items()})},
    )[0]
    m["themes_per_case"] = [
        round(float(v), 2)
        for v in one(
            "SELECT min(c), max(c), avg(c) FROM (SELECT count(*) c FROM agreements_agreement_themes "
            "WHERE agreement_id BETWEEN %(lo)s AND %(hi)s GROUP BY agreement_id) x"
        )
    ]
    m["cases_without_theme"] = one(
        f"SELECT count(*) {cases} AND NOT EXISTS "
        "(SELECT 1 FROM agreements_agreement_themes t WHERE t.agreement_id = a.id)"
    )[0]
    m["distinct_themes"] = one(
        "SELECT count(DISTINCT theme_id) FROM agreements_agreement_themes WHERE agreement_id BETWEEN %(lo)s AND %(hi)s"
    )[0]
    m["cja_inbox"] = one(f"SELECT count(*) {cases} AND a.status IN ('in_review', 'registration_requested')")[0]
    m["dgcp_inbox"] = one(
        "SELECT count(*) FROM agreements_dictamen WHERE status = 'issued' AND agreement_id BETWEEN %(lo)s AND %(hi)s"
    )[0]
    m["open_cases"] = one(
        f"SELECT count(*) {cases} AND a.status = ANY(%(open)s)",
        {"open": sorted(str(s) for s in workflow.OPEN_STATUSES)},
    )[0]
    m["overdue_at_step_7"] = one(f"SELECT count(*) {cases} AND a.current_step = 7 AND a.cja_deadline < current_date")[0]
    m["dictamenes"] = dict(
        rows(
            "SELECT status, count(*) FROM agreements_dictamen WHERE agreement_id BETWEEN %(lo)s AND %(hi)s "
            "GROUP BY status"
        )
    )
    m["observations"] = one(
        "SELECT count(*) FROM agreements_observation o JOIN agreements_dictamen d ON d.id = o.dictamen_id "
        "WHERE d.agreement_id BETWEEN %(lo)s AND %(hi)s"
    )[0]
    m["documents"] = dict(
        rows(
            "SELECT kind, count(*) FROM agreements_document WHERE agreement_id BETWEEN %(lo)s AND %(hi)s GROUP BY kind"
        )
    )
    m["documents_empty"] = one(
        "SELECT count(*) FROM agreements_document WHERE agreement_id BETWEEN %(lo)s AND %(hi)s "
        "AND (size <= 0 OR sha256 = '')"
    )[0]
    m["timeline_events"] = one(
        "SELECT count(*) FROM agreements_timelineevent WHERE agreement_id BETWEEN %(lo)s AND %(hi)s"
    )[0]
    m["timestamps_out_of_order"] = one(
        f"SELECT count(*) {cases} AND (a.created_at > a.step_entered_at OR a.updated_at < a.created_at "
        "OR a.submitted_at < a.created_at OR a.closed_at < a.created_at)"
    )[0]
    m["registry_entries"] = one(
        "SELECT count(*) FROM agreements_registryentry WHERE agreement_id BETWEEN %(lo)s AND %(hi)s"
    )[0]
    m["institutions"] = dict(
        rows(
            "SELECT level, count(*) FROM institutions_institution WHERE email = %(email)s GROUP BY level",
            {"email": BENCH_EMAIL},
        )
    )
    m["institution_states"] = one(
        "SELECT count(DISTINCT state_id) FROM institutions_institution WHERE email = %(email)s", {"email": BENCH_EMAIL}
    )[0]
    m["local_officials"] = one(
        "SELECT count(*) FROM institutions_user u JOIN institutions_user_groups g ON g.user_id = u.id "
        "JOIN auth_group gr ON gr.id = g.group_id WHERE gr.name = 'Enlace local' AND u.email LIKE %(domain)s",
        {"domain": "%@bench.example"},
    )[0]
    subdivisions = rows(
        f"SELECT DISTINCT a.counterpart_country, a.counterpart_subdivision {cases} AND a.counterpart_subdivision <> ''"
    )
    m["invalid_subdivisions"] = [s for c, s in subdivisions if not is_subdivision_of(s, c)]

    print(json.dumps(m, indent=1, default=str, ensure_ascii=False))
    small = n < 2_000  # tiny smoke-test datasets cannot fill every inbox page
    checks = [
        (m["agreements"] == n, f"agreements: {m['agreements']} != {n}"),
        (len(m["statuses"]) == len(STATUS_WEIGHTS), f"distinct statuses {len(m['statuses'])} < {len(STATUS_WEIGHTS)}"),
        (m["statuses"] == {k: v for k, v in expected["status_counts"].items() if v}, "status counts != simulation"),
        (m["distinct_states"] >= 30, f"states with cases {m['distinct_states']} < 30"),
        (m["institution_states"] == 32, f"states among institutions {m['institution_states']} != 32"),
        (
            m["distinct_institutions_with_cases"] >= 0.8 * expected["institutions"]
            or n < 20 * expected["institutions"],
            "fewer than 80% of the institutions have cases",
        ),
        (m["distinct_municipalities"] > 100 or expected["institutions"] < 200, "cases on 100 municipalities or fewer"),
        (m["distinct_created_years"] > 1, "every case created in the same year"),
        (m["distinct_deadline_years"] > 1, "every cja_deadline in the same year"),
        (m["distinct_deadline_months"] > 12, "cja_deadline spans 12 months or fewer"),
        (m["distinct_signing_years"] > 1, "every signing date in the same year"),
        (m["distinct_countries"] >= 20, "fewer than 20 counterpart countries"),
        (m["distinct_kinds"] == len(KIND_WEIGHTS), "not every kind of instrument present"),
        (m["distinct_steps"] == 11, f"distinct current_step values {m['distinct_steps']} != 11 (1, 2, 4-12)"),
        (m["distinct_themes"] == len(THEME_LABELS), "not every theme present"),
        (m["cases_without_theme"] == 0, "cases without a theme"),
        (m["inconsistent_steps"] == 0, f"{m['inconsistent_steps']} cases whose step does not match the status"),
        (
            abs(m["null_rates"]["current_step"] - m["terminal_share"]) < 1e-3,
            "current_step NULL rate differs from the terminal share",
        ),
        (m["null_rates"]["cja_deadline"] == 0, "cases without cja_deadline"),
        (0 < m["null_rates"]["submitted_at"] < 0.5, "submitted_at NULL rate out of (0, 0.5)"),
        (0 < m["null_rates"]["registry_number"] < 1, "registry_number NULL rate out of (0, 1)"),
        (m["cja_inbox"] > 25 or small, "CJA inbox has no second page"),
        (m["dgcp_inbox"] > 25 or small, "DGCP inbox has no second page"),
        (m["dgcp_inbox"] == m["statuses"].get("dictamen_issued", 0), "issued dictámenes != cases at step 8"),
        (m["overdue_at_step_7"] > 0 or small, "no overdue case at step 7"),
        (m["registry_entries"] == m["statuses"].get("closed", 0), "registry entries != closed cases"),
        (m["documents_empty"] == 0, "documents without size or hash"),
        (m["timestamps_out_of_order"] == 0, "timestamps out of order"),
        (m["local_officials"] >= expected["institutions"], "fewer local officials than institutions"),
        (not m["invalid_subdivisions"], f"invalid ISO 3166-2 subdivisions {m['invalid_subdivisions']}"),
    ]
    failures = [message for ok, message in checks if not ok]
    print(f"distribution checks: {len(checks) - len(failures)}/{len(checks)} passed")
    return failures


def check_registry(expected: dict, today: dt.date) -> list[str]:
    """Measure the registry (imported history and workflow entries) and the profile skew; return failed checks."""
    from agreements.countries import is_subdivision_of, region_for
    from agreements.registry.models import RegistryEntry
    from agreements.registry.selectors import registry_search
    from portal.core.text import fold

    n = expected["registry"]
    scope = {"lo": expected["registry_first_id"], "today": today}
    rows, one = _readers(scope)

    imported = "FROM agreements_registryentry r WHERE r.source = 'import' AND r.id >= %(lo)s"
    m = {}
    m["entries"] = dict(rows("SELECT source, count(*) FROM agreements_registryentry GROUP BY source"))
    total = sum(m["entries"].values())
    (
        m["imported"],
        m["imported_demo"],
        m["distinct_states"],
        m["distinct_municipalities"],
        m["state_level_share"],
        m["distinct_years"],
        m["first_year"],
        m["last_year"],
        m["expires_null_rate"],
        m["registered_before_signed"],
        m["registered_after_today"],
        m["expires_before_signed"],
    ) = one(
        "SELECT count(*), count(*) FILTER (WHERE r.is_demo), count(DISTINCT r.state_id), "
        "count(DISTINCT r.municipality_id), avg((r.level = 'state')::int)::float, "
        "count(DISTINCT date_part('year', r.signed_on)), min(date_part('year', r.signed_on))::int, "
        "max(date_part('year', r.signed_on))::int, avg((r.expires_on IS NULL)::int)::float, "
        "count(*) FILTER (WHERE r.registered_on < r.signed_on), count(*) FILTER (WHERE r.registered_on > %(today)s), "
        f"count(*) FILTER (WHERE r.expires_on < r.signed_on) {imported}"
    )
    m["per_decade"] = dict(
        rows(f"SELECT (date_part('year', r.signed_on)::int / 10) * 10 AS d, count(*) {imported} GROUP BY d ORDER BY d")
    )
    m["municipality_outside_state"] = one(
        "SELECT count(*) FROM agreements_registryentry r JOIN geography_municipality g ON g.inegi_code = "
        "r.municipality_id WHERE g.state_id <> r.state_id"
    )[0]
    m["top_countries"] = rows(
        "SELECT counterpart_country, count(*) FROM agreements_registryentry WHERE counterpart_country <> '' "
        "GROUP BY 1 ORDER BY 2 DESC LIMIT 5"
    )
    m["counterpart_types"] = dict(rows(f"SELECT r.counterpart_type, count(*) {imported} GROUP BY 1"))
    m["kinds"] = len(rows(f"SELECT DISTINCT r.kind {imported}"))
    m["themes_per_entry"] = [
        round(float(v), 2)
        for v in one(
            "SELECT min(c), max(c), avg(c) FROM (SELECT r.id, count(t.id) c FROM agreements_registryentry r "
            "LEFT JOIN agreements_registryentry_themes t ON t.registryentry_id = r.id GROUP BY r.id) x"
        )
    ]
    m["theme_keys_mismatch"] = one(
        "SELECT count(*) FROM agreements_registryentry r WHERE r.theme_keys <> coalesce((SELECT jsonb_agg("
        't.theme_id ORDER BY t.theme_id COLLATE "C") FROM agreements_registryentry_themes t '
        "WHERE t.registryentry_id = r.id), '[]'::jsonb)"
    )[0]
    # The statistics summary the triggers keep as COPY writes (migration 0034), against a live count by state.
    m["stats_summary_mismatch"] = one(
        "SELECT count(*) FROM (SELECT state_id AS k, count(*) AS n FROM agreements_registryentry GROUP BY 1) live "
        "FULL JOIN (SELECT key AS k, entries AS n FROM agreements_registrystat WHERE state_code = '' "
        "AND dimension = 'state' AND year = 0 AND entries <> 0) summary USING (k) WHERE live.n IS DISTINCT FROM summary.n"
    )[0]
    pairs = rows("SELECT DISTINCT counterpart_country, counterpart_subdivision, region FROM agreements_registryentry")
    m["invalid_subdivisions"] = sorted({s for c, s, _r in pairs if s and not is_subdivision_of(s, c)})
    m["wrong_regions"] = sorted({(c, r) for c, _s, r in pairs if r != region_for(c)})
    m["subdivision_countries"] = sorted({c for c, s, _r in pairs if s})
    mismatched, checked, last_id = 0, 0, 0
    while True:  # search_text exactly as services.registry._derived writes it, for every entry
        batch = rows(
            "SELECT id, title, counterpart_name, signing_office, search_text FROM agreements_registryentry "
            "WHERE id > %(after)s ORDER BY id LIMIT 20000",
            {"after": last_id},
        )
        if not batch:
            break
        for _pk, title, name, office, text in batch:
            mismatched += fold(f"{title} {name} {office}") != text
        checked += len(batch)
        last_id = batch[-1][0]
    m["search_text_checked"], m["search_text_mismatch"] = checked, mismatched
    m["search_bands"] = {}
    for band, term in SEARCH_TERMS.items():
        matches = registry_search(RegistryEntry.objects.all(), term).count()
        m["search_bands"][band] = {"term": term, "matches": matches, "share": round(matches / max(total, 1), 4)}
    m["expiring_within_90_days"] = one(
        "SELECT count(*) FROM agreements_registryentry WHERE expires_on BETWEEN %(today)s AND %(today)s + 90"
    )[0]
    profile = {}
    for label, place in (("rich", PROFILE_RICH), ("medium", PROFILE_MEDIUM), ("poor", PROFILE_POOR)):
        for kind, code in place.items():
            where = (
                "i.state_id = %(code)s AND i.municipality_id IS NULL"
                if kind == "state"
                else "i.municipality_id = %(code)s"
            )
            column = "state_id" if kind == "state" else "municipality_id"
            profile[f"{label}_{kind}_{code}"] = dict(
                zip(
                    ["registry", "partnerships", "migrant_offices", "focal_points", "memberships"],
                    one(
                        f"SELECT (SELECT count(*) FROM agreements_registryentry WHERE {column} = %(code)s), "
                        "(SELECT count(*) FROM cooperation_partnership p JOIN institutions_institution i "
                        f"ON i.id = p.institution_id WHERE {where}), "
                        "(SELECT count(*) FROM migrants_migrantoffice o JOIN institutions_institution i "
                        f"ON i.id = o.institution_id WHERE i.{column} = %(code)s), "
                        f"(SELECT count(*) FROM cooperation_focalpoint WHERE {column} = %(code)s), "
                        f"(SELECT count(*) FROM cooperation_networkmembership WHERE {column} = %(code)s)",
                        {"code": code},
                    ),
                    strict=True,
                )
            )
    m["profiles"] = profile
    m["not_analyzed"] = [
        name
        for name, analyzed in rows(
            "SELECT relname, greatest(last_analyze, last_autoanalyze) IS NOT NULL FROM pg_stat_user_tables "
            "WHERE relname IN ('agreements_registryentry', 'agreements_registryentry_themes')"
        )
        if not analyzed
    ]

    print(json.dumps(m, indent=1, default=str, ensure_ascii=False))
    big = n >= 20_000  # tiny smoke-test sizes cannot reach every state, municipality and band
    decades = m["per_decade"]
    rich, poor = profile[f"rich_state_{PROFILE_RICH['state']}"], profile[f"poor_state_{PROFILE_POOR['state']}"]
    poor_municipality = profile[f"poor_municipality_{PROFILE_POOR['municipality']}"]
    checks = [
        (m["imported"] == n, f"imported registry entries {m['imported']} != {n}"),
        (m["imported_demo"] == n, "imported entries not all is_demo"),
        (m["distinct_states"] == 32 or not big, f"imported entries in {m['distinct_states']} states, not 32"),
        (
            m["distinct_municipalities"] >= 500 or not big,
            f"imported entries in {m['distinct_municipalities']} municipalities",
        ),
        (0.40 <= m["state_level_share"] <= 0.50, f"state-level share {m['state_level_share']:.3f} outside 0.40-0.50"),
        (m["municipality_outside_state"] == 0, "entries whose municipality is not in their state"),
        (m["distinct_years"] == REGISTRY_YEARS[1] - REGISTRY_YEARS[0] + 1 or not big, "signing years missing"),
        ((m["first_year"], m["last_year"]) == REGISTRY_YEARS or not big, "signing years outside 1990-2025"),
        (decades.get(2020, 0) > 3 * decades.get(1990, 0), "no growth: 2020s not above 3x the 1990s"),
        (
            0.35 <= m["expires_null_rate"] <= 0.45,
            f"expires_on NULL rate {m['expires_null_rate']:.3f} outside 0.35-0.45",
        ),
        (m["registered_before_signed"] == 0, "entries registered before they were signed"),
        (m["registered_after_today"] == 0, "entries registered after today"),
        (m["expires_before_signed"] == 0, "entries expiring before they were signed"),
        (m["top_countries"] and m["top_countries"][0][0] == "US", "US is not the most frequent counterpart country"),
        (m["counterpart_types"].get("government", 0) > 0.5 * n, "government counterparts are not the majority"),
        (m["kinds"] == len(KIND_WEIGHTS), "not every kind of instrument imported"),
        (m["themes_per_entry"][0] >= 1 and m["themes_per_entry"][1] <= 3, "entries without 1-3 themes"),
        (m["theme_keys_mismatch"] == 0, f"{m['theme_keys_mismatch']} entries whose theme_keys differ from the M2M"),
        (m["stats_summary_mismatch"] == 0, f"{m['stats_summary_mismatch']} states counted otherwise by the summary"),
        (not m["invalid_subdivisions"], f"invalid ISO 3166-2 subdivisions {m['invalid_subdivisions']}"),
        (not m["wrong_regions"], f"regions not from countries.region_for {m['wrong_regions']}"),
        ({"US", "CA", "ES"} <= set(m["subdivision_countries"]), "no subdivisions for US, CA or ES"),
        (m["search_text_mismatch"] == 0, f"{m['search_text_mismatch']} entries whose search_text is not fold(...)"),
        (m["expiring_within_90_days"] > 0 or not big, "no entry expires within 90 days"),
        (rich["partnerships"] >= 50 and rich["migrant_offices"] >= 10, f"rich profile not rich: {rich}"),
        (
            poor["partnerships"] == poor["migrant_offices"] == poor["focal_points"] == poor["memberships"] == 0,
            f"poor state profile has linked rows: {poor}",
        ),
        (poor_municipality["partnerships"] == poor_municipality["focal_points"] == 0, "poor municipality has rows"),
        (not m["not_analyzed"], f"tables not analyzed: {m['not_analyzed']}"),
    ]
    for band, (low, high) in SEARCH_BANDS.items():
        share = m["search_bands"][band]["share"]
        checks.append((low <= share <= high or not big, f"search band {band}: share {share} outside {low}-{high}"))
    failures = [message for ok, message in checks if not ok]
    print(f"registry checks: {len(checks) - len(failures)}/{len(checks)} passed")
    return failures
