"""What the registry API gives for an entry, field by field: the list and the detail read plain rows (no model
instances), and must give what they gave when they read instances."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import RegistryAmendmentFactory, RegistryCertificateFactory, RegistryEntryFactory

pytestmark = pytest.mark.django_db

SIGNED = dt.date(2019, 4, 2)


@pytest.fixture
def entries():
    municipal = RegistryEntryFactory(
        municipal=True,
        registry_number="RAII-2019.0007",
        title="Hermanamiento Tapachula–Quetzaltenango",
        kind="twinning",
        signing_office="H. Ayuntamiento de Tapachula",
        counterpart_name="Municipalidad de Quetzaltenango",
        counterpart_country="GT",
        counterpart_subdivision="GT-QZ",
        region="latin_america_caribbean",
        signed_on=SIGNED,
        registered_on=SIGNED + dt.timedelta(days=20),
        expires_on=None,
        automatic_renewal=True,
        source="workflow",
        themes=["migration", "culture"],
    )
    RegistryAmendmentFactory(
        entry=municipal,
        kind="extension",
        registry_number="RAII-2021.0002",
        signed_on=dt.date(2021, 1, 5),
        registered_on=dt.date(2021, 2, 1),
        expires_on=dt.date(2031, 1, 5),
    )
    RegistryAmendmentFactory(
        entry=municipal,
        kind="modification",
        registry_number="RAII-2020.0001",
        signed_on=dt.date(2020, 1, 5),
        registered_on=dt.date(2020, 2, 1),
        expires_on=None,
    )
    certificate = RegistryCertificateFactory(entry=municipal)
    state = RegistryEntryFactory(
        registry_number="RAII-2018.0003",
        signed_on=SIGNED - dt.timedelta(days=400),
        registered_on=SIGNED - dt.timedelta(days=380),
        expires_on=dt.date(2020, 1, 1),
        themes=[],
    )
    return municipal, state, certificate


def _municipal_row():
    return {
        "registry_number": "RAII-2019.0007",
        "title": "Hermanamiento Tapachula–Quetzaltenango",
        "kind": "twinning",
        "level": "municipal",
        "state_code": "07",
        "state": "Chiapas",
        "municipality_code": "07089",
        "municipality": "Tapachula",
        "signing_office": "H. Ayuntamiento de Tapachula",
        "counterpart_name": "Municipalidad de Quetzaltenango",
        "counterpart_type": "government",
        "counterpart_country": "GT",
        "counterpart_subdivision": "GT-QZ",
        "region": "latin_america_caribbean",
        "themes": ["culture", "migration"],
        "signed_on": "2019-04-02",
        "signed_place": "Namur, Bélgica",
        "registered_on": "2019-04-22",
        "expires_on": None,
        "terminated_on": None,
        "status": "in_force",
        "automatic_renewal": True,
        "source": "workflow",
        "amendments": [
            {
                "kind": "modification",
                "registry_number": "RAII-2020.0001",
                "signed_on": "2020-01-05",
                "registered_on": "2020-02-01",
                "expires_on": None,
            },
            {
                "kind": "extension",
                "registry_number": "RAII-2021.0002",
                "signed_on": "2021-01-05",
                "registered_on": "2021-02-01",
                "expires_on": "2031-01-05",
            },
        ],
        "url": reverse("agreements:registry_detail", args=["RAII-2019.0007"]),
    }


def test_the_list_gives_every_field_of_each_entry(client, entries):
    results = client.get("/api/v1/registry/").json()["results"]
    assert [row["registry_number"] for row in results] == ["RAII-2019.0007", "RAII-2018.0003"]
    assert results[0] == _municipal_row()
    state = results[1]
    assert (state["level"], state["state"], state["municipality_code"], state["municipality"]) == (
        "state",
        "Jalisco",
        None,
        None,
    )
    assert (state["themes"], state["amendments"], state["status"], state["expires_on"]) == (
        [],
        [],
        "expired",
        "2020-01-01",
    )


def test_the_detail_adds_the_certificate_when_there_is_one(client, entries):
    municipal, state, certificate = entries
    detail = client.get(reverse("api:registry-detail", args=[municipal.registry_number])).json()
    assert detail == {
        **_municipal_row(),
        "certificate_url": reverse("agreements:registry_certificate", args=["RAII-2019.0007"]),
        "certificate_sha256": certificate.sha256,
    }
    other = client.get(reverse("api:registry-detail", args=[state.registry_number])).json()
    assert (other["certificate_url"], other["certificate_sha256"], other["amendments"]) == (None, None, [])


def test_an_unknown_number_is_404(client, entries):
    assert client.get(reverse("api:registry-detail", args=["RAII-1900.0001"])).status_code == 404
