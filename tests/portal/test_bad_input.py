"""No input answers 500: malformed keys, dates, numbers and JSON get a 400/404 with a clear message."""

import json

import pytest
from django.urls import Resolver404, resolve

from agreements.models import Agreement
from portal.notifications.models import Notification
from tests.factories import dgcp_reviewer, local_official

pytestmark = pytest.mark.django_db

# A NUL byte reached PostgreSQL (which refuses it in text) and answered 500; a key of the wrong shape is "not found".
BAD_PATHS = [
    "/estados/\x00/",
    "/municipios/\x00/",
    "/registro/acuerdo/\x00/",
    "/api/v1/states/\x00/",
    "/api/v1/municipalities/\x00/",
    "/api/v1/registry/\x00/",
    "/gobiernos/estado/\x00/entrega/",
    "/gobiernos/\x00/14/entrega/",
    "/gobiernos/estado/\x00/punto-focal/",
    "/api/v1/agreements/abc/",
    "/api/v1/agreements/1e3/",
    "/api/v1/agreements/\u00b2/",
    "/api/v1/agreements/\u00b2/submit/",
]


@pytest.mark.parametrize("path", BAD_PATHS)
def test_a_malformed_key_matches_no_route(path):
    with pytest.raises(Resolver404):
        resolve(path)


@pytest.mark.parametrize("path", BAD_PATHS)
def test_a_malformed_key_is_not_found(client, path):
    client.force_login(dgcp_reviewer())
    response = client.get(path)
    assert response.status_code == 404


@pytest.mark.parametrize("path", ["/api/v1/agreements/abc/", "/api/v1/agreements/1e3/", "/api/v1/states/%00/"])
def test_the_api_says_not_found_in_json(client, path):
    client.force_login(local_official())
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "No se encontró el recurso solicitado.", "code": "not_found"}


def test_well_formed_keys_still_resolve(client):
    assert client.get("/estados/14/").status_code == 200
    assert client.get("/municipios/07089/").status_code == 200
    assert client.get("/api/v1/states/14/").status_code == 200
    assert client.get("/gobiernos/estado/14/entrega/").status_code == 200
    assert client.get("/gobiernos/municipio/07089/entrega/").status_code == 200


@pytest.mark.parametrize("date", ["0001-01-01", "0001-01-13", "9999-12-31"])
def test_the_deadline_calendar_refuses_dates_off_its_range(client, date):
    response = client.get("/api/v1/calendar/deadline/", {"signing_date": date})
    assert response.status_code == 400
    assert "Indique una fecha entre 1990-01-01 y 2200-12-31" in response.json()["errors"]["signing_date"][0]


def test_the_deadline_calendar_still_answers_real_dates(client):
    response = client.get("/api/v1/calendar/deadline/", {"signing_date": "2025-09-29"})
    assert response.status_code == 200
    assert response.json()["must_reach_cja_by"] == "2025-09-12"


@pytest.mark.parametrize("depth", [40, 100_000])
def test_deeply_nested_json_is_refused(client, depth):
    client.force_login(local_official())
    body = "[" * depth + "]" * depth
    response = client.post("/api/v1/agreements/", body, content_type="application/json")
    assert response.status_code == 400
    assert "anida demasiados niveles" in response.json()["detail"]
    assert not Agreement.objects.exists()


def test_json_of_ordinary_depth_is_parsed(client):
    client.force_login(local_official())
    response = client.post("/api/v1/agreements/", json.dumps({"themes": [[[]]]}), content_type="application/json")
    assert response.status_code == 400
    assert "themes" in response.json()["errors"]


@pytest.mark.parametrize("value", ["\u00b2", "-1", "abc", "1.5"])
def test_an_invalid_notification_id_marks_nothing_read(client, value):
    user = local_official()
    Notification.objects.create(recipient=user, subject="Aviso", body="Texto")
    client.force_login(user)
    response = client.post("/notificaciones/leer/", {"id": value}, follow=True)
    assert response.status_code == 200
    assert "La notificación indicada no es válida." in response.content.decode()
    assert Notification.objects.filter(recipient=user, read_at=None).count() == 1


def test_a_notification_id_marks_that_one_read(client):
    user = local_official()
    first = Notification.objects.create(recipient=user, subject="Aviso", body="Texto")
    Notification.objects.create(recipient=user, subject="Otro", body="Texto")
    client.force_login(user)
    client.post("/notificaciones/leer/", {"id": str(first.pk)})
    assert list(Notification.objects.filter(read_at=None).exclude(pk=first.pk).values_list("subject", flat=True)) == [
        "Otro"
    ]


@pytest.mark.parametrize("step", ["\u00b2", "99", "abc"])
def test_the_dashboard_names_a_step_that_does_not_exist(client, step):
    client.force_login(dgcp_reviewer())
    response = client.get("/expedientes/tablero/", {"paso": step})
    assert response.status_code == 200
    assert f"El paso «{step}» no existe" in response.content.decode()


def test_the_dashboard_filters_by_a_real_step(client):
    client.force_login(dgcp_reviewer())
    assert client.get("/expedientes/tablero/", {"paso": "7"}).status_code == 200
