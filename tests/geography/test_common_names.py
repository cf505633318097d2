"""«Ciudad Juárez» is how people name INEGI's «Juárez», Chihuahua: the search finds it by that name."""

import pytest
from django.core.management import call_command

from portal.geography.models import Municipality

pytestmark = pytest.mark.django_db


def test_common_name_is_loaded_from_the_reference_data():
    juarez = Municipality.objects.get(inegi_code="08037")
    assert (juarez.name, juarez.seat_name, juarez.common_name) == ("Juárez", "Juárez", "Ciudad Juárez")
    assert "ciudad juarez" in juarez.search_alias


def test_api_search_finds_ciudad_juarez(client):
    response = client.get("/api/v1/municipalities/", {"q": "Ciudad Juárez"})
    assert response.status_code == 200
    codes = [row["inegi_code"] for row in response.json()["results"]]
    # Juárez, Nuevo León (seat: Ciudad Benito Juárez) matches both words too; Chihuahua's comes first.
    assert codes[0] == "08037"
    assert set(codes) <= {"08037", "19031"}


def test_search_page_finds_ciudad_juarez_without_accents(client):
    response = client.get("/municipios/", {"q": "ciudad juarez"})
    assert response.status_code == 200
    assert "Chihuahua" in response.content.decode()
    assert [m.inegi_code for m in response.context["page"]][0] == "08037"


def test_seat_names_are_searched_too(client):
    # Ciudad Obregón is the seat of Cajeme; Cancún the seat of Benito Juárez, Quintana Roo.
    for query, code in [("Ciudad Obregón", "26018"), ("cancun", "23005")]:
        response = client.get("/api/v1/municipalities/", {"q": query})
        assert [row["inegi_code"] for row in response.json()["results"]] == [code], query


def test_inegi_names_still_match_and_reload_keeps_aliases(client):
    call_command("load_reference_data", verbosity=0)
    response = client.get("/api/v1/municipalities/", {"q": "juarez", "state": "08"})
    assert [row["inegi_code"] for row in response.json()["results"]] == ["08037"]
    assert Municipality.objects.get(inegi_code="08037").common_name == "Ciudad Juárez"


def test_names_people_use_at_the_borders_and_coasts(client):
    # Neither INEGI's name nor the seat says «Puerto Escondido» or «Ciudad Cuauhtémoc» (a Chiapas border crossing,
    # and Chihuahua's city of that name): the common names do.
    for query, codes in [("Puerto Escondido", ["20318"]), ("ciudad cuauhtemoc", ["07034", "08017"])]:
        response = client.get("/api/v1/municipalities/", {"q": query})
        assert sorted(row["inegi_code"] for row in response.json()["results"]) == codes, query
