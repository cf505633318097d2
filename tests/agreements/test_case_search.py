"""Case search: accent- and case-insensitive, and by a fragment of the folio, in the HTML list and the API
(one FilterSet), on SQLite and PostgreSQL alike."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from agreements import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def tecun(cases):
    return cases.draft(title="Hermanamiento Tapachula–Tecún Umán", counterpart_name="Municipalidad de Tecún Umán")


@pytest.fixture
def other(cases):
    return cases.draft(title="Cooperación técnica con Quetzaltenango", counterpart_name="Municipalidad de Xela")


@pytest.mark.parametrize("query", ["tecun", "TECUN", "Tecún Umán", "umán tapachula", "municipalidad tecun"])
def test_words_match_without_accents_or_case_in_any_order(client, local, tecun, other, query):
    client.force_login(local)
    page = client.get(reverse("agreements:agreement_list"), {"q": query}).content.decode()
    assert tecun.folio in page and other.folio not in page


def test_a_folio_fragment_finds_the_case(client, local, tecun, other):
    fragment = tecun.folio.rsplit("-", 1)[1]  # «000006» of AII-2026-000006
    api = APIClient()
    api.force_authenticate(local)
    for query in (fragment, tecun.folio.lower(), f"{tecun.folio[:8]}"):
        found = [row["folio"] for row in api.get("/api/v1/agreements/", {"q": query}).json()["results"]]
        assert tecun.folio in found, query
    assert [row["folio"] for row in api.get("/api/v1/agreements/", {"q": fragment}).json()["results"]] == [tecun.folio]
    client.force_login(local)
    page = client.get(reverse("agreements:agreement_list"), {"q": fragment}).content.decode()
    assert tecun.folio in page and other.folio not in page


def test_an_edited_title_is_searched_by_its_new_words(local, tecun):
    from agreements.models import Agreement
    from agreements.selectors import case_search

    services.agreement_update(user=local, agreement_id=tecun.pk, data={"title": "Convenio con Ayutla"})
    assert list(case_search(Agreement.objects.all(), "ayutla")) == [tecun]
    assert not case_search(Agreement.objects.all(), "hermanamiento").exists()
