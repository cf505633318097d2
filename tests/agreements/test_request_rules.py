"""The request's rules live in the model (field validators and ``Agreement.clean()``): the service, the web form
and the API refuse the same data with the same words, and the registry import shares the country rule."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from agreements import services
from agreements.models import Agreement
from agreements.registry import services as registry_services
from agreements.validators import validate_country_code
from portal.core.exceptions import ValidationFailed
from tests.cases import CASE_DATA
from tests.factories import future_date

pytestmark = pytest.mark.django_db

DOMESTIC = "La contraparte de un AII debe ser extranjera."
NO_TITLE = "Escriba el título del instrumento."
REQUEST = {k: v for k, v in CASE_DATA.items() if k != "themes"}  # the themes are a relation, checked apart


def test_the_model_holds_the_rules_across_fields(local):
    agreement = Agreement(
        institution_id=local.institution_id,
        created_by=local,
        **{**REQUEST, "counterpart_country": "", "counterpart_subdivision": "US-TX"},
        intended_signing_date=dt.date(2020, 1, 1),
    )
    with pytest.raises(ValidationError) as refused:
        agreement.full_clean(exclude=["folio", "search_text"])
    errors = refused.value.message_dict
    assert errors["counterpart_country"] == ["Indique el país del gobierno extranjero."]
    assert "ISO 3166-2" in errors["counterpart_subdivision"][0]
    assert errors["intended_signing_date"] == ["La fecha prevista de firma no puede estar en el pasado."]


def test_an_indefinite_term_is_made_consistent_by_the_model(local):
    agreement = Agreement(
        institution_id=local.institution_id,
        created_by=local,
        **{**REQUEST, "term": "indefinite", "term_years": 3},
        intended_signing_date=future_date(),
    )
    agreement.full_clean(exclude=["folio", "search_text"])
    assert (agreement.term_years, agreement.term_months) == (None, None)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [({"title": ""}, "title", NO_TITLE), ({"counterpart_country": "MX"}, "counterpart_country", DOMESTIC)],
)
def test_the_service_the_page_and_the_api_word_a_mistake_alike(client, local, overrides, field, message):
    data = {**CASE_DATA, "intended_signing_date": future_date(40), **overrides}
    with pytest.raises(ValidationFailed) as refused:
        services.agreement_create(user=local, data=data)
    assert refused.value.field_errors[field] == [message]

    api = APIClient()
    api.force_authenticate(local)
    response = api.post(
        "/api/v1/agreements/",
        {**data, "intended_signing_date": data["intended_signing_date"].isoformat()},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][field] == [message]

    client.force_login(local)
    response = client.post(
        reverse("agreements:agreement_create"),
        {**data, "intended_signing_date": data["intended_signing_date"].isoformat()},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Agreement.objects.exists()


def test_the_registry_import_refuses_a_country_code_with_the_cases_words():
    row = (
        "R-9,Acuerdo,twinning,state,14,,Gobierno de Jalisco,Ciudad,government,ZZ,,culture,2020-01-01,"
        "Guadalajara,2020-02-01,"
    )
    header = ",".join(registry_services.IMPORT_COLUMNS)
    report = registry_services.registry_import(content=f"{header}\n{row}\n".encode())
    with pytest.raises(ValidationError) as refused:
        validate_country_code("ZZ")
    assert [e.message for e in report.errors if e.column == "counterpart_country"] == refused.value.messages
