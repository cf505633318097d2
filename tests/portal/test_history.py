"""Offices, focal points and partnerships keep a history of every change, however it is made.

The hand-written audit only saw the portal's own services: an edit in the admin, in a shell or in bulk left no
trace. django-simple-history records saves and deletes from anywhere; bulk update/create go through the library.
"""

import datetime as dt

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from cooperation.models import FocalPoint, Organisation, Partnership
from migrants import selectors
from migrants.models import MigrantOffice
from portal.institutions.models import Institution
from tests.factories import admin_user, local_official

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    return MigrantOffice.objects.select_related("institution").get(institution__municipality_id="07089")


def _admin_form(office, **changes):
    data = {
        "institution": office.institution_id,
        "official_name_known": "on" if office.official_name_known else "",
        "institutional_form": office.institutional_form,
        "parent_body": office.parent_body,
        "creation_year": office.creation_year or "",
        "handles_international_affairs": {None: "unknown", True: "true", False: "false"}[
            office.handles_international_affairs
        ],
        "populations": office.population_keys,
        "services": office.service_keys,
        "email": office.email,
        "phone": office.phone,
        "address": office.address,
        "website": office.website,
        "confirmed_at_0": "",
        "confirmed_at_1": "",
        "source": office.source,
        "offices_abroad-TOTAL_FORMS": "0",
        "offices_abroad-INITIAL_FORMS": "0",
        "offices_abroad-MIN_NUM_FORMS": "0",
        "offices_abroad-MAX_NUM_FORMS": "1000",
    }
    return {**data, **changes}


def test_an_admin_edit_is_in_the_history_with_its_author(client, office):
    admin = admin_user(first_name="Irene", last_name="Administradora")
    client.force_login(admin)
    response = client.post(
        reverse("admin:migrants_migrantoffice_change", args=[office.pk]), _admin_form(office, phone="962 111 2233")
    )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    entry = selectors.office_history(office=office)[0]
    assert entry.who == admin and entry.kind == "Cambio"
    assert [(c.label, c.new) for c in entry.changes] == [("teléfono", "962 111 2233")]
    page = client.get(reverse("migrants:office_detail", args=[office.pk])).content.decode()
    assert "Irene Administradora" in page and "962 111 2233" in page and "Teléfono" in page
    admin_history = client.get(reverse("admin:migrants_migrantoffice_history", args=[office.pk]))
    assert admin_history.status_code == 200 and str(admin) in admin_history.content.decode()


def test_a_shell_edit_is_in_the_history_without_an_author(client, office):
    office.parent_body = "Secretaría del Ayuntamiento"
    office.save()  # what `manage.py shell` does: no request, no service
    entry = selectors.office_history(office=office)[0]
    assert entry.who is None
    assert [(c.label, c.old, c.new) for c in entry.changes] == [
        ("dependencia superior", "—", "Secretaría del Ayuntamiento")
    ]
    page = client.get(reverse("migrants:office_detail", args=[office.pk])).content.decode()
    assert "Secretaría del Ayuntamiento" in page and "sin usuario (consola o proceso automático)" in page


def test_bulk_update_and_bulk_create_are_recorded(office):
    before = office.history.count()
    MigrantOffice.objects.filter(pk=office.pk).update(address="Av. Central 1")
    assert office.history.count() == before + 1
    assert office.history.first().address == "Av. Central 1"
    assert [c.new for c in selectors.office_history(office=office)[0].changes] == ["Av. Central 1"]

    organisation = Organisation.objects.first()
    institution = Institution.objects.filter(level="state").first()
    (created,) = Partnership.objects.bulk_create(
        [Partnership(institution=institution, organisation=organisation, instrument="mou", title="Carta de intención")]
    )
    assert list(created.history.values_list("history_type", "title")) == [("+", "Carta de intención")]


def test_deleting_keeps_the_history():
    point = FocalPoint.objects.create(
        state_id="14",
        name="Ana Ruiz",
        position="Directora",
        email="ana@jalisco.gob.mx",
        designated_on=dt.date(2025, 1, 1),
    )
    pk = point.pk
    FocalPoint.objects.filter(pk=pk).delete()  # a bulk delete sends the signals the history listens to
    assert list(FocalPoint.history.filter(id=pk).values_list("history_type", flat=True)) == ["-", "+"]


def test_the_office_page_reads_the_history_in_constant_queries(client, office, django_assert_max_num_queries):
    url = reverse("migrants:office_detail", args=[office.pk])
    client.get(url)
    for n in range(30):
        office.phone = f"962 000 {n:04d}"
        office.save()
    with django_assert_max_num_queries(12):
        response = client.get(url)
    # The contact line, then 30 changes: each new value, and the old value of all but the first.
    assert response.content.decode().count("962 000 00") == 1 + 30 + 29


@pytest.mark.postgres
@pytest.mark.skipif(not settings.USING_POSTGRES, reason="the trigger exists on PostgreSQL only")
def test_postgresql_keeps_the_history_tables_append_only(office):
    office.phone = "1"
    office.save()
    for sql in (
        "UPDATE migrants_historicalmigrantoffice SET phone = 'x'",
        "DELETE FROM migrants_historicalmigrantoffice",
        "UPDATE cooperation_historicalpartnership SET title = 'x'",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert office.history.filter(phone="1").exists()


@pytest.mark.postgres
@pytest.mark.skipif(not settings.USING_POSTGRES, reason="the trigger exists on PostgreSQL only")
def test_deleting_an_account_only_clears_its_name_from_the_history(office):
    editor = local_official(office.institution)
    office._history_user = editor
    office.phone = "2"
    office.save()
    editor.delete()
    record = office.history.filter(phone="2").get()
    assert record.history_user_id is None and record.phone == "2"


def test_focal_point_assignment_records_its_author_on_both_points():
    from cooperation import services
    from portal.geography.government import get_government
    from tests.factories import InstitutionFactory

    jalisco = get_government("estado", "14")
    staff = local_official(InstitutionFactory(state_id="14"))
    data = {"name": "Ana Ruiz", "position": "Directora", "email": "ana@jalisco.gob.mx"}
    first = services.focal_point_assign(
        user=staff, government=jalisco, data={**data, "designated_on": dt.date(2025, 1, 1)}
    )
    services.focal_point_assign(
        user=staff, government=jalisco, data={**data, "name": "Beatriz Luna", "designated_on": dt.date(2025, 6, 1)}
    )
    ended = first.history.first()
    assert (ended.history_type, ended.is_current, ended.history_user) == ("~", False, staff)
    assert FocalPoint.history.filter(name="Beatriz Luna", history_type="+", history_user=staff).exists()


def test_events_of_the_former_hand_written_audit_stay_readable(client, office):
    from portal.audit.models import AuditEvent

    AuditEvent.objects.create(
        action="migrant_office.update",
        target_type="migrants.migrantoffice",
        target_id=str(office.pk),
        target_repr=str(office),
        changes={"phone": ["", "962 555 0000"]},
    )
    page = client.get(reverse("migrants:office_detail", args=[office.pk])).content.decode()
    assert "Registro anterior al historial" in page and "962 555 0000" in page


def test_saves_that_change_nothing_leave_no_history(office):
    from django.core.management import call_command

    counts = (MigrantOffice.history.count(), Partnership.history.count())
    office.save()
    call_command("load_reference_data", verbosity=0)  # update_or_create of every office and partnership
    assert (MigrantOffice.history.count(), Partnership.history.count()) == counts
    office.phone = "962 123 4567"
    office.save()
    assert MigrantOffice.history.count() == counts[0] + 1
