"""The agreement's term (vigencia): recorded at filing, confirmed with the signed copy, carried to the
registry, and the expiry reminders at 90, 30 and 7 days and on the day, each sent once."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from agreements import services, validity
from agreements.choices import Status
from agreements.models import Agreement
from agreements.registry import services as registry_services
from agreements.registry.models import RegistryEntry
from cooperation.models import FocalPoint
from portal.core.exceptions import ValidationFailed
from tests import documents
from tests.cases import CASE_DATA
from tests.factories import InstitutionFactory, dgcp_reviewer, future_date, local_official

# --- the pure rules (no database) ----------------------------------------------


@pytest.mark.unit
@pytest.mark.parametrize(
    ("starts", "years", "months", "ends"),
    [
        (dt.date(2026, 3, 1), 3, 0, dt.date(2029, 2, 28)),
        (dt.date(2026, 1, 15), 0, 18, dt.date(2027, 7, 14)),
        (dt.date(2026, 8, 31), 2, 6, dt.date(2029, 2, 27)),
    ],
)
def test_the_last_day_in_force_is_the_day_before_the_anniversary(starts, years, months, ends):
    assert validity.end_date(starts_on=starts, term="fixed", years=years, months=months) == ends


@pytest.mark.unit
def test_no_end_date_when_indefinite_unrecorded_or_not_yet_in_force():
    assert validity.end_date(starts_on=dt.date(2026, 1, 1), term="indefinite", years=None, months=None) is None
    assert validity.end_date(starts_on=dt.date(2026, 1, 1), term="", years=None, months=None) is None
    assert validity.end_date(starts_on=None, term="fixed", years=3, months=0) is None


@pytest.mark.unit
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "entry_into_force"),
        ({"entry_into_force": "on_signature"}, "term"),
        ({"entry_into_force": "on_date", "term": "indefinite"}, "entry_into_force_on"),
        ({"entry_into_force": "on_signature", "term": "fixed"}, "term_years"),
        ({"entry_into_force": "on_signature", "term": "fixed", "term_years": 100}, "term_years"),
        ({"entry_into_force": "on_signature", "term": "fixed", "term_months": -1}, "term_months"),
        ({"entry_into_force": "on_signature", "term": "indefinite", "automatic_renewal": True}, "automatic_renewal"),
    ],
)
def test_an_incomplete_or_contradictory_term_is_refused_field_by_field(data, field):
    _clean, errors = validity.clean_term(data)
    assert field in errors


@pytest.mark.unit
def test_a_consistent_term_is_normalised():
    clean, errors = validity.clean_term(
        {
            "entry_into_force": "on_signature",
            "entry_into_force_on": dt.date(2027, 1, 1),
            "term": "fixed",
            "term_months": 18,
        }
    )
    assert not errors
    assert clean == {
        "entry_into_force": "on_signature",
        "entry_into_force_on": None,  # known only once signed
        "term": "fixed",
        "term_years": 0,
        "term_months": 18,
        "automatic_renewal": False,
    }
    assert validity.clean_term({"title": "x"}, partial=True) == ({}, {})


@pytest.mark.unit
def test_the_signed_copy_confirms_the_entry_into_force():
    signed, today = dt.date(2026, 5, 4), dt.date(2026, 5, 20)

    def confirm(kind, agreed=None, given=None):
        return validity.confirm_entry_into_force(
            entry_into_force=kind, agreed_on=agreed, signed_on=signed, given_on=given, today=today
        )

    assert confirm("on_signature") == (signed, None)
    assert confirm("on_signature", given=dt.date(2026, 5, 10))[1]  # contradicts "on signature"
    assert confirm("on_date", agreed=dt.date(2026, 6, 1)) == (dt.date(2026, 6, 1), None)
    assert confirm("on_date", agreed=dt.date(2026, 6, 1), given=dt.date(2026, 7, 1)) == (dt.date(2026, 7, 1), None)
    assert confirm("on_date", agreed=dt.date(2026, 4, 1))[1]  # before the signature
    assert confirm("on_last_notification")[1]  # the filer must state it
    assert confirm("on_last_notification", given=dt.date(2026, 5, 18)) == (dt.date(2026, 5, 18), None)
    assert confirm("on_last_notification", given=dt.date(2026, 5, 21))[1]  # in the future
    assert confirm("") == (None, None)  # a case filed before the term was recorded


# --- filing ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_request_without_its_term_is_refused(local):
    data = {k: v for k, v in CASE_DATA.items() if k not in validity.TERM_FIELDS}
    with pytest.raises(ValidationFailed) as refused:
        services.agreement_create(user=local, data={**data, "intended_signing_date": future_date()})
    assert {"entry_into_force", "term"} <= refused.value.field_errors.keys()
    assert not Agreement.objects.exists()


@pytest.mark.django_db
def test_the_web_form_asks_for_the_term_and_shows_it_on_the_case(client, local):
    client.force_login(local)
    page = client.get(reverse("agreements:agreement_create")).content.decode()
    assert 'name="entry_into_force"' in page and 'name="term_years"' in page and 'name="automatic_renewal"' in page
    data = {**CASE_DATA, "intended_signing_date": future_date(40).isoformat(), "term": "fixed", "term_years": ""}
    data.pop("term_months")
    response = client.post(reverse("agreements:agreement_create"), data)
    assert response.status_code == 400
    assert "Indique la duración del acuerdo" in response.content.decode()
    data.update(term_years="2", term_months="6", automatic_renewal="on")
    response = client.post(reverse("agreements:agreement_create"), data)
    case = Agreement.objects.get()
    assert (case.term, case.term_years, case.term_months, case.automatic_renewal) == ("fixed", 2, 6, True)
    page = client.get(response.url).content.decode()
    assert "2 años y 6 meses" in page and "con renovación automática" in page
    english = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2 years and 6 months" in english and "with automatic renewal" in english


@pytest.mark.django_db
def test_the_api_refuses_a_term_without_its_entry_into_force(local):
    client = APIClient()
    client.force_authenticate(local)
    data = {**CASE_DATA, "intended_signing_date": future_date().isoformat()}
    data.pop("entry_into_force")
    response = client.post("/api/v1/agreements/", data, format="json")
    assert response.status_code == 400 and "entry_into_force" in response.json()["errors"]
    response = client.post(
        "/api/v1/agreements/",
        {**data, "entry_into_force": "on_date", "entry_into_force_on": future_date(90).isoformat()},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["entry_into_force_on"] == future_date(90).isoformat()
    assert body["validity_ends_on"] == (future_date(90) + relativedelta(years=3) - dt.timedelta(days=1)).isoformat()


# --- signed copy and registration -----------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("term", "signed_days_ago", "given", "expected_end"),
    [
        # In force on signature, three years: the registry reads the day before the third anniversary.
        ({}, 0, None, lambda signed: signed + relativedelta(years=3) - dt.timedelta(days=1)),
        # In force on the last notification (stated with the signed copy), 18 months.
        (
            {"entry_into_force": "on_last_notification", "term_years": 0, "term_months": 18},
            0,
            0,
            lambda signed: signed + relativedelta(months=18) - dt.timedelta(days=1),
        ),
        # Indefinite: open-ended in the registry.
        ({"term": "indefinite", "term_years": None, "term_months": None}, 0, None, lambda signed: None),
    ],
)
def test_registration_carries_the_computed_end_into_the_registry(
    client, run_on_commit, cases, local, cja, term, signed_days_ago, given, expected_end
):
    original = cases.draft
    cases.draft = lambda **overrides: original(**{**term, **overrides})
    case = cases.awaiting_signature()
    today = services.today()
    signed = today - dt.timedelta(days=signed_days_ago)
    run_on_commit(
        services.signed_copy_submit,
        user=local,
        agreement_id=case.pk,
        upload=documents.pdf_upload("firmado.pdf", "Cláusula 1. Objeto. Cláusula 2. Vigencia."),
        signed_on=signed,
        signed_place="Kraków, Polonia",
        entry_into_force_on=today - dt.timedelta(days=given) if given is not None else None,
        low_match_reason="Se revisó: es el texto firmado.",
    )
    run_on_commit(
        services.agreement_register,
        user=cja,
        agreement_id=case.pk,
        registry_number="REG-2026-001",
        registered_on=today,
        recommendations_incorporated=True,
    )
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    entry = RegistryEntry.objects.get(agreement=case)
    assert entry.expires_on == expected_end(signed)
    page = client.get(reverse("agreements:registry_detail", args=[entry.registry_number])).content.decode()
    if entry.expires_on:
        assert f"{entry.expires_on:%d/%m/%Y}" in page
    else:
        assert "Indefinida" in page


@pytest.mark.django_db
def test_a_signed_copy_needs_the_notification_date_when_the_term_starts_with_it(run_on_commit, cases, local):
    original = cases.draft
    cases.draft = lambda **overrides: original(**{"entry_into_force": "on_last_notification", **overrides})
    case = cases.awaiting_signature()
    with pytest.raises(ValidationFailed) as refused:
        services.signed_copy_submit(
            user=local,
            agreement_id=case.pk,
            upload=documents.pdf_upload("firmado.pdf"),
            signed_on=services.today(),
            signed_place="Kraków",
        )
    assert "entry_into_force_on" in refused.value.field_errors
    case.refresh_from_db()
    assert case.status == Status.AWAITING_SIGNATURE and not case.documents.filter(kind="signed_copy").exists()


@pytest.mark.django_db
def test_the_signature_form_offers_the_entry_into_force_date(client, cases, local):
    case = cases.awaiting_signature()
    client.force_login(local)
    page = client.get(reverse("agreements:agreement_detail", args=[case.pk])).content.decode()
    assert 'id="signature-form"' in page and 'name="entry_into_force_on"' in page


# --- expiry reminders ---------------------------------------------------------------------


def _entry(institution, ends_on, number="VIG-001", **extra):
    return RegistryEntry.objects.create(
        registry_number=number,
        title="Hermanamiento con Tecún Umán",
        kind="twinning",
        level="state",
        state_id="14",
        signing_office=institution.name if institution else "Oficina",
        counterpart_name="Municipalidad de Tecún Umán",
        counterpart_type="government",
        counterpart_country="GT",
        region="latin_america_caribbean",
        signed_on=dt.date(2020, 1, 1),
        registered_on=dt.date(2020, 2, 1),
        expires_on=ends_on,
        institution=institution,
        source="workflow",
        **extra,
    )


def _run(day, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return registry_services.registry_expiry_reminders(today=day)


@pytest.mark.django_db
def test_reminders_go_at_90_30_7_and_0_days_each_once(local, django_capture_on_commit_callbacks):
    colleague = local_official(institution=local.institution)
    gone = local_official(institution=local.institution, is_active=False)
    other_office = local_official()
    ends = dt.date(2027, 6, 30)
    entry = _entry(local.institution, ends)
    sent_on = []
    day = ends - dt.timedelta(days=120)
    while day <= ends + dt.timedelta(days=5):
        # The beat task runs every day, twice on some days (a re-run never repeats a reminder).
        if _run(day, django_capture_on_commit_callbacks):
            sent_on.append((ends - day).days)
        assert _run(day, django_capture_on_commit_callbacks) == 0
        day += dt.timedelta(days=1)
    assert sent_on == [90, 30, 7, 0]
    entry.refresh_from_db()
    assert entry.expiry_reminder_stage == 0
    for person in (local, colleague):
        subjects = list(person.notifications.order_by("id").values_list("subject", flat=True))
        assert len(subjects) == 4
        assert subjects[-1] == "El acuerdo VIG-001 concluye su vigencia hoy"
    assert not gone.notifications.exists() and not other_office.notifications.exists()
    bodies = [m.body for m in mail.outbox if m.to == [local.email]]
    assert len(bodies) == 4
    assert "dentro de 90 días" in bodies[0] and "dentro de 7 días" in bodies[2]
    assert "Hoy es el último día de vigencia" in bodies[3]


@pytest.mark.django_db
def test_a_missed_day_sends_the_reminder_then_due_and_none_twice(local, django_capture_on_commit_callbacks):
    ends = dt.date(2027, 6, 30)
    _entry(local.institution, ends)
    assert _run(ends - dt.timedelta(days=20), django_capture_on_commit_callbacks) == 1  # the 30-day one, late
    assert _run(ends - dt.timedelta(days=8), django_capture_on_commit_callbacks) == 0
    assert _run(ends - dt.timedelta(days=3), django_capture_on_commit_callbacks) == 1  # the 7-day one
    assert local.notifications.count() == 2


@pytest.mark.django_db
def test_an_office_without_active_staff_reaches_its_focal_point_else_the_dgcp(django_capture_on_commit_callbacks):
    ends = dt.date(2027, 6, 30)
    day = ends - dt.timedelta(days=30)
    dgcp = dgcp_reviewer()
    # 1. No staff, a focal point with no portal account: an e-mail to its address.
    office = InstitutionFactory(state_id="14")
    FocalPoint.objects.create(
        state_id="14",
        institution=office,
        name="Rosa Méndez",
        position="Enlace internacional",
        email="rosa.mendez@jalisco.gob.mx",
        designated_on=dt.date(2025, 1, 1),
    )
    _entry(office, ends, "VIG-010")
    mail.outbox.clear()
    assert _run(day, django_capture_on_commit_callbacks) == 1
    assert [m.to for m in mail.outbox] == [["rosa.mendez@jalisco.gob.mx"]]
    assert "VIG-010" in mail.outbox[0].subject and "/registro/acuerdo/VIG-010/" in mail.outbox[0].body
    assert not dgcp.notifications.exists()
    # 2. No staff and no focal point anywhere for the office: the DGCP.
    orphan = InstitutionFactory(level="municipal", state_id="07", municipality_id="07089")
    _entry(orphan, ends, "VIG-011")
    assert _run(day, django_capture_on_commit_callbacks) == 1
    assert list(dgcp.notifications.values_list("subject", flat=True)) == [
        f"El acuerdo VIG-011 concluye su vigencia el {ends:%d/%m/%Y}"
    ]


@pytest.mark.django_db
def test_the_reminder_for_an_automatic_renewal_says_so(local, django_capture_on_commit_callbacks):
    ends = dt.date(2027, 6, 30)
    _entry(local.institution, ends, automatic_renewal=True)
    _run(ends - dt.timedelta(days=7), django_capture_on_commit_callbacks)
    assert "renovación automática" in local.notifications.get().body
