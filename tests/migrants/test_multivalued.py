"""Populations, services and partnership themes are rows of vocabulary tables, not ";"-joined strings.

Filtering by one value is a join (never a LIKE on a joined string); the API returns what it returned before; the
history still says what changed; the migrations' conversions split and join the old strings faithfully.
"""

import importlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperation import reference as cooperation_reference
from cooperation.models import Partnership
from migrants import selectors
from migrants.filtersets import MigrantOfficeFilterSet
from migrants.models import MigrantOffice
from tests.factories import MigrantOfficeFactory, PartnershipFactory, admin_user

pytestmark = pytest.mark.django_db

offices_migration = importlib.import_module("migrants.migrations.0003_populations_and_services_as_vocabularies")
partnerships_migration = importlib.import_module(
    "cooperation.migrations.0004_partnership_themes_and_populations_as_relations"
)


@pytest.fixture
def offices():
    return {
        "transit": MigrantOfficeFactory(populations=["transit"], services=["shelter"]),
        "both": MigrantOfficeFactory(populations=["asylum_refugees", "transit"], services=["legal_advice"]),
        "voluntary": MigrantOfficeFactory(populations=["returnees_voluntary"], services=["legal_advice", "shelter"]),
        "deported": MigrantOfficeFactory(populations=["returnees_deported"], services=[]),
        "none": MigrantOfficeFactory(populations=[], services=[]),
    }


def _filtered(offices, **data):
    queryset = MigrantOffice.objects.filter(pk__in=[o.pk for o in offices.values()])
    filterset = MigrantOfficeFilterSet(data, queryset=queryset)
    assert filterset.is_valid(), filterset.errors
    names = {o.pk: name for name, o in offices.items()}
    return sorted(names[o.pk] for o in filterset.qs), str(filterset.qs.query)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"population": "transit"}, ["both", "transit"]),
        ({"population": "asylum_refugees"}, ["both"]),
        # Keys sharing a prefix ("returnees_") never match one another.
        ({"population": "returnees_voluntary"}, ["voluntary"]),
        ({"population": "returnees_deported"}, ["deported"]),
        ({"population": "crime_victims"}, []),
        ({"service": "shelter"}, ["transit", "voluntary"]),
        ({"service": "legal_advice"}, ["both", "voluntary"]),
        ({"population": "transit", "service": "shelter"}, ["transit"]),
    ],
)
def test_filtering_by_one_value_returns_exactly_the_offices_that_have_it(offices, data, expected):
    names, sql = _filtered(offices, **data)
    assert names == expected
    assert "LIKE" not in sql.upper()  # a join on the many-to-many table, not a pattern on a string


def test_the_api_filters_and_returns_lists_of_keys_in_the_vocabularys_order(client, offices):
    response = client.get("/api/v1/migrant-offices/", {"population": "transit"})
    assert response.status_code == 200
    rows = {row["id"]: row for row in response.json()}
    assert set(rows) == {offices["transit"].pk, offices["both"].pk}
    assert rows[offices["both"].pk]["populations"] == ["transit", "asylum_refugees"]
    assert rows[offices["both"].pk]["services"] == ["legal_advice"]
    detail = client.get(f"/api/v1/migrant-offices/{offices['none'].pk}/").json()
    assert detail["populations"] == [] and detail["services"] == []
    assert client.get("/api/v1/migrant-offices/", {"population": "transit_x"}).status_code == 400


def test_the_partnership_api_keeps_its_strings(client):
    partnership = PartnershipFactory(themes=["Salud mental", "Capacitación"], populations=["transit", "emigrants"])
    row = next(r for r in client.get("/api/v1/partnerships/").json() if r["id"] == partnership.pk)
    assert row["themes"] == "Capacitación; Salud mental"
    assert row["populations"] == "emigrants;transit"
    page = client.get(reverse("cooperation:partnership_detail", args=[partnership.pk])).content.decode()
    assert "Capacitación; Salud mental" in page and "Personas migrantes en tránsito" in page


def test_an_admin_edit_of_the_lists_is_one_history_row_with_the_labels(client, offices):
    office = offices["transit"]
    client.force_login(admin_user())
    recorded = office.history.count()
    data = {
        "institution": office.institution_id,
        "official_name_known": "on",
        "institutional_form": office.institutional_form,
        "handles_international_affairs": "unknown",
        "populations": ["transit", "crime_victims"],
        "services": [],
        "offices_abroad-TOTAL_FORMS": "0",
        "offices_abroad-INITIAL_FORMS": "0",
        "offices_abroad-MIN_NUM_FORMS": "0",
        "offices_abroad-MAX_NUM_FORMS": "1000",
    }
    response = client.post(reverse("admin:migrants_migrantoffice_change", args=[office.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    assert office.history.count() == recorded + 1
    entry = selectors.office_history(office=office)[0]
    changes = {c.label: (c.old, c.new) for c in entry.changes}
    assert changes["poblaciones atendidas"] == (
        "Personas migrantes en tránsito",
        "Personas migrantes en tránsito, Personas migrantes víctimas de delito",
    )
    assert changes["servicios"] == ("Albergue", "—")


def test_changes_outside_the_services_keep_the_lists_right_in_the_history(offices):
    office = offices["both"]
    office.services.add("health")  # a shell: no service, no save()
    entry = selectors.office_history(office=office)[0]
    assert [(c.label, c.old, c.new) for c in entry.changes] == [
        ("servicios", "Asesoría jurídica", "Asesoría jurídica, Salud")
    ]
    MigrantOffice.objects.filter(pk=office.pk).update(phone="55 5555 5555")  # bulk: the lists are unchanged
    entry = selectors.office_history(office=office)[0]
    assert [(c.label, c.new) for c in entry.changes] == [("teléfono", "55 5555 5555")]


def test_reloading_the_reference_data_changes_nothing():
    cooperation_reference.load()
    before = (
        Partnership.history.count(),
        sorted(Partnership.themes.through.objects.values_list("partnership_id", "partnershiptheme__name")),
        sorted(Partnership.populations.through.objects.values_list("partnership_id", "populationgroup_id")),
    )
    cooperation_reference.load()
    after = (
        Partnership.history.count(),
        sorted(Partnership.themes.through.objects.values_list("partnership_id", "partnershiptheme__name")),
        sorted(Partnership.populations.through.objects.values_list("partnership_id", "populationgroup_id")),
    )
    assert after == before
    guanajuato = Partnership.objects.get(title="Acuerdo Guanajuato–OIM")
    assert guanajuato.theme_names == ["Asistencia conjunta", "Capacitación", "Investigación"]
    assert guanajuato.history.latest().themes  # the snapshot in the history names the themes too


def test_lists_prefetch_their_values(client, offices):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/migrant-offices/").status_code == 200
    joins = [q["sql"] for q in queries if "migrants_migrantoffice_populations" in q["sql"]]
    assert len(joins) == 1  # one query for every office's populations


def test_the_conversions_split_and_join_the_old_strings():
    split, join = offices_migration.split_keys, offices_migration.join_keys
    known = offices_migration.POPULATIONS
    assert split("transit;asylum_refugees", known) == ["transit", "asylum_refugees"]
    assert split(" transit ; transit;martians;;", known) == ["transit"]  # unknown keys were never accepted
    assert split("", known) == []
    assert join(["asylum_refugees", "transit"], known) == "transit;asylum_refugees"
    assert partnerships_migration.theme_names("Capacitación; asistencia  conjunta; investigación;") == [
        "Capacitación",
        "Asistencia conjunta",
        "Investigación",
    ]
    assert partnerships_migration.theme_names("") == []


def test_the_reference_loader_recreates_the_vocabularies_of_a_flushed_database():
    # A transactional test or a restore empties the tables the migration filled: partnerships then pointed to
    # populations that no longer existed (an IntegrityError on PostgreSQL).
    from django.core.management import call_command

    from migrants.choices import Population, Service
    from migrants.models import OfficeService, PopulationGroup

    PopulationGroup.objects.all().delete()
    OfficeService.objects.all().delete()
    call_command("load_reference_data", verbosity=0)
    assert set(PopulationGroup.objects.values_list("key", flat=True)) == set(Population.values)
    assert set(OfficeService.objects.values_list("key", flat=True)) == set(Service.values)
