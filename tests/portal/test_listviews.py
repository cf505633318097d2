"""The declarative list view (portal.core.listviews): a page 1,000 rows deep costs what the first page costs, the
«anterior / siguiente» links keep the filters and drop the cursor, and keyset pages over several order fields give
every row once in both directions."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from agreements.registry.filtersets import RegistryFilterSet
from agreements.registry.models import RegistryEntry
from agreements.registry.selectors import registered_agreements
from portal.core.keyset import _encode, keyset_page
from portal.core.listviews import FilteredListView, Keyset
from tests.factories import RegistryEntryFactory

pytestmark = pytest.mark.django_db


class EntryList(FilteredListView):
    """The smallest list: its template is the pagination partial (the count and the two links)."""

    template_name = "includes/_keyset_pagination.html"
    filterset_class = RegistryFilterSet
    keyset = Keyset(("signed_on", "id"), (dt.date, int), descending=True)

    def get_queryset(self):
        return registered_agreements()


def entries(count: int, *, days: int = 97):
    start = dt.date(2000, 1, 1)
    RegistryEntry.objects.bulk_create(
        RegistryEntryFactory.build(
            registry_number=f"L-{i:05d}",
            title=f"Acuerdo {i}",
            kind="technical_cooperation" if i % 3 else "twinning",
            state_id="14",  # the filters below ask for it
            signed_on=start + dt.timedelta(days=i % days),
            registered_on=start,
            expires_on=None,
            search_text=f"acuerdo {i}",
        )
        for i in range(count)
    )


def get(params: dict):
    response = EntryList.as_view()(RequestFactory().get("/lista/", params))
    response.render()
    return response


def link(response, rel: str) -> str | None:
    found = re.search(rf'rel="{rel}" href="\?([^"]*)"', response.content.decode())
    return found.group(1).replace("&amp;", "&") if found else None


def test_a_page_1000_rows_deep_costs_the_queries_of_the_first_and_keeps_the_filters():
    entries(1_600)  # 1,066 of them technical cooperation
    filters = {"state": "14", "kind": "technical_cooperation"}
    expected = list(
        RegistryEntry.objects.filter(**filters).order_by("-signed_on", "-id").values_list("signed_on", "id")
    )
    deep = expected[999]  # the cursor of the 1,000th row: the page shows the 1,001st onwards

    with CaptureQueriesContext(connection) as first:
        page_one = get(filters)
    with CaptureQueriesContext(connection) as deep_queries:
        page_deep = get({**filters, "despues": _encode(deep)})

    assert len(deep_queries) == len(first)
    assert " OFFSET " not in " ".join(q["sql"] for q in deep_queries.captured_queries).upper()
    assert [row.pk for row in page_deep.context_data["page"].items] == [pk for _, pk in expected[1000:1025]]
    assert page_one.context_data["count"] == 1_000 and page_one.context_data["capped"]  # «más de 1,000»
    # The links carry the filters, and one cursor only: this page's, never the one it was reached with.
    for rel in ("next", "prev"):
        query = link(page_deep, rel)
        assert "state=14" in query and "kind=technical_cooperation" in query
        assert query.count("despues=") + query.count("antes=") == 1
    assert link(page_one, "prev") is None and "state=14" in link(page_one, "next")


def test_the_query_drops_the_cursor_the_page_number_and_refused_values():
    entries(3)
    response = get({"q": "acuerdo", "year_min": "dos mil", "despues": "x", "antes": "y", "page": "3"})
    assert response.status_code == 200  # a malformed cursor is the first page; a refused value is ignored
    assert response.context_data["query"] == "q=acuerdo"
    assert response.context_data["filterset"].errors


def test_the_form_shows_the_declared_filters_in_their_order():
    class Declared(EntryList):
        form_fields = ("kind", "q")

    response = Declared.as_view()(RequestFactory().get("/lista/", {"q": "agua"}))
    fields = response.context_data["filter_fields"]()
    assert [f.name for f in fields] == ["kind", "q"] and fields[1].value() == "agua"


@pytest.mark.parametrize("size", [1, 4, 7, 30])
def test_pages_over_three_order_fields_show_every_row_once_both_ways(size):
    entries(29, days=4)  # many rows share a kind and a date: page boundaries fall inside ties of both
    queryset = RegistryEntry.objects.all()
    order = {"fields": ("kind", "signed_on", "id"), "kinds": (str, dt.date, int), "descending": False}
    expected = list(queryset.order_by("kind", "signed_on", "id").values_list("id", flat=True))
    pages, cursor = [], None
    while True:
        page = keyset_page(queryset, size=size, after=cursor, **order)
        pages.append([e.pk for e in page.items])
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert [pk for p in pages for pk in p] == expected
    back, before = [], page.previous_cursor
    while before:
        page = keyset_page(queryset, size=size, before=before, **order)
        back.append([e.pk for e in page.items])
        before = page.previous_cursor
    assert back[::-1] == pages[:-1]


def test_a_cursor_may_follow_a_related_field():
    entries(6, days=2)
    queryset = RegistryEntry.objects.select_related("state")
    order = {"fields": ("state__code", "registry_number"), "kinds": (str, str), "descending": False}
    first = keyset_page(queryset, size=4, **order)
    second = keyset_page(queryset, size=4, after=first.next_cursor, **order)
    assert [e.registry_number for e in first.items + second.items] == [f"L-{i:05d}" for i in range(6)]


def test_the_municipality_list_2000_rows_deep_costs_what_its_first_page_costs(client):
    from portal.geography.models import Municipality

    rows = list(Municipality.objects.order_by("state_id", "name", "inegi_code").values_list("state_id", "name", "pk"))
    assert len(rows) > 2_050  # the reference data: every municipality
    client.get("/municipios/")  # per-process work (the session, the translations) is not counted
    with CaptureQueriesContext(connection) as first:
        client.get("/municipios/")
    with CaptureQueriesContext(connection) as deep:
        response = client.get("/municipios/", {"despues": _encode(rows[1999])})
    assert len(deep) == len(first)
    assert [m.pk for m in response.context["page"]] == [pk for *_, pk in rows[2000:2050]]
