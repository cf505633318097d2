"""Anchors for the load benchmark: the same rows as the pages under test, with no ORM, no templates.

* ``hello``: the server stack alone (no database, no session): checks the stack is sane (A0).
* ``raw_*``: one raw SQL statement per table the page shows, through ``connection.cursor()``,
  serialised with ``json.dumps`` (A1). A page's p95 divided by its anchor's p95 is the cost of
  everything the framework adds (session, auth, ORM, pagination count, templates).

No authentication: these views are mounted only when ``PORTAL_BENCH_VIEWS`` is on (never in production).
"""

import json

from django.db import connection
from django.http import HttpResponse
from django.utils import timezone

from agreements import workflow

PAGE_SIZE = 25
OPEN_STATUSES = tuple(sorted(str(s) for s in workflow.OPEN_STATUSES))

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
