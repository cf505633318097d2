"""Offices edit only themselves; every change is in the office's history."""

import pytest
from django.urls import reverse

from migrants import selectors, services
from migrants.models import MigrantOffice
from portal.core.exceptions import PermissionDenied, ValidationFailed
from portal.institutions.models import Institution
from tests.factories import analyst, dgcp_reviewer, local_official

pytestmark = pytest.mark.django_db


@pytest.fixture
def tapachula_office():
    return MigrantOffice.objects.get(institution__municipality_id="07089")


@pytest.fixture
def tapachula_staff(tapachula_office):
    return local_official(tapachula_office.institution)


def test_office_staff_update_their_office_and_the_change_is_recorded(tapachula_office, tapachula_staff):
    services.migrant_office_update(
        user=tapachula_staff,
        office_id=tapachula_office.pk,
        data={
            "institutional_form": "direccion",
            "creation_year": 2019,
            "populations": ["transit", "asylum_refugees"],
            "services": ["legal_advice", "documentation"],
            "email": "migracion@tapachula.gob.mx",
        },
    )
    tapachula_office.refresh_from_db()
    assert tapachula_office.population_keys == ["transit", "asylum_refugees"] and tapachula_office.confirmed_at
    entry = selectors.office_history(office=tapachula_office)[0]
    assert entry.who == tapachula_staff and entry.kind == "Cambio"
    changes = {c.label: (c.old, c.new) for c in entry.changes}
    assert changes["año de creación"] == ("—", "2019")
    assert changes["correo institucional"] == ("—", "migracion@tapachula.gob.mx")
    assert changes["poblaciones atendidas"] == (
        "—",
        "Personas migrantes en tránsito, Solicitantes de asilo y refugiados",
    )
    assert "forma institucional" not in changes  # unchanged fields are not listed


@pytest.mark.parametrize("make_user", [lambda: local_official(), analyst, dgcp_reviewer])
def test_nobody_else_edits_the_office(tapachula_office, make_user):
    recorded = tapachula_office.history.count()
    with pytest.raises(PermissionDenied):
        services.migrant_office_update(user=make_user(), office_id=tapachula_office.pk, data={"phone": "1"})
    assert tapachula_office.history.count() == recorded


def test_bad_values_are_refused(tapachula_office, tapachula_staff):
    with pytest.raises(ValidationFailed):
        services.migrant_office_update(
            user=tapachula_staff, office_id=tapachula_office.pk, data={"populations": ["martians"]}
        )
    with pytest.raises(ValidationFailed):
        services.migrant_office_update(
            user=tapachula_staff, office_id=tapachula_office.pk, data={"creation_year": 1492}
        )


@pytest.mark.parametrize(("who", "status"), [("own", 200), ("other", 403), ("analyst", 403), ("anonymous", 302)])
def test_edit_page_permission_matrix(client, tapachula_office, tapachula_staff, who, status):
    users = {"own": tapachula_staff, "other": local_official(), "analyst": analyst(), "anonymous": None}
    if users[who]:
        client.force_login(users[who])
    assert client.get(reverse("migrants:office_edit", args=[tapachula_office.pk])).status_code == status


def test_edit_through_the_form_and_see_the_history(client, tapachula_office, tapachula_staff):
    client.force_login(tapachula_staff)
    response = client.post(
        reverse("migrants:office_edit", args=[tapachula_office.pk]),
        {
            "institutional_form": "direccion",
            "parent_body": "Presidencia Municipal",
            "creation_year": "",
            "handles_international_affairs": "true",
            "populations": ["transit"],
            "services": ["shelter"],
            "email": "",
            "phone": "962 000 0000",
            "address": "",
            "website": "",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("migrants:office_detail", args=[tapachula_office.pk])).content.decode()
    assert "Presidencia Municipal" in page and "Historial de cambios" in page and "Dependencia superior" in page
    assert "Albergue" in page


def test_one_office_per_institution():
    from django.db import IntegrityError

    institution = Institution.objects.get(municipality_id="02004", level="municipal")
    with pytest.raises(IntegrityError):
        MigrantOffice.objects.create(institution=institution)
