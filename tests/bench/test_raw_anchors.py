"""The raw anchors return the rows of the page they anchor: a ratio to an anchor that reads other rows means nothing."""

import json

import pytest
from django.conf import settings
from django.test import RequestFactory

from bench import views
from tests.registry.test_registry import corpus  # noqa: F401  (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.mark.skipif(not settings.USING_POSTGRES, reason="the anchors are PostgreSQL's SQL")
@pytest.mark.parametrize("query", ["cooperacion", "coope", "cooperación técn", "acuerdos", "salud -jalisco", "xilofon"])
def test_the_raw_search_anchor_returns_the_registry_apis_rows(client, corpus, query):  # noqa: F811
    raw = json.loads(views.raw_registry(RequestFactory().get("/bench/raw/registry/", {"q": query})).content)
    api = client.get("/api/v1/registry/", {"q": query}).json()
    seen = lambda rows: [(r["registry_number"], r["status"], len(r["amendments"])) for r in rows]  # noqa: E731
    assert seen(raw["results"]) == seen(api["results"])
    assert raw["results"] or query in ("salud -jalisco", "xilofon")


@pytest.mark.skipif(not settings.USING_POSTGRES, reason="the anchors are PostgreSQL's SQL")
def test_the_raw_list_anchor_returns_the_apis_entries_with_their_status_and_amendments(client, corpus):  # noqa: F811
    from agreements.registry.models import RegistryEntry
    from tests.factories import RegistryAmendmentFactory

    entry = RegistryEntry.objects.order_by("-signed_on", "-id").first()
    RegistryAmendmentFactory(entry=entry, registry_number=f"{entry.registry_number}-P1")
    raw = json.loads(views.raw_registry(RequestFactory().get("/bench/raw/registry/")).content)["results"]
    api = client.get("/api/v1/registry/").json()["results"]
    assert [(r["registry_number"], r["status"], len(r["amendments"])) for r in raw] == [
        (r["registry_number"], r["status"], len(r["amendments"])) for r in api
    ]
    assert raw[0]["amendments"][0]["registry_number"] == f"{entry.registry_number}-P1"
