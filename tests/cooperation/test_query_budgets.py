"""The lists of partnerships, organisations, networks and focal points cost the same number of statements however
many rows they show (the pages and the API alike, filtered or not; migrant offices: tests/migrants)."""

import pytest

from tests.factories import (
    FocalPointFactory,
    MigrantOfficeFactory,
    MunicipalInstitutionFactory,
    NetworkMembershipFactory,
    PartnershipFactory,
    local_official,
)
from tests.support import assert_queries_constant

pytestmark = pytest.mark.django_db


def _rows(first: int, last: int):
    """Rows of every list, numbered so that municipalities and states differ (1 to 11: Aguascalientes')."""
    for n in range(first, last + 1):
        PartnershipFactory()
        NetworkMembershipFactory(state_id=f"{n:02d}")
        MigrantOfficeFactory(institution=MunicipalInstitutionFactory(municipality_id=f"01{n:03d}", state_id="01"))
        FocalPointFactory(state_id=None, municipality_id=f"01{n:03d}")


@pytest.mark.parametrize(
    "url",
    [
        "/cooperacion/",
        "/cooperacion/?status=active&instrument=mou",
        "/cooperacion/puntos-focales/",
        "/cooperacion/puntos-focales/?state=01",
        "/gobiernos/cambio-de-administracion/",
        "/api/v1/partnerships/",
        "/api/v1/partnerships/?status=active&instrument=mou&organisation_kind=un_agency",
        "/api/v1/organisations/",
        "/api/v1/organisations/?kind=un_agency",
        "/api/v1/networks/",
        "/api/v1/networks/?kind=city_network",
        "/api/v1/focal-points/",
        "/api/v1/focal-points/?state=01&current=true",
    ],
)
@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "staff"])
def test_list_costs_the_same_with_more_rows(client, url, signed_in):
    if signed_in:
        client.force_login(local_official())

    def fetch():
        assert client.get(url).status_code == 200

    _rows(1, 1)  # a list with rows (an empty one skips its page query)
    assert_queries_constant(fetch, lambda: _rows(2, 8))
