"""The list of migrant-attention offices costs the same number of statements however many offices it shows,
with their populations, services and offices abroad (the page and the API alike, filtered or not)."""

import pytest

from tests.factories import MigrantOfficeFactory, MunicipalInstitutionFactory, OfficeAbroadFactory, local_official
from tests.support import assert_queries_constant

pytestmark = pytest.mark.django_db


def _offices(first: int, last: int) -> list:
    """Offices of Aguascalientes' municipalities ``first`` to ``last``, each with an office abroad."""
    made = []
    for n in range(first, last + 1):
        office = MigrantOfficeFactory(
            institution=MunicipalInstitutionFactory(municipality_id=f"01{n:03d}", state_id="01"),
            populations=["transit", "returnees_deported"],
            services=["legal_advice"],
        )
        OfficeAbroadFactory(office=office)
        made.append(office)
    return made


@pytest.mark.parametrize(
    "url",
    [
        "/oficinas-migrantes/",
        "/oficinas-migrantes/?state=01&population=transit",
        "/oficinas-migrantes/?service=legal_advice&has_offices_abroad=true",
        "/api/v1/migrant-offices/",
        "/api/v1/migrant-offices/?state=01&population=transit",
        "/api/v1/migrant-offices/?service=legal_advice&has_offices_abroad=true",
    ],
)
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "staff"])
def test_office_list_costs_the_same_with_more_offices(client, url, signed_in):
    if signed_in:
        client.force_login(local_official())

    pages = []

    def fetch():
        response = client.get(url)
        assert response.status_code == 200
        pages.append(response.content.decode())

    _offices(1, 1)
    added = []
    assert_queries_constant(fetch, lambda: added.extend(_offices(2, 8)))
    assert all(office.institution.name in pages[-1] for office in added)  # the filters kept every new office
