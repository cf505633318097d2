"""Who opens and who changes a migrant-attention office, page by page and through the API, per role."""

import pytest
from django.urls import reverse

from migrants.models import MigrantOffice
from tests.support import Cell, matrix_mismatches, matrix_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    return MigrantOffice.objects.get(institution__municipality_id="07089")


@pytest.fixture
def people(office):
    return matrix_people(office.institution)


def test_reading_is_public_and_editing_is_the_offices_own(client, office, people):
    edit = reverse("migrants:office_edit", args=[office.pk])
    cells = [
        Cell("GET", reverse("migrants:office_list"), {}, 200),
        Cell("GET", reverse("migrants:office_detail", args=[office.pk]), {}, 200),
        Cell("GET", "/api/v1/migrant-offices/", {}, 200),
        Cell("GET", f"/api/v1/migrant-offices/{office.pk}/", {}, 200),
        # An administrator may correct any office; its own staff theirs; anonymous visitors are asked to sign in.
        Cell("GET", edit, {"own": 200, "admin": 200, "anonymous": 302}, 403),
        Cell("POST", edit, {"own": 400, "admin": 400, "anonymous": 302}, 403, data={"creation_year": "1492"}),
        # The API reads only.
        Cell("POST", "/api/v1/migrant-offices/", {}, 405),
    ]
    assert matrix_mismatches(client, people, cells) == []
    office.refresh_from_db()
    assert office.creation_year != 1492  # nobody's bad value was stored
