"""Who reads partnerships and focal points, who sees a focal point's contacts, and who names or confirms one."""

import pytest
from django.urls import reverse

from cooperation.models import FocalPoint, Partnership
from tests.factories import (
    FocalPointFactory,
    MunicipalInstitutionFactory,
    admin_user,
    analyst,
    cja_reviewer,
    dgcp_reviewer,
    local_official,
)
from tests.support import Cell, matrix_mismatches

pytestmark = pytest.mark.django_db

STAFF = {"jalisco", "tapachula", "dgcp", "cja", "admin"}


@pytest.fixture
def people():
    return {
        "anonymous": None,
        "jalisco": local_official(),  # the factory's institution is the State of Jalisco's
        "tapachula": local_official(MunicipalInstitutionFactory()),
        "analyst": analyst(),
        "dgcp": dgcp_reviewer(),
        "cja": cja_reviewer(),
        "admin": admin_user(),
    }


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
        Cell("GET", assign, {"jalisco": 200, "admin": 200, "anonymous": 302}, 403),
        # A form with errors answers 400 to those who may use it; the others never reach the form.
        Cell("POST", assign, {"jalisco": 400, "admin": 400, "anonymous": 302}, 403, data={"email": "x@gmail.com"}),
        Cell("POST", "/api/v1/focal-points/", {}, 405),
    ]
    assert matrix_mismatches(client, people, cells) == []
    assert FocalPoint.objects.filter(state_id="14").count() == 1  # nobody's attempt named another one


def test_only_staff_read_a_focal_points_contacts(client, people):
    point = FocalPointFactory(state_id="14")
    seen = {}
    for who, user in people.items():
        client.logout()
        if user:
            client.force_login(user)
        body = client.get(f"/api/v1/focal-points/{point.pk}/").json()
        seen[who] = ("email" in body, "phone" in body)
    assert seen == {who: (who in STAFF, who in STAFF) for who in people}


def test_only_the_government_confirms_its_focal_point(client, people):
    point = FocalPointFactory(state_id="14")
    confirm = reverse("cooperation:focal_point_confirm", args=["estado", "14"])
    for who in ["anonymous", "tapachula", "analyst", "dgcp", "cja"]:
        client.logout()
        if people[who]:
            client.force_login(people[who])
        assert client.post(confirm).status_code == 302, who
        point.refresh_from_db()
        assert point.confirmed_at is None, who
    client.force_login(people["jalisco"])
    client.post(confirm)
    point.refresh_from_db()
    assert point.confirmed_at is not None
