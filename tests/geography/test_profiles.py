"""State and municipal profiles, the 32-state comparison and the public APIs behind them."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from agreements.registry import services as agreement_services
from cooperation.models import FocalPoint
from tests.factories import local_official
from tests.registry.test_registry import ROWS, csv_bytes
from tests.support import assert_queries_constant

pytestmark = pytest.mark.django_db


def _ok(response):
    assert response.status_code == 200
    return response


def test_rich_state_profile(client):
    assert agreement_services.registry_import(content=csv_bytes()).ok
    html = client.get(reverse("geography:state_detail", args=["20"])).content.decode()
    assert "Oaxaca" in html and "Subsecretaría" in html and "San Quintín" in html and "Los Ángeles" in html
    assert "Publicado en 2020" in html  # IOM MGI profile
    html = client.get(reverse("geography:state_detail", args=["26"])).content.decode()
    assert "Sonora" in html and "Firmados por quinquenio" in html and "2010–2014" in html
    assert "66.7 %" in html  # two of Sonora's three agreements are with the United States


def test_state_profile_with_no_data_says_sin_datos(client):
    html = client.get(reverse("geography:state_detail", args=["04"])).content.decode()  # Campeche
    assert html.count("sin datos") + html.count("Sin datos") >= 4
    assert "Sin acuerdos en el registro." in html and "Campeche" in html


def test_municipal_profile_brings_everything_together(client):
    assert agreement_services.registry_import(content=csv_bytes()).ok
    html = client.get(reverse("geography:municipality_detail", args=["07089"])).content.decode()
    for fragment in (
        "Tapachula",
        "353,706",
        "Dirección de Migración y Política Internacional",
        "Grupo de Trabajo Tapachula",
        "Acuerdo Tapachula–ACNUR 2017",
        "Carta de intención con ACNUR",
    ):
        assert fragment in html, fragment
    assert "Sin datos sobre el marco migratorio de este gobierno." in html  # nothing stated about Tapachula's
    juarez = client.get(reverse("geography:municipality_detail", args=["08037"])).content.decode()
    assert "<dt>Albergues municipales</dt><dd>2</dd>" in juarez
    assert client.get(reverse("geography:municipality_detail", args=["99999"])).status_code == 404


@pytest.mark.parametrize(
    "url", ["/estados/26/", "/municipios/07089/", "/estados/comparacion/", "/estados/", "/api/v1/states/26/"]
)
def test_profile_query_counts_do_not_grow_with_data(client, url):
    def grow():
        assert agreement_services.registry_import(content=csv_bytes()).ok
        assert agreement_services.registry_import(content=csv_bytes([r.replace("R-00", "S-00") for r in ROWS])).ok
        FocalPoint.objects.create(
            state_id="26", name="X", position="Y", email="x@sonora.gob.mx", designated_on=dt.date(2025, 1, 1)
        )
        FocalPoint.objects.create(
            municipality_id="07089",
            name="X",
            position="Y",
            email="x@tapachula.gob.mx",
            designated_on=dt.date(2025, 1, 1),
        )

    client.force_login(local_official())
    client.get("/")
    assert_queries_constant(lambda: _ok(client.get(url)), grow)


def test_comparison_table_sorts_and_exports(client):
    assert agreement_services.registry_import(content=csv_bytes()).ok
    rows = client.get(reverse("geography:state_comparison"), {"orden": "-agreements"}).context["rows"]
    assert len(rows) == 32 and rows[0]["state"].code == "26"
    response = client.get(reverse("geography:state_comparison"), {"formato": "csv"})
    table = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    by_code = {r["state_code"]: r for r in table}
    assert len(table) == 32
    assert by_code["16"]["office_form"] == "Secretaría" and by_code["16"]["constitution"] == "sí"
    assert by_code["02"]["council"] == "Consejo Estatal de Asuntos Migratorios"
    assert by_code["20"]["offices_abroad"] == "Estados Unidos, México" and by_code["19"]["un_partnerships"] == "4"
    assert by_code["04"]["office_form"] == "" and by_code["26"]["agreements"] == "3"


def test_state_directory_has_the_map(client):
    html = client.get(reverse("geography:state_list")).content.decode()
    assert html.count("<path ") == 32 and "CC BY 4.0" in html


@pytest.mark.parametrize(
    ("q", "expected"), [("tapachula", {"07089"}), ("COSIO", {"01004"}), ("san luis potosi", {"24028"})]
)
def test_municipality_search_is_accent_insensitive_across_all(client, q, expected):
    codes = {m["inegi_code"] for m in client.get("/api/v1/municipalities/", {"q": q}).json()["results"]}
    assert expected <= codes
    html = client.get(reverse("geography:municipality_list"), {"q": q}).content.decode()
    assert all(code in html for code in expected)


def test_public_apis_filter(client):
    offices = client.get("/api/v1/migrant-offices/", {"has_offices_abroad": "true"}).json()
    assert {o["state_code"] for o in offices} == {"06", "10", "15", "11", "14", "20", "21", "29"}
    assert len(client.get("/api/v1/migrant-offices/", {"level": "municipal"}).json()) == 2
    assert len(client.get("/api/v1/partnerships/", {"state": "19"}).json()) == 6
    assert {p["organisation"] for p in client.get("/api/v1/partnerships/", {"organisation_kind": "union"}).json()} == {
        "Unión Internacional de Trabajadores de la Alimentación y el Comercio de Canadá"
    }
    assert [n["acronym"] for n in client.get("/api/v1/networks/", {"state": "19"}).json()] == ["ICC"]
    assert len(client.get("/api/v1/organisations/", {"kind": "un_agency"}).json()) == 8
    states = client.get("/api/v1/states/").json()
    assert len(states) == 32 and states[6]["municipality_count"] == 124
    detail = client.get("/api/v1/states/20/").json()
    assert detail["migration_profile"]["mgi_profile_year"] == 2020
    assert detail["migrant_offices"][0]["institutional_form"] == "subsecretaria"
    assert "agreements" in detail and detail["focal_point"] is None
