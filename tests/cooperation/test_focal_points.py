"""One current focal point per government, history kept; contact data only for staff."""

import datetime as dt

import pytest
from django.db import IntegrityError
from django.urls import reverse
from rest_framework.test import APIClient

from cooperation import services
from cooperation.models import FocalPoint, GovernmentTerm
from portal.core.exceptions import PermissionDenied, ValidationFailed
from portal.geography.government import get_government
from tests.factories import InstitutionFactory, MunicipalInstitutionFactory, analyst, local_official

pytestmark = pytest.mark.django_db

DATA = {
    "name": "Ana Ruiz",
    "position": "Directora de Asuntos Internacionales",
    "area": "DAI",
    "email": "ana.ruiz@jalisco.gob.mx",
    "phone": "33 1234 5678",
}


def _assign(user, government, **overrides):
    return services.focal_point_assign(
        user=user, government=government, data={**DATA, "designated_on": dt.date(2025, 1, 10), **overrides}
    )


def test_assigning_keeps_the_history_and_one_current():
    jalisco = get_government("estado", "14")
    staff = local_official(InstitutionFactory(state_id="14"))
    first = _assign(staff, jalisco)
    second = _assign(
        staff, jalisco, name="Beatriz Luna", email="beatriz@jalisco.gob.mx", designated_on=dt.date(2025, 6, 1)
    )
    first.refresh_from_db()
    assert (first.is_current, first.ended_on) == (False, dt.date(2025, 6, 1))
    assert second.is_current
    assert FocalPoint.objects.filter(state_id="14", is_current=True).count() == 1


def test_the_database_refuses_two_current_focal_points():
    FocalPoint.objects.create(state_id="14", name="A", position="B", email="a@b.gob.mx", designated_on=dt.date.today())
    with pytest.raises(IntegrityError):
        FocalPoint.objects.create(
            state_id="14", name="C", position="D", email="c@d.gob.mx", designated_on=dt.date.today()
        )


@pytest.mark.parametrize(
    "make_user",
    [
        lambda: local_official(InstitutionFactory(state_id="19")),
        analyst,
        lambda: local_official(MunicipalInstitutionFactory()),
    ],
)
def test_only_the_government_itself_names_its_focal_point(make_user):
    with pytest.raises(PermissionDenied):
        _assign(make_user(), get_government("estado", "14"))


def test_personal_email_and_future_dates_are_refused():
    staff = local_official(InstitutionFactory(state_id="14"))
    with pytest.raises(ValidationFailed, match="institucional"):
        _assign(staff, get_government("estado", "14"), email="ana@gmail.com")
    with pytest.raises(ValidationFailed, match="futuro"):
        _assign(staff, get_government("estado", "14"), designated_on=dt.date.today() + dt.timedelta(days=3))


def test_contacts_only_for_signed_in_staff(client):
    FocalPoint.objects.create(
        state_id="14",
        name="Ana Ruiz",
        position="Directora",
        email="ana.ruiz@jalisco.gob.mx",
        phone="33 1234",
        designated_on=dt.date(2025, 1, 1),
    )
    anonymous = APIClient().get("/api/v1/focal-points/").json()["results"][0]
    assert "email" not in anonymous and anonymous["name"] == "Ana Ruiz"
    reader = APIClient()
    reader.force_authenticate(analyst())
    assert "email" not in reader.get("/api/v1/focal-points/").json()["results"][0]
    staff = APIClient()
    staff.force_authenticate(local_official())
    assert staff.get("/api/v1/focal-points/").json()["results"][0]["email"] == "ana.ruiz@jalisco.gob.mx"
    assert "ana.ruiz@jalisco.gob.mx" not in client.get(reverse("geography:state_detail", args=["14"])).content.decode()
    assert "Ana Ruiz" in client.get(reverse("geography:state_detail", args=["14"])).content.decode()


def test_change_of_administration_lists_unconfirmed_governments(client):
    GovernmentTerm.objects.create(state_id="14", started_on=dt.date(2024, 12, 6))
    GovernmentTerm.objects.create(municipality_id="07089", started_on=dt.date(2024, 10, 1))
    old = FocalPoint.objects.create(
        state_id="14", name="Anterior", position="X", email="x@jalisco.gob.mx", designated_on=dt.date(2023, 1, 1)
    )
    FocalPoint.objects.filter(pk=old.pk).update(confirmed_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    response = client.get(reverse("cooperation:change_of_administration"))
    rows = response.context["rows"]
    assert [str(r["government"]) for r in rows] == ["Tapachula", "Jalisco"]  # by INEGI state code
    assert rows[1]["focal_point"] == old and not rows[1]["focal_ok"]
    assert rows[0]["focal_point"] is None
    assert [o.institution.municipality_id for o in rows[0]["stale_offices"]] == ["07089"]
    staff = local_official(InstitutionFactory(state_id="14"))
    services.focal_point_confirm(user=staff, government=get_government("estado", "14"))
    rows = client.get(reverse("cooperation:change_of_administration")).context["rows"]
    jalisco = rows[1]
    assert jalisco["focal_ok"] and [o.institution.state_id for o in jalisco["stale_offices"]] == ["14"]
    from migrants.models import MigrantOffice
    from migrants.services import migrant_office_confirm

    office = MigrantOffice.objects.get(institution__state_id="14", institution__level="state")
    migrant_office_confirm(user=local_official(office.institution), office_id=office.pk)
    rows = client.get(reverse("cooperation:change_of_administration")).context["rows"]
    assert [str(r["government"]) for r in rows] == ["Tapachula"]


def test_handover_report_lists_the_governments_memory(client):
    html = client.get(reverse("geography:handover", args=["municipio", "07089"])).content.decode()
    assert "Grupo de Trabajo Tapachula" in html and "Informe de entrega-recepción" in html
    assert "Dirección de Migración y Política Internacional" in html
    assert client.get(reverse("geography:handover", args=["estado", "99"])).status_code == 404


def test_focal_point_form(client):
    staff = local_official(InstitutionFactory(state_id="14"))
    client.force_login(staff)
    url = reverse("cooperation:focal_point_assign", args=["state", "14"])
    assert client.get(url).status_code == 200
    response = client.post(url, {**DATA, "designated_on": "2025-02-01", "email": "ana@hotmail.com"})
    assert response.status_code == 400 and "institucional" in response.content.decode()
    response = client.post(url, {**DATA, "designated_on": "2025-02-01"})
    assert response.status_code == 302
    client.force_login(analyst())
    assert client.get(url).status_code == 403
