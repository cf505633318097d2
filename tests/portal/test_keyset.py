"""Keyset pages: every row once in both directions, ties on the first field included, at a cost that does not
grow with depth (the index seeks to the cursor instead of reading the rows before it)."""

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import RegistryEntry
from agreements.selectors import registered_agreements
from portal.core.keyset import _encode, keyset_page

pytestmark = pytest.mark.django_db

FIELDS = {"fields": ("signed_on", "id"), "kinds": (dt.date, int)}


def entries(count: int, *, days: int):
    """``count`` entries signed over ``days`` distinct days: many share a date."""
    start = dt.date(2020, 1, 1)
    RegistryEntry.objects.bulk_create(
        RegistryEntry(
            registry_number=f"K-{i:05d}",
            title=f"Acuerdo {i}",
            kind="technical_cooperation",
            level="state",
            state_id="14",
            signing_office="Gobierno del Estado de Jalisco",
            counterpart_name="Contraparte",
            counterpart_type="government",
            counterpart_country="US",
            region="north_america",
            source="import",
            signed_on=start + dt.timedelta(days=i % days),
            registered_on=start,
            search_text=f"acuerdo {i}",
        )
        for i in range(count)
    )


def walk(size: int) -> list[int]:
    seen, cursor = [], None
    while True:
        page = keyset_page(registered_agreements().values("id", "signed_on"), size=size, after=cursor, **FIELDS)
        seen += [row["id"] for row in page.items]
        if not page.next_cursor:
            return seen
        cursor = page.next_cursor


def test_ties_on_the_date_are_neither_skipped_nor_repeated():
    entries(23, days=3)  # 7 or 8 entries per date: every page boundary falls inside a tie
    expected = list(RegistryEntry.objects.order_by("-signed_on", "-id").values_list("id", flat=True))
    for size in (1, 2, 5, 7, 8, 23, 30):
        assert walk(size) == expected, size


def test_going_back_returns_the_previous_page_across_a_tie():
    entries(12, days=2)
    queryset = registered_agreements().values("id", "signed_on")
    first = keyset_page(queryset, size=5, **FIELDS)
    second = keyset_page(queryset, size=5, after=first.next_cursor, **FIELDS)
    back = keyset_page(queryset, size=5, before=second.previous_cursor, **FIELDS)
    assert [r["id"] for r in back.items] == [r["id"] for r in first.items]
    assert back.previous_cursor is None


@pytest.mark.postgres
@pytest.mark.skipif(not settings.USING_POSTGRES, reason="the plan is PostgreSQL's")
def test_a_deep_page_seeks_in_the_index_instead_of_reading_the_rows_before_it():
    entries(4000, days=400)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE agreements_registryentry")
    deep = RegistryEntry.objects.order_by("-signed_on", "-id").values_list("signed_on", "id")[3000]

    page_query = registered_agreements().values("id", "signed_on")
    page = keyset_page(page_query, size=25, after=_encode(deep), **FIELDS)
    assert len(page.items) == 25 and (page.items[0]["signed_on"], page.items[0]["id"]) < deep

    with CaptureQueriesContext(connection) as captured:
        keyset_page(page_query, size=25, after=_encode(deep), **FIELDS)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + captured.captured_queries[0]["sql"])
        plan = cursor.fetchone()[0][0]["Plan"]

    def nodes(node):
        yield node
        for child in node.get("Plans", []):
            yield from nodes(child)

    scans = [n for n in nodes(plan) if "Index" in n["Node Type"]]
    assert scans and "signed_on" in scans[0].get("Index Cond", ""), plan
    assert sum(n.get("Rows Removed by Filter", 0) for n in nodes(plan)) < 100, plan
