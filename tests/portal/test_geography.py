import pytest
from django.core.management import call_command
from django.db.models import Sum

from portal.geography.models import Municipality, State

pytestmark = pytest.mark.django_db


def test_all_states_and_municipalities_are_loaded():
    assert State.objects.count() == 32
    assert Municipality.objects.count() == 2478
    assert Municipality.objects.filter(state_id="07").count() == 124
    assert Municipality.objects.filter(state_id="20").count() == 570
    assert Municipality.objects.filter(state_id="03").count() == 5
    assert Municipality.objects.aggregate(p=Sum("population_2020"))["p"] == 126_014_024


def test_state_names_and_codes_follow_inegi():
    assert State.objects.get(code="05").name == "Coahuila de Zaragoza"
    assert State.objects.get(code="15").short_name == "Estado de México"
    assert State.objects.get(code="07").iso_code == "MX-CHP"
    tapachula = Municipality.objects.get(inegi_code="07089")
    assert (tapachula.name, tapachula.state_id, tapachula.seat_name) == (
        "Tapachula",
        "07",
        "Tapachula de Córdova y Ordóñez",
    )
    assert tapachula.search_name == "tapachula"
    assert State.objects.get(code="07").population_2020 == sum(
        Municipality.objects.filter(state_id="07").values_list("population_2020", flat=True)
    )


def test_reloading_reference_data_changes_nothing():
    before = list(Municipality.objects.order_by("inegi_code").values_list("inegi_code", "name", "population_2020"))
    call_command("load_reference_data", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    after = list(Municipality.objects.order_by("inegi_code").values_list("inegi_code", "name", "population_2020"))
    assert before == after
    assert State.objects.count() == 32


def test_accent_insensitive_search_column():
    from portal.core.text import fold

    assert fold("  San Luis POTOSÍ ") == "san luis potosi"
    assert Municipality.objects.filter(search_name__contains=fold("Cosio")).values_list("name", flat=True)[0] == "Cosío"
