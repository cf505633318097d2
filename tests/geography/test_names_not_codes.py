"""People read names: countries in CLDR's Spanish (or English), sorted as they read; no codes or keys on pages."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from agreements.registry import services as agreement_services
from portal.geography import countries
from tests.registry.test_registry import csv_bytes

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "spanish", "wrong"),
    [
        ("DZ", "Argelia", "Algeria"),
        ("BF", "Burkina Faso", "Burquina Faso"),
        ("SR", "Surinam", "Surinám"),
        ("TN", "Túnez", "Tunez"),
        ("AX", "Islas Åland", "Islas Äland"),
        ("SA", "Arabia Saudita", "Arabia Saudí"),
        ("US", "Estados Unidos", None),
    ],
)
def test_country_names_are_cldr_spanish_of_mexico(code, spanish, wrong):
    assert countries.country_name(code, "es") == spanish
    names = dict(countries.country_choices("es"))
    assert names[code] == spanish and wrong not in names.values()


def test_cote_d_ivoire_is_not_misspelt():
    assert "Costa de Marfíl" not in dict(countries.country_choices("es")).values()


def test_english_names_in_english():
    with translation.override("en"):
        assert countries.country_name("DZ") == "Algeria"
        assert countries.country_name("ES") == "Spain"
        assert dict(countries.country_choices())["DE"] == "Germany"


def test_accented_names_sort_where_a_reader_looks_for_them():
    names = [name for _code, name in countries.country_choices("es")]
    assert names.index("Bélgica") < names.index("Bután")
    assert names.index("Islas Åland") < names.index("Islas Caimán")
    assert names.index("Austria") < names.index("Bahamas") < names.index("Zimbabue")
    assert "México" not in names  # the counterpart is foreign


def test_subdivisions_by_name_for_the_chosen_country():
    guatemala = dict(countries.subdivision_choices("GT", "es"))
    assert guatemala["GT-12"] == "San Marcos" and "GT-SM" not in guatemala
    assert dict(countries.subdivision_choices("US", "es"))["US-NY"] == "Nueva York"
    spain = dict(countries.subdivision_choices("ES", "es"))
    assert spain["ES-CL"] == "Castilla y León" and "ES-AV" not in spain  # provinces are the second level
    assert countries.subdivision_choices("XX") == []
    assert countries.place_label("ES", "ES-CL", "es") == "Castilla y León, España"


@pytest.fixture
def corpus():
    report = agreement_services.registry_import(content=csv_bytes())
    assert report.ok, [str(e) for e in report.errors]


def _text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"(?s)<(script|style|svg|select|head)\b.*?</\1>", " ", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_registry_list_and_detail_show_places_by_name(client, corpus):
    text = _text(client.get(reverse("agreements:registry_list")))
    assert "Junta de Castilla y León (Castilla y León, España)" in text
    assert "(ES, ES-CL)" not in text and "US, US-CA" not in text
    detail = _text(client.get(reverse("agreements:registry_detail", args=["R-005"])))
    assert "España · Castilla y León · Europa" in detail and "ES · ES-CL" not in detail


KEYS = [
    "europe",
    "latin_america_caribbean",
    "north_america",
    "science_technology",
    "university_cooperation_framework",
    "technical_cooperation",
    "government",
    "international_organization",
    "ES-CL",
    "US-TX",
]


def test_statistics_show_labels_never_keys(client, corpus):
    text = _text(client.get(reverse("agreements:registry_stats")))
    assert "Europa" in text and "Ciencia y tecnología" in text and "Cooperación universitaria (marco)" in text
    for key in KEYS:
        assert not re.search(rf"(?<![\w/?=&-]){re.escape(key)}(?![\w-])", text), key
    assert "Estatal state" not in text and "Europa europe" not in text and "Sonora 26" not in text
    assert "Estados Unidos" in text and "Texas" in text


def test_offices_abroad_by_country_name(client):
    jalisco = _text(client.get(reverse("geography:state_detail", args=["14"])))
    assert "Oficinas fuera de la entidad: Estados Unidos" in jalisco and "ciudad sin datos" not in jalisco
    comparison = client.get(reverse("geography:state_comparison"))
    oaxaca = next(r for r in comparison.context["rows"] if r["state"].code == "20")
    assert "Estados Unidos, México" in oaxaca["values"] and "MX, US" not in _text(comparison)
    offices = _text(client.get(reverse("migrants:office_list")))
    assert "Los Ángeles (Estados Unidos)" in offices and "(US)" not in offices


def test_projection_starts_from_the_current_count(client, corpus):
    response = client.get(reverse("agreements:registry_stats"))
    rows = response.context["projection_rows"]
    assert rows[0]["base"] == 6  # every agreement in the registry, however recent
    assert rows[-1]["base"] > rows[0]["base"] and rows[-1]["best"] > rows[-1]["base"]
