"""Who reads partnerships and focal points, who sees a focal point's contacts, and who names or confirms one."""

import pytest
from django.urls import reverse

from cooperation.models import FocalPoint, Partnership
from tests.factories import FocalPointFactory, MunicipalInstitutionFactory, local_official
from tests.support import Cell, matrix_mismatches, matrix_people, sign_in

pytestmark = pytest.mark.django_db

STAFF = {"own", "other", "dgcp", "cja", "admin"}


@pytest.fixture
def people():
    """``own`` works for the State of Jalisco (the factory's office), ``other`` for Tapachula."""
    return matrix_people(other=local_official(MunicipalInstitutionFactory()))


def test_pages_and_api_are_public_and_naming_is_the_governments_own(client, people):
    point = FocalPointFactory(state_id="14")
    assign = reverse("cooperation:focal_point_assign", args=["estado", "14"])
    cells = [
        Cell("GET", reverse("cooperation:partnership_list"), {}, 200),
        Cell("GET", reverse("cooperation:partnership_detail", args=[Partnership.objects.first().pk]), {}, 200),
        Cell("GET", reverse("cooperation:focal_point_list"), {}, 200),
        Cell("GET", reverse("cooperation:change_of_administration"), {}, 200),
        Cell("GET", "/api/v1/partnerships/", {}, 200),
        Cell("GET", "/api/v1/organisations/", {}, 200),
        Cell("GET", "/api/v1/networks/", {}, 200),
        Cell("GET", "/api/v1/focal-points/", {}, 200),
        Cell("GET", f"/api/v1/focal-points/{point.pk}/", {}, 200),
        Cell("GET", assign, {"own": 200, "admin": 200, "anonymous": 302}, 403),
        # A form with errors answers 400 to those who may use it; the others never reach the form.
        Cell("POST", assign, {"own": 400, "admin": 400, "anonymous": 302}, 403, data={"email": "x@gmail.com"}),
        Cell("POST", "/api/v1/focal-points/", {}, 405),
    ]
    assert matrix_mismatches(client, people, cells) == []
    assert FocalPoint.objects.filter(state_id="14").count() == 1  # nobody's attempt named another one


def test_only_staff_read_a_focal_points_contacts(client, people):
    point = FocalPointFactory(state_id="14")
    seen = {}
    for who, user in people.items():
        sign_in(client, user)
        body = client.get(f"/api/v1/focal-points/{point.pk}/").json()
        seen[who] = ("email" in body, "phone" in body)
    assert seen == {who: (who in STAFF, who in STAFF) for who in people}


def test_only_the_government_confirms_its_focal_point(client, people):
    point = FocalPointFactory(state_id="14")
    confirm = reverse("cooperation:focal_point_confirm", args=["estado", "14"])
    for who in ["anonymous", "other", "analyst", "dgcp", "cja"]:
        sign_in(client, people[who])
        assert client.post(confirm).status_code == 302, who
        point.refresh_from_db()
        assert point.confirmed_at is None, who
    client.force_login(people["own"])
    client.post(confirm)
    point.refresh_from_db()
    assert point.confirmed_at is not None
