"""Keyset pages: every row once in both directions, ties on the first field included, at a cost that does not
grow with depth (the index seeks to the cursor instead of reading the rows before it)."""

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.registry.models import RegistryEntry
from agreements.registry.selectors import registered_agreements, registry_search, search_by_month
from portal.core.keyset import _encode, keyset_page
from tests.factories import RegistryEntryFactory
from tests.support import explained_plan_nodes

pytestmark = pytest.mark.django_db

FIELDS = {"fields": ("signed_on", "id"), "kinds": (dt.date, int)}


def entries(count: int, *, days: int):
    """``count`` entries signed over ``days`` distinct days: many share a date."""
    start = dt.date(2020, 1, 1)
    RegistryEntry.objects.bulk_create(
        RegistryEntryFactory.build(
            registry_number=f"K-{i:05d}",
            title=f"Acuerdo {i}",
            kind="technical_cooperation",
            signed_on=start + dt.timedelta(days=i % days),
            registered_on=start,
            expires_on=None,
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
    nodes = explained_plan_nodes(captured.captured_queries[0]["sql"])
    scans = [n for n in nodes if "Index" in n["Node Type"]]
    assert scans and "signed_on" in scans[0].get("Index Cond", ""), nodes[0]
    assert sum(n.get("Rows Removed by Filter", 0) for n in nodes) < 100, nodes[0]


@pytest.mark.postgres
@pytest.mark.skipif(not settings.USING_POSTGRES, reason="sorting on field + 0 is PostgreSQL's")
@pytest.mark.parametrize("mode", ["sort_matches", "window"])
def test_bounded_pages_give_the_same_rows_in_both_directions(mode):
    entries(60, days=7)
    every_third = list(RegistryEntry.objects.order_by("id").values_list("id", flat=True))[::3]
    matches = registered_agreements().filter(id__in=every_third).values("id", "signed_on")
    expected = list(matches.order_by("-signed_on", "-id").values_list("id", flat=True))
    options = (
        {"sort_matches": True} if mode == "sort_matches" else {"window_of": RegistryEntry.objects.all(), "window": 9}
    )
    seen, cursor, pages = [], None, []
    while True:
        page = keyset_page(matches, size=4, after=cursor, **FIELDS, **options)
        pages.append(page)
        seen += [row["id"] for row in page.items]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert seen == expected
    back = keyset_page(matches, size=4, before=pages[2].previous_cursor, **FIELDS, **options)
    assert [r["id"] for r in back.items] == [r["id"] for r in pages[1].items]


@pytest.mark.postgres
@pytest.mark.skipif(not settings.USING_POSTGRES, reason="the plan is PostgreSQL's")
@pytest.mark.parametrize("old_matches", [30, 150])
def test_a_search_whose_matches_are_all_old_never_walks_the_whole_registry(client, old_matches):
    """«Distrito Federal»: few entries, all signed long ago. Walking the date index from the newest entry tested
    every row (231 ms at 100,000 entries); the page now sorts the matches or walks only a bounded window."""
    entries(12_000, days=2_000)
    oldest = list(RegistryEntry.objects.order_by("signed_on", "id").values_list("id", flat=True)[:old_matches])
    RegistryEntry.objects.filter(id__in=oldest).update(
        signing_office="Gobierno del Distrito Federal", search_text="gobierno del distrito federal"
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE agreements_registryentry")
        # At 12,000 rows a sequential scan is cheapest; at 100,000 and more the planner walks the date index
        # instead. Plans are read as they are chosen on a large registry.
        cursor.execute("SET enable_seqscan = off")
    expected = list(
        RegistryEntry.objects.filter(id__in=oldest)
        .order_by("-signed_on", "-id")
        .values_list("registry_number", flat=True)
    )

    with CaptureQueriesContext(connection) as captured:
        response = client.get("/registro/", {"q": "Distrito Federal"})
    assert response.status_code == 200
    shown = [row["number"] for row in response.context["rows"]]
    assert shown == expected[: len(shown)] and len(shown) == min(old_matches, 25)

    removed = 0
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            if "agreements_registryentry" in query["sql"] and query["sql"].startswith("SELECT"):
                walks = [n for n in explained_plan_nodes(query["sql"]) if n.get("Index Name") == "registry_signed_idx"]
                removed += sum(n.get("Rows Removed by Filter", 0) for n in walks)
    with connection.cursor() as cursor:
        cursor.execute("RESET enable_seqscan")
    # Rows of the date index read and discarded: the unbounded walk discarded 11,850; the window at most 5,000.
    assert removed <= 5_000, removed


@pytest.mark.postgres
@pytest.mark.skipif(not settings.USING_POSTGRES, reason="the plan is PostgreSQL's")
def test_the_registry_api_pages_an_old_search_in_order_without_walking_the_whole_index(client):
    """The API's cursor pages through the window and the sorted matches give every match once, in order, both ways.

    (At 12,000 rows the planner avoids the long walk by itself; at 100,000 the unbounded first page took 470 ms,
    70 ms now — measured on the benchmark data, not here.)"""
    entries(12_000, days=2_000)
    oldest = list(RegistryEntry.objects.order_by("signed_on", "id").values_list("id", flat=True)[:150])
    RegistryEntry.objects.filter(id__in=oldest).update(
        signing_office="Gobierno del Distrito Federal", search_text="gobierno del distrito federal"
    )
    expected = list(
        RegistryEntry.objects.filter(id__in=oldest)
        .order_by("-signed_on", "-id")
        .values_list("registry_number", flat=True)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE agreements_registryentry")
        cursor.execute("SET enable_seqscan = off")
    seen, url, pages = [], "/api/v1/registry/?q=Distrito+Federal&page_size=25", []
    with CaptureQueriesContext(connection) as captured:
        while url:
            body = client.get(url).json()
            pages.append(body)
            seen += [row["registry_number"] for row in body["results"]]
            url = body["next"]
    assert seen == expected
    back = client.get(pages[2]["previous"]).json()
    assert [row["registry_number"] for row in back["results"]] == [r["registry_number"] for r in pages[1]["results"]]

    removed = 0
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            if "agreements_registryentry" in query["sql"] and query["sql"].startswith("SELECT"):
                walks = [n for n in explained_plan_nodes(query["sql"]) if n.get("Index Name") == "registry_signed_idx"]
                removed = max(removed, sum(n.get("Rows Removed by Filter", 0) for n in walks))
        cursor.execute("RESET enable_seqscan")
    assert removed <= 5_000, removed


@pytest.mark.postgres
@pytest.mark.skipif(not settings.USING_POSTGRES, reason="the window and the month probes are PostgreSQL's")
def test_the_registry_api_pages_a_search_with_few_matches_among_their_keys(client):
    """A typo, a word no entry holds, a rare word: the API read the newest 5,000 entries' window, counted, then
    sorted (four statements, 25 ms at 1,000,000 entries for no match, where the HTML list took 4 ms). It now reads
    the keys of at most 101 matches first and, when they are all, the page among them, as the HTML list does."""
    entries(6_000, days=2_000)
    rare = list(RegistryEntry.objects.order_by("id").values_list("id", flat=True)[10:13])
    RegistryEntry.objects.filter(id__in=rare).update(search_text="planta geotermica")
    expected = list(
        RegistryEntry.objects.filter(id__in=rare)
        .order_by("-signed_on", "-id")
        .values_list("registry_number", flat=True)
    )

    def get(url, params=None):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, params)
        assert response.status_code == 200
        statements = [q["sql"] for q in captured.captured_queries if "agreements_registryentry" in q["sql"]]
        return response.json(), statements

    body, statements = get("/api/v1/registry/", {"q": "xilofonista"})
    assert body["results"] == [] and body["next"] is None
    assert len(statements) == 1 and "OFFSET" not in statements[0]  # the keys, no window, no sort

    body, statements = get("/api/v1/registry/", {"q": "geotermica", "page_size": 2})
    assert [row["registry_number"] for row in body["results"]] == expected[:2]
    assert len(statements) == 2 and not any("OFFSET" in sql for sql in statements)
    body, _ = get(body["next"])
    assert [row["registry_number"] for row in body["results"]] == expected[2:]
    assert body["next"] is None
    back, _ = get(body["previous"])
    assert [row["registry_number"] for row in back["results"]] == expected[:2]


def test_a_capped_count_reads_only_the_keys_of_the_rows():
    from django.db.models import Count, OuterRef, Subquery

    from agreements.registry.models import RegistryAmendment
    from portal.core.keyset import capped_count

    RegistryEntryFactory.create_batch(3)
    amendments = (
        RegistryAmendment.objects.filter(entry=OuterRef("pk")).order_by().values("entry").annotate(n=Count("id"))
    )
    shown = registered_agreements().annotate(amendment_count=Subquery(amendments.values("n")))
    with CaptureQueriesContext(connection) as queries:
        assert capped_count(shown, cap=2) == (2, True)
        assert capped_count(shown.filter(amendment_count__isnull=True), cap=10) == (3, False)
    first, second = (query["sql"] for query in queries.captured_queries)
    assert "registryamendment" not in first  # the page's column is not computed for the counted rows
    assert "registryamendment" in second  # a filter on it still is


def _table_rows_read(sql: str) -> tuple[int, set[str]]:
    """Rows of the registry read from the table by ``sql`` (returned, filtered out or rechecked, every loop) and
    the indexes its plan used."""
    read, indexes = 0, set()
    for node in explained_plan_nodes(sql):
        if node.get("Index Name"):
            indexes.add(node["Index Name"])
        if node.get("Relation Name") == "agreements_registryentry":
            kept = node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)
            read += (kept + node.get("Rows Removed by Index Recheck", 0)) * node.get("Actual Loops", 1)
    return read, indexes


@pytest.mark.postgres
@pytest.mark.skipif(not settings.USING_POSTGRES, reason="the plan is PostgreSQL's")
def test_an_old_search_reads_from_the_table_only_the_months_its_page_shows(client):
    """«Distrito Federal» at 1,000,000 entries: 24,483 matches, all signed before 2016, one table block each.
    Sorting every match read all of them (186 ms of 240); sought one month of signature at a time, newest first,
    the page reads the matches of the months it shows. Here 100,000 entries signed 1990-2025 (written by one INSERT:
    the planner chooses as on a large registry) and about 700 matches, 140 in each year from 2008 to 2012."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO agreements_registryentry (registry_number, title, kind, level, signing_office,
                counterpart_name, counterpart_type, counterpart_country, counterpart_subdivision, region, signed_on,
                signed_place, registered_on, source, is_demo, created_at, updated_at, state_id, search_text,
                theme_keys, automatic_renewal)
            SELECT 'K-' || i, 'Acuerdo ' || i, 'technical_cooperation', 'state', office, 'Ciudad ' || (i % 300),
                'government', 'US', '', 'north_america', signed, '', signed, 'import', false, now(), now(), '14',
                lower('Acuerdo ' || i || ' ciudad ' || (i % 300) || ' ' || office), '[]', false
            FROM generate_series(1, 100000) AS i,
                LATERAL (SELECT date '1990-01-01' + (i * 7919) % 13000 AS signed) AS d,
                LATERAL (SELECT CASE WHEN i % 20 = 0 AND extract(year FROM signed) BETWEEN 2008 AND 2012
                    THEN 'Gobierno del Distrito Federal' ELSE 'Gobierno de Jalisco' END AS office) AS o
            """
        )
        cursor.execute("ANALYZE agreements_registryentry")
    marked = RegistryEntry.objects.filter(signing_office__contains="Distrito Federal")
    assert 600 < marked.count() < 800
    expected = list(marked.order_by("-signed_on", "-id").values_list("registry_number", flat=True))

    for url in ("/registro/", "/api/v1/registry/"):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, {"q": "Distrito Federal"})
        assert response.status_code == 200
        if url == "/registro/":
            shown = [row["number"] for row in response.context["rows"]]
        else:
            shown = [row["registry_number"] for row in response.json()["results"]]
        assert shown == expected[:25], url

        statements = [q["sql"] for q in captured.captured_queries if "generate_series" in q["sql"]]
        assert len(statements) == 1, url
        read, indexes = _table_rows_read(statements[0])
        assert "registry_search_month_keys_idx" in indexes, (url, indexes)
        # The matches of the last months of 2012 (about 12 a month), each read twice (the month's candidates, then
        # their rows), and the page's own rows; sorting every match read all 700, and seeking them a year at a
        # time the 140 of 2012 twice.
        assert read <= 150, (url, read)


@pytest.mark.postgres
@pytest.mark.skipif(not settings.USING_POSTGRES, reason="the month keys of the search are PostgreSQL's")
def test_pages_sought_month_by_month_give_every_match_once_in_both_directions(client):
    """Across months and years, ties on a date and the page boundaries: the HTML pages and the API's cursor give the matches
    in order, each once, and «anterior» gives the previous page back."""
    start = dt.date(2015, 12, 30)
    RegistryEntry.objects.bulk_create(
        RegistryEntryFactory.build(
            registry_number=f"Y-{i:05d}",
            title=f"Acuerdo {i}",
            kind="technical_cooperation",
            signed_on=start + dt.timedelta(days=(i * 37) % 2_900),
            registered_on=start,
            expires_on=None,
            search_text=f"acuerdo {i}" + (" geotermica" if i % 5 == 0 else ""),
        )
        for i in range(400)
    )
    matches = RegistryEntry.objects.filter(search_text__contains="geotermica")
    expected = list(matches.order_by("-signed_on", "-id").values_list("registry_number", flat=True))
    queryset = registry_search(registered_agreements(), "geotermica").values("id", "signed_on")
    by_month = search_by_month("geotermica")
    seen, pages, cursor = [], [], None
    while True:
        page = keyset_page(
            queryset, size=7, after=cursor, window_of=RegistryEntry.objects.all(), window=3, by_month=by_month, **FIELDS
        )
        pages.append(page)
        seen += [row["id"] for row in page.items]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert [RegistryEntry.objects.get(id=pk).registry_number for pk in seen] == expected
    back = keyset_page(
        queryset,
        size=7,
        before=pages[3].previous_cursor,
        window_of=RegistryEntry.objects.all(),
        window=3,
        by_month=by_month,
        **FIELDS,
    )
    assert [r["id"] for r in back.items] == [r["id"] for r in pages[2].items]

    seen, url, api_pages = [], "/api/v1/registry/?q=geotermica&page_size=7", []
    while url:
        body = client.get(url).json()
        api_pages.append(body)
        seen += [row["registry_number"] for row in body["results"]]
        url = body["next"]
    assert seen == expected
    back = client.get(api_pages[3]["previous"]).json()
    assert [r["registry_number"] for r in back["results"]] == [r["registry_number"] for r in api_pages[2]["results"]]
