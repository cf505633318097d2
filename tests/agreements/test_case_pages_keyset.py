"""Keyset pages of the case list, the CJA and DGCP inboxes and the DGCP dashboard: every row once in both
directions, a capped total, and a cost that does not grow with depth (no OFFSET, no full count)."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import agreements.selectors
import agreements.views.cases
from agreements.models import Agreement, Dictamen, Document
from tests.support import assert_queries_constant, explained_plan_nodes

pytestmark = pytest.mark.django_db


def clone_cases(case: Agreement, count: int, *, spread_days: int = 3) -> list[Agreement]:
    """``count`` copies of ``case`` (with copies of its pending dictamen), several sharing each timestamp and
    deadline so that page boundaries fall inside ties."""
    dictamen = Dictamen.objects.filter(agreement=case).first()
    base = timezone.now() - dt.timedelta(days=30)
    copies = []
    for i in range(count):
        copy = Agreement.objects.get(pk=case.pk)
        copy.pk = None
        copy.folio = f"K-{case.pk}-{i:05d}"
        copy.search_text = f"k-{case.pk}-{i:05d}"
        copy.step_entered_at = base + dt.timedelta(days=i % spread_days)
        copy.cja_deadline = (case.cja_deadline or base.date()) + dt.timedelta(days=i % spread_days)
        copies.append(copy)
    copies = Agreement.objects.bulk_create(copies)
    # created_at is set on insert (auto_now_add): give the copies shared values too.
    for i, copy in enumerate(copies):
        Agreement.objects.filter(pk=copy.pk).update(created_at=base + dt.timedelta(days=i % spread_days))
    if dictamen is not None:
        texts = []
        for copy in copies:
            text = Document.objects.get(pk=dictamen.final_text_id)
            text.pk, text.agreement = None, copy
            texts.append(text)
        texts = Document.objects.bulk_create(texts)
        clones = []
        for i, (copy, text) in enumerate(zip(copies, texts, strict=True)):
            clone = Dictamen.objects.get(pk=dictamen.pk)
            clone.pk, clone.agreement, clone.reply_letter, clone.final_text = None, copy, None, text
            clone.issued_at = base + dt.timedelta(days=i % spread_days)
            clones.append(clone)
        Dictamen.objects.bulk_create(clones)
    return copies


LISTS = [
    ("cja", "inbox_cja", "in_review", {}),
    ("cja", "inbox_cja", "in_review", {"orden": "-plazo"}),
    ("dgcp", "inbox_dgcp", "dictamen_issued", {}),
    ("dgcp", "dashboard", "in_review", {}),
    ("dgcp", "dashboard", "in_review", {"paso": "7"}),
    ("local", "agreement_list", "in_review", {}),
]


def _pks(response):
    return [getattr(row, "agreement", row).pk for row in response.context["page"].items]


def _cursor(html: str, rel: str) -> str | None:
    found = re.search(rf'rel="{rel}" href="\?[^"]*?(?:despues|antes)=([A-Za-z0-9_-]+)"', html)
    return found.group(1) if found else None


@pytest.mark.parametrize(("who", "name", "state", "params"), LISTS)
def test_walking_forward_and_back_shows_every_case_once(request, client, cases, monkeypatch, who, name, state, params):
    monkeypatch.setattr(agreements.views.cases, "PAGE_SIZE", 4)
    case = getattr(cases, state)()
    clone_cases(case, 13)
    client.force_login(request.getfixturevalue(who))
    url = reverse(f"agreements:{name}")
    first = client.get(url, params)
    expected_total = first.context["count"]
    assert expected_total == 14 and not first.context["capped"]

    seen, pages, response = [], [], first
    while True:
        pages.append(_pks(response))
        seen += pages[-1]
        after = _cursor(response.content.decode(), "next")
        if after is None:
            break
        response = client.get(url, {**params, "despues": after})
    assert len(seen) == 14 and len(set(seen)) == 14
    assert [len(p) for p in pages] == [4, 4, 4, 2]
    assert _cursor(first.content.decode(), "prev") is None

    back_pages = [_pks(response)]
    while (before := _cursor(response.content.decode(), "prev")) is not None:
        response = client.get(url, {**params, "antes": before})
        back_pages.append(_pks(response))
    assert back_pages[::-1] == pages


def test_the_order_of_the_pages_follows_the_lists_order(client, cases, cja, monkeypatch):
    monkeypatch.setattr(agreements.views.cases, "PAGE_SIZE", 5)
    clone_cases(cases.in_review(), 11)
    client.force_login(cja)
    url = reverse("agreements:inbox_cja")
    rows = []
    response = client.get(url)
    while True:
        rows += [(a.cja_deadline, a.pk) for a in response.context["page"].items]
        after = _cursor(response.content.decode(), "next")
        if not after:
            break
        response = client.get(url, {"despues": after})
    assert rows == sorted(rows)


def test_the_total_is_capped_and_said_as_more_than(client, cases, dgcp, monkeypatch):
    monkeypatch.setattr(agreements.selectors, "COUNT_CAP", 5)
    clone_cases(cases.in_review(), 8)
    client.force_login(dgcp)
    response = client.get(reverse("agreements:dashboard"))
    assert response.context["capped"] and response.context["count"] == 5
    assert "Más de 5 resultados" in response.content.decode()
    english = client.get(reverse("agreements:dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "More than 5 results" in english


def test_a_malformed_cursor_shows_the_first_page(client, cases, cja):
    cases.in_review()
    client.force_login(cja)
    response = client.get(reverse("agreements:inbox_cja"), {"despues": "%%%no-es-un-cursor", "antes": "x"})
    assert response.status_code == 200 and len(response.context["page"].items) == 1


@pytest.mark.parametrize(
    ("who", "name", "state"),
    [("cja", "inbox_cja", "in_review"), ("dgcp", "inbox_dgcp", "dictamen_issued"), ("dgcp", "dashboard", "in_review")],
)
def test_a_deep_page_costs_the_same_queries_as_the_first(request, client, cases, monkeypatch, who, name, state):
    monkeypatch.setattr(agreements.views.cases, "PAGE_SIZE", 3)
    clone_cases(getattr(cases, state)(), 20)
    client.force_login(request.getfixturevalue(who))
    url = reverse(f"agreements:{name}")
    response = client.get(url)  # warm up the session
    with CaptureQueriesContext(connection) as first:
        response = client.get(url)
    for _ in range(5):
        response = client.get(url, {"despues": _cursor(response.content.decode(), "next")})
    with CaptureQueriesContext(connection) as deep:
        client.get(url, {"despues": _cursor(response.content.decode(), "next")})
    assert len(deep) == len(first)
    sql = " ".join(q["sql"] for q in deep.captured_queries).upper()
    assert " OFFSET " not in sql


@pytest.mark.postgres
@pytest.mark.skipif(not settings.USING_POSTGRES, reason="the plan is PostgreSQL's")
@pytest.mark.parametrize(
    ("who", "name", "state", "index"),
    [
        ("cja", "inbox_cja", "in_review", "agreement_cja_inbox_idx"),
        ("dgcp", "inbox_dgcp", "dictamen_issued", "dictamen_issued_idx"),
        ("dgcp", "dashboard", "in_review", "agreement_open_age_idx"),
        ("dgcp", "agreement_list", "in_review", "agreement_recent_idx"),
        # Every case here is the office's: walking the newest cases filters nothing out either (random_page_cost 1.1).
        ("local", "agreement_list", "in_review", "agreement_institution_idx|agreement_recent_idx"),
    ],
)
def test_a_deep_page_walks_the_index_without_sorting_every_row(
    request, client, cases, monkeypatch, who, name, state, index
):
    clone_cases(getattr(cases, state)(), 3000, spread_days=300)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE agreements_agreement")
        cursor.execute("ANALYZE agreements_dictamen")
    client.force_login(request.getfixturevalue(who))
    url = reverse(f"agreements:{name}")
    response = client.get(url)
    for _ in range(40):
        response = client.get(url, {"despues": _cursor(response.content.decode(), "next")})
    after = _cursor(response.content.decode(), "next")
    with CaptureQueriesContext(connection) as captured:
        client.get(url, {"despues": after})
    page_sql = next(q["sql"] for q in captured.captured_queries if "LIMIT 26" in q["sql"])
    nodes = explained_plan_nodes(page_sql)
    assert any(n.get("Index Name") in index.split("|") for n in nodes), nodes[0]
    sorted_rows = [n.get("Actual Rows", 0) for n in nodes if n["Node Type"] in ("Sort", "Incremental Sort")]
    assert all(rows <= 100 for rows in sorted_rows), nodes[0]
    assert sum(n.get("Rows Removed by Filter", 0) for n in nodes) < 500, nodes[0]


def test_the_dashboard_counts_per_step_are_capped_and_said_as_more_than(client, cases, dgcp, monkeypatch):
    """Each step's count stops at ``COUNT_CAP`` («más de»): the dashboard reads at most that many open cases a
    step, not every open case (a grouped count over 300,000 at a million cases)."""
    monkeypatch.setattr(agreements.selectors.cases, "COUNT_CAP", 5)
    case = cases.in_review()
    clone_cases(case, 8)  # 9 cases at step 7, every one past its deadline and in the step for 30 days
    Agreement.objects.filter(current_step=7).update(
        cja_deadline=timezone.localdate() - dt.timedelta(days=30),
        step_entered_at=timezone.now() - dt.timedelta(days=30),
    )
    cases.dictamen_issued()  # 1 at step 8
    client.force_login(dgcp)
    response = client.get(reverse("agreements:dashboard"))
    rows = {c["step"].number: c for c in response.context["counts"]}
    assert (rows[7]["total"], rows[7]["capped"], rows[7]["overdue"], rows[7]["overdue_capped"]) == (5, True, 5, True)
    assert (rows[8]["total"], rows[8]["capped"], rows[8]["overdue"]) == (1, False, 0)
    assert rows[7]["oldest_days"] >= 15 and rows[8]["oldest_days"] == 0 and rows[5]["oldest_days"] is None
    assert response.content.decode().count("Más de 5</") == 2  # the count and the overdue count of step 7
    english = client.get(reverse("agreements:dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert english.count("More than 5</") == 2


def test_the_dashboard_counts_every_step_in_one_statement_whatever_the_open_cases(client, cases, dgcp):
    case = cases.in_review()
    client.force_login(dgcp)
    statements = assert_queries_constant(
        lambda: agreements.selectors.dashboard_counts(user=dgcp), lambda: clone_cases(case, 30)
    )
    assert statements == 1
    assert_queries_constant(
        lambda: client.get(reverse("agreements:dashboard")), lambda: clone_cases(cases.in_review(), 30)
    )


@pytest.mark.postgres
@pytest.mark.skipif(not settings.USING_POSTGRES, reason="the plan is PostgreSQL's")
def test_the_dashboard_counts_read_at_most_the_cap_of_each_step(cases, dgcp, monkeypatch):
    monkeypatch.setattr(agreements.selectors.cases, "COUNT_CAP", 50)
    clone_cases(cases.in_review(), 2000, spread_days=300)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE agreements_agreement")
    with CaptureQueriesContext(connection) as captured:
        counts = agreements.selectors.dashboard_counts(user=dgcp)
    assert counts[6]["total"] == 50 and counts[6]["capped"]
    nodes = explained_plan_nodes(captured.captured_queries[0]["sql"])
    assert max(n.get("Actual Rows", 0) for n in nodes) <= 51, nodes[0]


def _dgcp_inbox_statements(client, dgcp, **params):
    client.force_login(dgcp)
    client.get(reverse("agreements:inbox_dgcp"))  # the session warm
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("agreements:inbox_dgcp"), params)
    count_sql = next(q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT COUNT(*) FROM (SELECT"))
    page_sql = next(q["sql"] for q in captured.captured_queries if "LIMIT 26" in q["sql"])
    return response, count_sql, page_sql


def test_the_dgcp_inbox_lists_a_dictamen_only_while_its_case_waits_checked_without_a_join(client, cases, dgcp):
    """The case's status is a subquery of each dictamen, not a condition of the join (whose estimate, the product
    of both statuses, made PostgreSQL scan every waiting dictamen: see ``selectors.dgcp_inbox``); the rows are the
    same: a dictamen whose case moved on is neither listed nor counted."""
    waiting = cases.dictamen_issued()
    moved_on = clone_cases(waiting, 2)
    Agreement.objects.filter(pk=moved_on[0].pk).update(status="in_review")
    response, count_sql, _page_sql = _dgcp_inbox_statements(client, dgcp)
    listed = {d.agreement_id for d in response.context["page"].items}
    assert listed == {waiting.pk, moved_on[1].pk}
    assert (response.context["count"], response.context["capped"]) == (2, False)
    assert " JOIN " not in count_sql


@pytest.mark.postgres
@pytest.mark.skipif(not settings.USING_POSTGRES, reason="the plan is PostgreSQL's")
def test_the_dgcp_inbox_counts_and_pages_from_the_index_of_waiting_dictamenes(client, cases, dgcp, monkeypatch):
    """Among many cases in other steps, the capped count reads at most the cap's dictámenes and a deep page walks
    ``dictamen_issued_idx`` in order (26 rows, nothing sorted), whatever PostgreSQL estimates for the case's status.
    """
    monkeypatch.setattr(agreements.selectors, "COUNT_CAP", 50)
    monkeypatch.setattr(agreements.views.cases, "PAGE_SIZE", 25)
    clone_cases(cases.dictamen_issued(), 400, spread_days=300)
    clone_cases(cases.in_review(), 8000, spread_days=300)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE agreements_agreement")
        cursor.execute("ANALYZE agreements_dictamen")
    response, count_sql, _page = _dgcp_inbox_statements(client, dgcp)
    assert response.context["capped"]
    nodes = explained_plan_nodes(count_sql)
    assert max(n.get("Actual Rows", 0) for n in nodes) <= 51, nodes[0]
    for _ in range(5):
        response = client.get(reverse("agreements:inbox_dgcp"), {"despues": _cursor(response.content.decode(), "next")})
    _response, _count, page_sql = _dgcp_inbox_statements(
        client, dgcp, despues=_cursor(response.content.decode(), "next")
    )
    nodes = explained_plan_nodes(page_sql)
    assert any(n.get("Index Name") == "dictamen_issued_idx" for n in nodes), nodes[0]
    # Reference tables (the states) may be read whole; the cases and dictámenes never.
    assert max(n.get("Actual Rows", 0) for n in nodes if n["Node Type"] != "Seq Scan") <= 100, nodes[0]
    assert not {n.get("Relation Name") for n in nodes if n["Node Type"] == "Seq Scan"} & {
        "agreements_agreement",
        "agreements_dictamen",
    }, nodes[0]
