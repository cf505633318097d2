"""Names instead of codes: the searchable pickers of the filing form and the filters, and the subdivision API.

The widgets render plain selects (they work without JavaScript) marked for static/js/pickers.js; the stored
values and the URLs keep the codes.
"""

import re

import pytest
from django.urls import reverse

from agreements.filtersets import AgreementFilterSet
from agreements.models import Agreement
from portal.core.widgets import PickerSelect, YesNoAllSelect
from tests.cases import CASE_DATA
from tests.factories import UserFactory, future_date

pytestmark = pytest.mark.django_db


def _select(html: str, name: str) -> str:
    match = re.search(rf'<select name="{name}"[^>]*>.*?</select>', html, re.S)
    assert match, name
    return match.group(0)


# --- the subdivision API ---


def test_subdivisions_of_a_country_by_name_sorted(client):
    response = client.get(reverse("api:subdivision-list"), {"country": "gt"})
    assert response.status_code == 200
    rows = response.json()
    assert {"code": "GT-12", "name": "San Marcos"} in rows
    names = [row["name"] for row in rows]
    assert len(rows) == 22 and "Petén" in names and "Guatemala" in names
    assert names.index("Petén") < names.index("Quetzaltenango")  # accents do not push a name to the end
    assert all(row["code"].startswith("GT-") for row in rows)


def test_subdivision_names_follow_the_language(client):
    spanish = client.get("/api/v1/subdivisions/", {"country": "US"}, HTTP_ACCEPT_LANGUAGE="es").json()
    english = client.get("/api/v1/subdivisions/", {"country": "US"}, HTTP_ACCEPT_LANGUAGE="en").json()
    by_code = {row["code"]: row["name"] for row in spanish}
    assert by_code["US-NY"] == "Nueva York"
    assert {row["code"]: row["name"] for row in english}["US-NY"] == "New York"


@pytest.mark.parametrize(
    "query", [{}, {"country": ""}, {"country": "ZZ"}, {"country": "Guatemala"}, {"country": "GT-SM"}]
)
def test_unknown_country_is_a_400_with_a_clear_message(client, query):
    response = client.get("/api/v1/subdivisions/", query)
    assert response.status_code == 400
    assert "clave ISO 3166-1 de dos letras" in response.content.decode()


def test_the_subdivision_api_is_in_the_schema(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").content.decode()
    assert "/api/v1/subdivisions/" in schema


# --- the filing form ---


def test_filing_form_offers_countries_and_subdivisions_by_name(client, local):
    client.force_login(local)
    html = client.get(reverse("agreements:agreement_create")).content.decode()
    country = _select(html, "counterpart_country")
    assert "data-picker" in country and '<option value="GT">Guatemala</option>' in country
    subdivision = _select(html, "counterpart_subdivision")
    assert 'data-picker-depends-on="id_counterpart_country"' in subdivision
    assert 'data-picker-source="/api/v1/subdivisions/"' in subdivision
    assert "ISO 3166-2" not in html and "US-TX" not in html and "---------" not in html


def test_filing_stores_the_code_of_the_subdivision_chosen_by_name(client, local):
    client.force_login(local)
    data = {
        **CASE_DATA,
        "counterpart_country": "GT",
        "counterpart_subdivision": "GT-12",
        "intended_signing_date": future_date(40).isoformat(),
    }
    response = client.post(reverse("agreements:agreement_create"), data)
    assert response.status_code == 302
    case = Agreement.objects.get()
    assert (case.counterpart_country, case.counterpart_subdivision) == ("GT", "GT-12")
    # Editing shows the saved subdivision selected by name, among its country's.
    html = client.get(reverse("agreements:agreement_edit", args=[case.pk])).content.decode()
    assert '<option value="GT-12" selected>San Marcos</option>' in _select(html, "counterpart_subdivision")


def test_a_subdivision_of_another_country_is_refused_by_name(client, local):
    client.force_login(local)
    data = {**CASE_DATA, "counterpart_country": "GT", "counterpart_subdivision": "US-TX"}
    data["intended_signing_date"] = future_date(40).isoformat()
    response = client.post(reverse("agreements:agreement_create"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Elija un estado o provincia del país indicado, de la lista." in html
    # The list offered again is Guatemala's, by name.
    assert ">San Marcos</option>" in _select(html, "counterpart_subdivision")
    assert not Agreement.objects.exists()


# --- the case filters ---


def test_case_filters_have_choices_and_proper_empty_labels(client, dgcp):
    client.force_login(dgcp)
    html = client.get(reverse("agreements:agreement_list")).content.decode()
    assert "---------" not in html and "Desconocido" not in html
    status = _select(html, "status")
    assert "multiple" in status and "data-picker" in status
    step = _select(html, "current_step")
    assert '<option value="" selected>Todos</option>' in step
    assert len(re.findall(r'<option value="\d+"', step)) == 12 and ">7. Dictamen de procedencia</option>" in step
    late = _select(html, "is_late")
    assert re.findall(r"<option[^>]*>([^<]+)</option>", late) == ["Todos", "Sí", "No"]


def test_a_step_that_does_not_exist_is_said_not_ignored(client, dgcp):
    client.force_login(dgcp)
    response = client.get(reverse("agreements:agreement_list"), {"current_step": "abc"})
    assert response.status_code == 200
    assert 'id="filter-errors"' in response.content.decode()
    api = client.get("/api/v1/agreements/", {"current_step": "abc"})
    assert api.status_code == 400


def test_late_filter_yes_no_all(cases, dgcp):
    late = cases.in_review()
    Agreement.objects.filter(pk=late.pk).update(is_late=True)
    on_time = cases.in_review()
    queryset = Agreement.objects.all()
    assert set(AgreementFilterSet({"is_late": "true"}, queryset=queryset).qs) == {late}
    assert set(AgreementFilterSet({"is_late": "false"}, queryset=queryset).qs) == {on_time}
    assert set(AgreementFilterSet({"is_late": ""}, queryset=queryset).qs) == {late, on_time}
    assert set(AgreementFilterSet({"current_step": "5"}, queryset=queryset).qs) == set(queryset.filter(current_step=5))


# --- the registry filters ---


def test_registry_filters_choose_country_and_subdivision_by_name(client):
    html = client.get(reverse("agreements:registry_list"), {"country": "us", "subdivision": "us-tx"}).content.decode()
    country = _select(html, "country")
    assert '<option value="US" selected>Estados Unidos</option>' in country
    subdivision = _select(html, "subdivision")
    assert '<option value="US-TX" selected>Texas</option>' in subdivision
    assert 'data-picker-depends-on="id_country"' in subdivision
    assert "País (ISO" not in html and "Subdivisión (ISO" not in html


def test_registry_municipality_filter_accepts_the_name_people_use(client):
    from agreements.registry import services
    from tests.registry.test_registry import ROWS, csv_bytes

    juarez = (
        "R-100,Hermanamiento Ciudad Juárez–El Paso,twinning,municipal,08,08037,H. Ayuntamiento de Juárez,"
        "Ciudad de El Paso,government,US,US-TX,culture,2010-05-01,Ciudad Juárez,2010-06-01,"
    )
    assert services.registry_import(content=csv_bytes([*ROWS, juarez])).ok
    numbers = lambda params: [  # noqa: E731
        r["registry_number"] for r in client.get("/api/v1/registry/", params).json()["results"]
    ]
    assert numbers({"municipality": "Ciudad Juárez"}) == ["R-100"] == numbers({"municipality": "08037"})
    assert numbers({"municipality": "tapachula de cordova"}) == ["R-004"]
    assert numbers({"municipality": "Atlantis"}) == []


# --- the access request ---


def test_access_request_institution_is_a_picker_with_a_name_for_empty(client):
    client.force_login(UserFactory())
    html = client.get(reverse("institutions:access_request")).content.decode()
    institution = _select(html, "institution")
    assert "data-picker" in institution and ">Elija su dependencia</option>" in institution
    assert "---------" not in html


def test_widgets_render_plain_selects_that_work_without_javascript():
    html = PickerSelect(choices=[("", "Seleccione…"), ("GT", "Guatemala")]).render("country", "GT")
    assert html.startswith("<select") and '<option value="GT" selected>Guatemala</option>' in html
    assert 'data-picker="1"' in html and 'data-picker-empty="Sin resultados"' in html
    assert "<script" not in html
    late = YesNoAllSelect().render("is_late", None)
    assert re.findall(r"<option[^>]*>([^<]+)</option>", late) == ["Todos", "Sí", "No"]
