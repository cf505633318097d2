"""Anchors for the load benchmark: the same rows as the pages under test, with no ORM, no templates.

* ``hello``: the server stack alone (no database, no session): checks the stack is sane (A0).
* ``raw_*``: one raw SQL statement per table the page shows, through ``connection.cursor()``,
  serialised with ``json.dumps`` (A1). A page's p95 divided by its anchor's p95 is the cost of
  everything the framework adds (session, auth, ORM, pagination count, templates).
* ``raw_registry`` / ``raw_registry_stats``: the public registry's rows (``ORDER BY signed_on DESC, id DESC``,
  with the search predicate the app uses on PostgreSQL and the filters the benchmark uses) and one
  ``GROUP BY`` per statistics dimension.

No authentication: these views are mounted only when ``PORTAL_BENCH_VIEWS`` is on (never in production).
"""

import json

from django.db import connection
from django.http import HttpResponse
from django.utils import timezone

from agreements import workflow

PAGE_SIZE = 25
# The open cases a reviewer sees: reviewers never see a draft (Agreement.objects.visible_to).
OPEN_STATUSES = tuple(sorted(str(s) for s in workflow.OPEN_STATUSES if s != "draft"))

CJA_INBOX_SQL = """
SELECT a.id, a.folio, a.title, i.name, a.current_step, a.cja_deadline, a.intended_signing_date, a.is_late
FROM agreements_agreement a
JOIN institutions_institution i ON i.id = a.institution_id
WHERE a.status IN ('in_review', 'registration_requested')
ORDER BY a.cja_deadline ASC, a.id ASC
LIMIT %s
"""

DGCP_INBOX_SQL = """
SELECT a.id, a.folio, a.title, i.name, d.outcome,
       (SELECT count(*) FROM agreements_observation o WHERE o.dictamen_id = d.id) AS observation_count,
       d.issued_at
FROM agreements_dictamen d
JOIN agreements_agreement a ON a.id = d.agreement_id
JOIN institutions_institution i ON i.id = a.institution_id
WHERE d.status = 'issued'
ORDER BY d.issued_at ASC, d.id ASC
LIMIT %s
"""

DASHBOARD_COUNTS_SQL = """
SELECT current_step, count(*) AS total,
       count(*) FILTER (WHERE current_step = 7 AND cja_deadline < %s) AS overdue
FROM agreements_agreement
WHERE status = ANY(%s)
GROUP BY current_step
ORDER BY current_step
"""

DASHBOARD_ROWS_SQL = """
SELECT a.id, a.folio, i.name, a.status, a.current_step, a.step_entered_at, a.cja_deadline
FROM agreements_agreement a
JOIN institutions_institution i ON i.id = a.institution_id
WHERE a.status = ANY(%s)
ORDER BY a.step_entered_at ASC, a.id ASC
LIMIT %s
"""

AGREEMENTS_SQL = """
SELECT a.id, a.folio, a.title, a.kind, a.status, a.current_step, i.name, a.counterpart_name,
       a.counterpart_type, a.counterpart_country, a.counterpart_subdivision,
       ARRAY(SELECT t.theme_id FROM agreements_agreement_themes t WHERE t.agreement_id = a.id ORDER BY t.theme_id),
       a.intended_signing_date, a.cja_deadline, a.is_late, a.created_at
FROM agreements_agreement a
JOIN institutions_institution i ON i.id = a.institution_id
WHERE a.status <> 'draft'
ORDER BY a.id DESC
LIMIT %s
"""


def _rows(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = [c.name for c in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def _json(payload):
    return HttpResponse(json.dumps(payload, default=str), content_type="application/json")


def hello(request):
    return HttpResponse(b"hello", content_type="text/plain")


def raw_cja_inbox(request):
    return _json({"results": _rows(CJA_INBOX_SQL, [PAGE_SIZE])})


def raw_dgcp_inbox(request):
    return _json({"results": _rows(DGCP_INBOX_SQL, [PAGE_SIZE])})


def raw_dashboard(request):
    """The dashboard's two tables: open cases per step (with overdue) and the 25 longest-waiting cases."""
    counts = _rows(DASHBOARD_COUNTS_SQL, [timezone.localdate(), list(OPEN_STATUSES)])
    rows = _rows(DASHBOARD_ROWS_SQL, [list(OPEN_STATUSES), PAGE_SIZE])
    return _json({"counts": counts, "results": rows})


def raw_agreements(request):
    return _json({"results": _rows(AGREEMENTS_SQL, [PAGE_SIZE])})


# --- the public registry (anonymous) -------------------------------------------------------------

REGISTRY_COLUMNS = """
r.id, r.registry_number, r.title, r.kind, r.level, r.state_id, s.short_name AS state, r.municipality_id,
m.name AS municipality, r.signing_office, r.counterpart_name, r.counterpart_type, r.counterpart_country,
r.counterpart_subdivision, r.region, r.theme_keys, r.signed_on, r.signed_place, r.registered_on, r.expires_on,
r.terminated_on, r.automatic_renewal, r.source,
CASE WHEN r.terminated_on <= %s THEN 'terminated' WHEN r.expires_on < %s THEN 'expired' ELSE 'in_force' END AS status,
(SELECT jsonb_agg(jsonb_build_object('kind', a.kind, 'registry_number', a.registry_number, 'signed_on', a.signed_on,
        'registered_on', a.registered_on, 'expires_on', a.expires_on) ORDER BY a.registered_on, a.id)
   FROM agreements_registryamendment a WHERE a.entry_id = r.id) AS amendments
"""  # what the API returns of each entry: its status today and its amendments too
# The predicate selectors.registry_search uses on PostgreSQL: the stored Spanish tsvector, or the words typed with the
# last one as the words of the registry it begins (selectors.entries.word_beginnings_sql), the statement the portal
# runs. As a prefix ('geotermica':*) the planner misjudged how many entries hold it and walked the date index at 1M,
# computing every entry's words, for longer than a request may take. The trigram substring is gone (registry 0008).
REGISTRY_WORDS = "r.search_vector @@ websearch_to_tsquery('public.spanish_unaccent', %s)"
REGISTRY_BEGINNINGS = "r.search_words @@ to_tsquery('simple', {})"
# GROUP BY of each statistics dimension (selectors.registry_stats): (key expression, extra FROM, extra WHERE).
REGISTRY_STAT_KEYS = {
    "state": ("r.state_id", "", ""),
    "level": ("r.level", "", ""),
    "region": ("r.region", "", ""),
    "country": ("r.counterpart_country", "", "r.counterpart_country <> ''"),
    "subdivision": ("r.counterpart_subdivision", "", "r.counterpart_subdivision <> ''"),
    "counterpart_type": ("r.counterpart_type", "", ""),
    "theme": ("t.theme_id", "JOIN agreements_registryentry_themes t ON t.registryentry_id = r.id", ""),
    "kind": ("r.kind", "", ""),
    "year": ("date_part('year', r.signed_on)::int::text", "", ""),
    # agreements.registry.selectors.entry_status_q on the app's today ({today}: timezone.localdate()).
    "status": (
        "CASE WHEN r.terminated_on <= {today} THEN 'terminated' WHEN r.expires_on < {today} THEN 'expired' "
        "ELSE 'in_force' END",
        "",
        "",
    ),
}


def registry_where(params) -> tuple[str, list]:
    """WHERE clause of the registry filters the benchmark uses: q, state, year_min, year_max, theme, region."""
    from agreements.registry.selectors.entries import word_beginnings_sql
    from portal.core.text import fold

    clauses, args = [], []
    text = (params.get("q") or "").strip()
    if fold(text):
        beginnings = word_beginnings_sql(fold(text))
        if beginnings:
            clauses.append(f"({REGISTRY_WORDS} OR {REGISTRY_BEGINNINGS.format(beginnings[0])})")
            args += [text, *beginnings[1]]
        else:
            clauses.append(f"({REGISTRY_WORDS})")
            args.append(text)
    if params.get("state"):
        clauses.append("r.state_id = %s")
        args.append(params["state"])
    if params.get("year_min"):
        clauses.append("r.signed_on >= make_date(%s, 1, 1)")
        args.append(int(params["year_min"]))
    if params.get("year_max"):
        clauses.append("r.signed_on <= make_date(%s, 12, 31)")
        args.append(int(params["year_max"]))
    if params.get("theme"):
        clauses.append(
            "EXISTS (SELECT 1 FROM agreements_registryentry_themes t WHERE t.registryentry_id = r.id "
            "AND t.theme_id = ANY(%s))"
        )
        args.append(params.getlist("theme") if hasattr(params, "getlist") else [params["theme"]])
    if params.get("region"):
        clauses.append("r.region = %s")
        args.append(params["region"])
    return (" AND ".join(clauses) or "TRUE"), args


def raw_registry(request):
    """The registry list's rows: ``ORDER BY signed_on DESC, id DESC LIMIT 25`` with the state (and municipality),
    each entry's status today and its amendments: what the API returns of them.

    ``?before=<date>,<id>`` starts after that key (keyset, as the HTML list's and the API's cursors);
    ``?limit=`` sets the page size. The filters are those of ``registry_where``.
    """
    where, args = registry_where(request.GET)
    after, after_args = "", []
    if request.GET.get("before"):
        day, pk = request.GET["before"].split(",")
        after, after_args = " AND ({0}.signed_on, {0}.id) < (%s::date, %s)", [day, int(pk)]
    limit = min(int(request.GET.get("limit", PAGE_SIZE)), 100)
    today = timezone.localdate()

    def page(extra: str, extra_args: list, order: str) -> list[dict]:
        sql = (
            f"SELECT {REGISTRY_COLUMNS} FROM agreements_registryentry r "
            "JOIN geography_state s ON s.code = r.state_id "
            "LEFT JOIN geography_municipality m ON m.inegi_code = r.municipality_id "
            f"WHERE {where}{after.format('r')}{extra} ORDER BY {order} LIMIT %s"
        )
        return _rows(sql, [today, today, *args, *after_args, *extra_args, limit])

    if not (request.GET.get("q") or "").strip():
        rows = page("", [], "r.signed_on DESC, r.id DESC")
    else:
        # A search, written by hand as the portal runs it: the keys of at most 101 matches; when they are all, the
        # page among them; else the page among the next 5,000 entries by date, else the matches sorted. The plain
        # ORDER BY ... LIMIT walked the date index testing every entry for a rare word at 1M (400-650 ms a
        # request), and its backlog held the sync workers through the following scenarios.
        keys = [
            row["id"] for row in _rows(f"SELECT r.id FROM agreements_registryentry r WHERE {where} LIMIT 101", args)
        ]
        if len(keys) <= 100:
            rows = page(" AND r.id = ANY(%s)", [keys], "r.signed_on DESC, r.id DESC") if keys else []
        else:
            edge = (
                " AND r.signed_on >= (SELECT w.signed_on FROM agreements_registryentry w"
                f" WHERE TRUE{after.format('w')} ORDER BY w.signed_on DESC OFFSET 4999 LIMIT 1)"
            )
            rows = page(edge, after_args, "r.signed_on DESC, r.id DESC")
            if len(rows) < limit:
                rows = page("", [], "r.signed_on + 0 DESC, r.id + 0 DESC")
    for row in rows:  # jsonb comes as its text (Django's loader): the lists, as the API gives them
        row["theme_keys"] = json.loads(row["theme_keys"])
        row["amendments"] = json.loads(row["amendments"]) if row["amendments"] else []
    return _json({"results": rows})


def registry_stats_sql(dimension: str, params) -> tuple[str, list]:
    key, join, condition = REGISTRY_STAT_KEYS[dimension]
    key = key.format(today=f"'{timezone.localdate().isoformat()}'::date")
    where, args = registry_where(params)
    if condition:
        where += f" AND {condition}"
    sql = (
        f"SELECT {key} AS key, count(*) AS count FROM agreements_registryentry r {join} WHERE {where} "
        f'GROUP BY 1 ORDER BY 2 DESC, ({key}) COLLATE "C"'
    )
    return sql, args


def raw_registry_stats(request):
    """One ``GROUP BY`` per dimension (``?by=``, default state), with the state names for ``by=state``."""
    dimension = request.GET.get("by", "state")
    if dimension not in REGISTRY_STAT_KEYS:
        return HttpResponse(status=400)
    sql, args = registry_stats_sql(dimension, request.GET)
    if dimension == "state":
        sql = (
            "SELECT x.key, s.short_name AS label, x.count FROM (" + sql + ") x "
            'JOIN geography_state s ON s.code = x.key ORDER BY x.count DESC, x.key COLLATE "C"'
        )
    rows = _rows(sql, args)
    return _json({"by": dimension, "total": sum(r["count"] for r in rows), "results": rows})
