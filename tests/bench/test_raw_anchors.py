"""The raw anchors return the rows of the page they anchor: a ratio to an anchor that reads other rows means nothing."""

import pytest
from django.conf import settings
from django.test import RequestFactory

from bench import views
from tests.registry.test_registry import corpus  # noqa: F401  (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.mark.skipif(not settings.USING_POSTGRES, reason="the anchors are PostgreSQL's SQL")
@pytest.mark.parametrize("query", ["cooperacion", "coope", "cooperación técn", "acuerdos", "salud -jalisco", "xilofon"])
def test_the_raw_search_anchor_returns_the_registry_apis_rows(client, corpus, query):  # noqa: F811
    import json

    raw = json.loads(views.raw_registry(RequestFactory().get("/bench/raw/registry/", {"q": query})).content)
    api = client.get("/api/v1/registry/", {"q": query}).json()
    assert [row["registry_number"] for row in raw["results"]] == [row["registry_number"] for row in api["results"]]
    assert raw["results"] or query in ("salud -jalisco", "xilofon")
