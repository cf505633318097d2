"""The reference facts are loaded exactly as the domain notes state them (and nothing invented)."""

import pytest

from cooperation.models import CityNetwork, NetworkMembership, Organisation, Partnership
from migrants.models import MigrantOffice, MigrationProfile, OfficeAbroad

pytestmark = pytest.mark.django_db


def _form(state):
    return MigrantOffice.objects.get(institution__level="state", institution__state_id=state).institutional_form


def test_institutional_forms_of_the_named_states():
    assert {s: _form(s) for s in ("16", "12", "32")} == dict.fromkeys(("16", "12", "32"), "secretaria")
    assert {s: _form(s) for s in ("02", "11", "20", "27")} == dict.fromkeys(("02", "11", "20", "27"), "subsecretaria")
    assert {s: _form(s) for s in ("21", "24", "28")} == dict.fromkeys(("21", "24", "28"), "instituto")
    assert {s: _form(s) for s in ("30", "29", "09")} == dict.fromkeys(("30", "29", "09"), "direccion_o_coordinacion")
    assert MigrantOffice.objects.get(institution__state_id="28", institution__level="state").institution.name == (
        "Instituto Tamaulipeco para los Migrantes"
    )
    assert _form("15") == "" and _form("14") == ""  # not stated: sin datos


def test_same_office_for_migrants_and_international_affairs():
    flagged = set(
        MigrantOffice.objects.filter(handles_international_affairs=True).values_list("institution__state_id", flat=True)
    )
    assert flagged == {"15", "12"}


def test_eight_states_fund_offices_in_the_united_states():
    states = set(OfficeAbroad.objects.filter(country="US").values_list("office__institution__state_id", flat=True))
    assert states == {"06", "10", "15", "11", "14", "20", "21", "29"}


def test_oaxaca_runs_four_offices_outside_the_state():
    rows = set(
        OfficeAbroad.objects.filter(office__institution__state_id="20").values_list(
            "city", "region", "country", "is_liaison"
        )
    )
    assert rows == {
        ("San Quintín", "Baja California", "MX", False),
        ("Ensenada", "Baja California", "MX", False),
        ("Tijuana", "Baja California", "MX", False),
        ("Los Ángeles", "California", "US", True),
    }


def test_the_two_councils():
    councils = dict(MigrationProfile.objects.exclude(council_name="").values_list("state_id", "council_name"))
    assert councils == {
        "02": "Consejo Estatal de Asuntos Migratorios",
        "08": "Consejo Estatal de Protección y Atención a Migrantes y sus Familias",
    }
    assert "Ciudad Juárez" in MigrationProfile.objects.get(state_id="08").council_notes


def test_municipal_directorates_and_juarez_shelters():
    municipal = set(
        MigrantOffice.objects.filter(institution__level="municipal").values_list(
            "institution__municipality_id", "institution__name"
        )
    )
    assert municipal == {
        ("02004", "Dirección de Atención al Migrante del H. Ayuntamiento de Tijuana"),
        ("07089", "Dirección de Migración y Política Internacional del H. Ayuntamiento de Tapachula"),
    }
    assert MigrationProfile.objects.get(municipality_id="08037").municipal_shelters == 2


def test_constitutions_and_mgi_profiles():
    constitutions = set(
        MigrationProfile.objects.filter(constitution_mentions_migrants=True).values_list("state_id", flat=True)
    )
    assert constitutions == {
        "09",
        "07",
        "05",
        "10",
        "13",
        "14",
        "16",
        "17",
        "20",
        "21",
        "23",
        "24",
        "25",
        "26",
        "27",
        "31",
        "32",
    }
    assert not MigrationProfile.objects.filter(constitution_mentions_migrants=False).exists()  # never invented
    mgi = dict(MigrationProfile.objects.exclude(mgi_profile_year=None).values_list("state_id", "mgi_profile_year"))
    assert mgi == {
        "20": 2020,
        "08": 2020,
        "11": 2021,
        "28": 2021,
        "10": 2022,
        "12": 2022,
        "16": 2022,
        "09": 2022,
        "19": 2023,
        "27": 2023,
        "32": 2023,
        "02": 2024,
        "23": 2024,
        "26": 2024,
    }
    assert not MigrationProfile.objects.filter(has_protection_law__isnull=False).exists()  # which 18: not stated


def test_organisations_partnerships_and_networks():
    un = set(Organisation.objects.filter(kind="un_agency").values_list("acronym", flat=True))
    assert un == {"OIM", "ACNUR", "UNICEF", "PNUD", "ONU-Hábitat", "UNESCO", "ONU Mujeres", "OACNUDH"}
    nl = set(Partnership.objects.filter(institution__state_id="19").values_list("organisation__acronym", "instrument"))
    assert nl == {
        ("ACNUR", "letter_of_understanding"),
        ("OIM", "cooperation_agreement"),
        ("UNICEF", "collaboration_agreement"),
        ("PNUD", "mou"),
        ("HIAS", "other"),
        ("", "other"),
    }
    assert Partnership.objects.get(organisation__acronym="OIM", institution__state_id="19").institution.name == (
        "Secretaría de Igualdad e Inclusión del Estado de Nuevo León"
    )
    assert sorted(
        Partnership.objects.filter(institution__municipality_id="07089", organisation__acronym="ACNUR").values_list(
            "year", flat=True
        )
    ) == [2017, 2020]
    group = Partnership.objects.get(title="Grupo de Trabajo Tapachula")
    assert (group.year, group.instrument) == (2022, "working_group") and "11 agencias" in group.activities
    assert "61 personas" in Partnership.objects.get(institution__municipality_id="08037").activities
    ufcw = set(
        Partnership.objects.filter(organisation__acronym="UFCW Canada").values_list("institution__state_id", flat=True)
    )
    assert ufcw == {"12", "16"}
    assert CityNetwork.objects.count() == 7
    assert CityNetwork.objects.get(acronym="Grupo Tacaná").founded_year == 2013
    members = set(
        NetworkMembership.objects.values_list("network__acronym", "state_id", "municipality_id", "joined_year")
    )
    assert members == {
        ("ICC", "09", None, 2011),
        ("ICC", None, "19026", 2023),
        ("", None, "05030", 2018),
        ("", "09", None, None),
    }


OFFICIAL = {
    "16": "Secretaría del Migrante de Michoacán",
    "12": "Secretaría de los Migrantes y Asuntos Internacionales de Guerrero",
    "15": "Coordinación de Asuntos Internacionales del Estado de México",
}


def test_state_offices_carry_the_official_names_the_sources_give():
    offices = MigrantOffice.objects.filter(institution__level="state").select_related("institution")
    named = {o.institution.state_id: o.institution.name for o in offices if o.official_name_known}
    assert named == {**OFFICIAL, "28": "Instituto Tamaulipeco para los Migrantes"}
    assert not any(o.institution.name.startswith("Oficina estatal") for o in offices if o.official_name_known)
    assert (
        MigrantOffice.objects.get(institution__state_id="14", institution__level="state").official_name_known is False
    )


def test_ufcw_canada_works_with_the_migrant_ministries_not_the_state_governments():
    ufcw = Partnership.objects.filter(organisation__acronym="UFCW Canada").select_related("institution")
    assert {p.institution.name for p in ufcw} == {OFFICIAL["12"], OFFICIAL["16"]}
    assert all(MigrantOffice.objects.filter(institution=p.institution).exists() for p in ufcw)


def test_giz_is_the_german_society_for_international_cooperation():
    giz = Organisation.objects.get(acronym="GIZ")
    assert giz.name == "Sociedad Alemana de Cooperación Internacional"
    assert not Organisation.objects.filter(name="Agencia Alemana de Cooperación Internacional").exists()


def test_no_internal_path_in_what_the_public_reads(client):
    from django.urls import reverse

    assert not Partnership.objects.filter(source__contains="shared/").exists()
    assert not MigrantOffice.objects.filter(source__contains="shared/").exists()
    partnership = Partnership.objects.get(title="Grupo de Trabajo Tapachula")
    html = client.get(reverse("cooperation:partnership_detail", args=[partnership.pk])).content.decode()
    assert "shared/domain" not in html and "taller GIZ/GIGA" in html


def test_reloading_corrects_a_database_loaded_with_the_old_names():
    from django.core.management import call_command

    from portal.institutions.models import Institution

    office = MigrantOffice.objects.get(institution__state_id="16", institution__level="state")
    Institution.objects.filter(pk=office.institution_id).update(
        name="Oficina estatal de atención a migrantes (OFAM) de Michoacán"
    )
    Organisation.objects.filter(acronym="GIZ").update(name="Agencia Alemana de Cooperación Internacional")
    old_government = Institution.objects.create(name="Gobierno del Estado de Guerrero", level="state", state_id="12")
    Partnership.objects.filter(organisation__acronym="UFCW Canada", institution__state_id="12").update(
        institution=old_government
    )
    counts = (MigrantOffice.objects.count(), Organisation.objects.count(), Partnership.objects.count())
    call_command("load_reference_data", verbosity=0)
    office.refresh_from_db()
    assert office.institution.name == OFFICIAL["16"] and office.official_name_known
    assert Organisation.objects.get(acronym="GIZ").name == "Sociedad Alemana de Cooperación Internacional"
    assert (
        Partnership.objects.get(organisation__acronym="UFCW Canada", institution__state_id="12").institution.name
        == (OFFICIAL["12"])
    )
    assert (MigrantOffice.objects.count(), Organisation.objects.count(), Partnership.objects.count()) == counts
