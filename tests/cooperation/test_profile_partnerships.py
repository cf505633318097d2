"""The state page lists a government's partnerships without their themes and populations (two queries it does
not show); the state API, which shows them, reads them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import InstitutionFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


def test_the_state_page_lists_partnerships_without_reading_their_themes(client):
    PartnershipFactory.create_batch(3, institution=InstitutionFactory(state_id="14"), themes=["Salud mental"])
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("geography:state_detail", args=["14"])).content.decode()
    assert html.count("Memorándum de cooperación") == 3
    assert not [q for q in queries.captured_queries if "cooperation_partnership_themes" in q["sql"]]

    detail = client.get("/api/v1/states/14/").json()
    assert [p["themes"] for p in detail["partnerships"]] == ["Salud mental"] * 3
