"""The follow-up's rules: dates in order, no negative budget or values, report periods that continue the last one;
each refused with a clear Spanish message (never a 500), and the derived status and the reminders."""

import datetime as dt
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse

from agreements.followup import selectors, services, tasks
from agreements.followup.choices import FollowupStatus, ReminderKind
from agreements.followup.models import Reminder
from agreements.registry.models import RegistryEntry
from portal.core.exceptions import Conflict, ValidationFailed
from portal.notifications.choices import NoticeEvent
from portal.notifications.models import Notification
from tests.factories import dgcp_reviewer

from .conftest import TODAY, activity_for, make_entry, plan_for

pytestmark = pytest.mark.django_db


def status_of(entry, today=None):
    return selectors.with_followup_status(RegistryEntry.objects.filter(pk=entry.pk), today).get().followup_status


def test_a_plan_must_end_after_it_starts(entry, local):
    with pytest.raises(ValidationFailed) as refused:
        services.work_plan_create(user=local, entry_id=entry.pk, starts_on=TODAY, ends_on=TODAY - dt.timedelta(1))
    assert refused.value.field_errors["ends_on"] == ["El fin del plan debe ser posterior a su inicio."]


def test_a_plan_cannot_start_before_the_signature(entry, local):
    with pytest.raises(ValidationFailed) as refused:
        services.work_plan_create(
            user=local, entry_id=entry.pk, starts_on=entry.signed_on - dt.timedelta(1), ends_on=TODAY
        )
    assert "antes de la firma del acuerdo" in refused.value.field_errors["starts_on"][0]


def test_one_plan_per_agreement(entry, local):
    plan_for(entry, local)
    with pytest.raises(Conflict, match="ya tiene un plan de trabajo"):
        plan_for(entry, local)


def test_activities_refuse_negative_budgets_and_reversed_dates(entry, local):
    plan = plan_for(entry, local)
    start = plan.starts_on
    with pytest.raises(ValidationFailed) as refused:
        activity_for(plan, local, starts_on=start, ends_on=start, budget=Decimal("-1"))
    assert refused.value.field_errors["budget"] == ["El presupuesto no puede ser negativo."]
    with pytest.raises(ValidationFailed) as refused:
        activity_for(plan, local, starts_on=start + dt.timedelta(5), ends_on=start)
    assert refused.value.field_errors["ends_on"] == ["La actividad no puede terminar antes de comenzar."]
    with pytest.raises(ValidationFailed, match="dentro del periodo del plan"):
        activity_for(plan, local, starts_on=start, ends_on=plan.ends_on + dt.timedelta(1))


def test_indicators_custom_need_a_name_and_recommended_ones_their_unit(entry, local):
    plan = plan_for(entry, local)
    with pytest.raises(ValidationFailed) as refused:
        services.indicator_add(user=local, plan_id=plan.pk, kind="custom", target=Decimal(5))
    assert refused.value.field_errors["name"] == ["Escriba el nombre del indicador propio."]
    tourists = services.indicator_add(user=local, plan_id=plan.pk, kind="tourists", target=Decimal(500))
    assert tourists.unit == "turistas" and tourists.label == "Turistas"
    with pytest.raises(Conflict, match="ya tiene el indicador"):
        services.indicator_add(user=local, plan_id=plan.pk, kind="tourists", target=Decimal(1))
    with pytest.raises(ValidationFailed, match="negativo"):
        services.indicator_add(user=local, plan_id=plan.pk, kind="scholarships", target=Decimal(-3))


def test_report_periods_continue_the_last_one_span_six_months_and_have_ended(entry, local):
    plan = plan_for(entry, local)
    start = plan.starts_on
    six = start + relativedelta(months=6) - dt.timedelta(1)

    def file(period_start, period_end, **kwargs):
        return services.report_file(
            user=local, plan_id=plan.pk, period_start=period_start, period_end=period_end, summary="Avances.", **kwargs
        )

    with pytest.raises(ValidationFailed) as refused:
        file(start + dt.timedelta(1), six)
    assert refused.value.field_errors["period_start"][0].startswith(f"El periodo debe comenzar el {start:%d/%m/%Y}")
    with pytest.raises(ValidationFailed) as refused:
        file(start, six + dt.timedelta(1))
    assert "a lo sumo seis meses" in refused.value.field_errors["period_end"][0]
    with pytest.raises(ValidationFailed, match="no puede ser anterior a su inicio"):
        file(start, start - dt.timedelta(1))
    with pytest.raises(ValidationFailed, match="porcentaje entre 0 y 100"):
        activity = activity_for(plan, local, starts_on=start, ends_on=start + dt.timedelta(30))
        file(start, six, progress={activity.pk: {"percent": 140}})
    file(start, six)
    with pytest.raises(ValidationFailed, match=f"comenzar el {six + dt.timedelta(1):%d/%m/%Y}"):
        file(start, six)


def test_a_period_not_yet_ended_cannot_be_reported(office, local):
    recent = make_entry("SEG-0002", institution=office, signed_on=TODAY - dt.timedelta(days=30))
    plan = plan_for(recent, local)
    with pytest.raises(ValidationFailed) as refused:
        services.report_file(
            user=local, plan_id=plan.pk, period_start=plan.starts_on, period_end=TODAY + dt.timedelta(1), summary="x"
        )
    assert refused.value.field_errors["period_end"] == [
        "El periodo informado aún no termina: no puede terminar después de hoy."
    ]


def test_bad_input_on_the_pages_is_a_message_not_a_500(client, entry, local):
    plan = plan_for(entry, local)
    client.force_login(local)
    response = client.post(
        reverse("followup:activity_add", args=[entry.registry_number]),
        {
            "activity-name": "Taller",
            "activity-responsible_name": "Laura",
            "activity-starts_on": f"{plan.starts_on + dt.timedelta(9):%Y-%m-%d}",
            "activity-ends_on": f"{plan.starts_on:%Y-%m-%d}",
            "activity-budget": "-5",
        },
    )
    assert response.status_code == 400
    assert "Asegúrese de que este valor sea mayor o igual a 0" in response.content.decode()
    response = client.post(
        reverse("followup:plan_save", args=[entry.registry_number]),
        {"starts_on": "2026-02-30", "ends_on": "mañana"},
    )
    assert response.status_code == 400 and "Introduzca una fecha válida" in response.content.decode()
    response = client.post(
        reverse("followup:plan_save", args=[entry.registry_number]),
        {"starts_on": f"{plan.starts_on:%Y-%m-%d}", "ends_on": f"{plan.starts_on:%Y-%m-%d}"},
    )
    assert (
        response.status_code == 400 and "El fin del plan debe ser posterior a su inicio." in response.content.decode()
    )


def test_status_no_plan_on_track_late_and_report_overdue(entry, local):
    assert status_of(entry) == FollowupStatus.NO_PLAN
    start = TODAY - dt.timedelta(days=100)
    plan = plan_for(entry, local, starts_on=start)
    assert status_of(entry) == FollowupStatus.ON_TRACK
    activity = activity_for(plan, local, starts_on=start, ends_on=TODAY - dt.timedelta(days=1))
    assert status_of(entry) == FollowupStatus.LATE
    services.report_file(
        user=local,
        plan_id=plan.pk,
        period_start=start,
        period_end=TODAY,
        summary="Concluido.",
        progress={activity.pk: {"percent": 100}},
    )
    assert status_of(entry) == FollowupStatus.ON_TRACK
    # Seven months and more than thirty days later the next report is overdue.
    later = TODAY + relativedelta(months=6) + dt.timedelta(days=31)
    assert status_of(entry, later) == FollowupStatus.REPORT_OVERDUE
    assert selectors.next_report(plan, TODAY, later).overdue


def test_a_plan_with_a_late_report_shows_it_and_reminds_once(entry, local, django_capture_on_commit_callbacks):
    dgcp = dgcp_reviewer()
    start = TODAY - relativedelta(months=8)
    plan = plan_for(entry, local, starts_on=start)
    assert status_of(entry) == FollowupStatus.REPORT_OVERDUE
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.followup_reminders_task() == 1
        assert tasks.followup_reminders_task() == 0  # the beat runs again: nothing new
    reminder = Reminder.objects.get(entry=entry)
    expected = selectors.next_report(plan, None)
    assert (reminder.kind, reminder.due_on, reminder.recipients) == (ReminderKind.REPORT_DUE, expected.due_on, 1)
    notices = Notification.objects.filter(event=NoticeEvent.FOLLOWUP_REPORT_DUE)
    assert [n.recipient for n in notices] == [local]  # the signing office only
    assert not Notification.objects.filter(recipient=dgcp).exists()
    assert entry.registry_number in notices[0].subject
    assert f"{expected.due_on:%d/%m/%Y}" in notices[0].body


def test_a_missing_plan_is_reminded_sixty_days_after_registration_once(office, local):
    fresh = make_entry("SEG-0003", institution=office, signed_on=TODAY - dt.timedelta(days=59))
    old = make_entry("SEG-0004", institution=office, signed_on=TODAY - dt.timedelta(days=61))
    make_entry("SEG-0005", institution=None, signed_on=TODAY - dt.timedelta(days=400))  # not a portal office's
    assert services.followup_reminders_send() == 1
    assert services.followup_reminders_send() == 0
    assert list(Reminder.objects.values_list("entry_id", "kind")) == [(old.pk, ReminderKind.PLAN_MISSING)]
    assert not Reminder.objects.filter(entry=fresh).exists()
    notice = Notification.objects.get(event=NoticeEvent.FOLLOWUP_PLAN_MISSING)
    assert notice.recipient == local and "SEG-0004" in notice.subject


def test_the_office_files_a_report_with_evidence_on_the_page_and_a_bad_pdf_is_refused(client, entry, local):
    start = TODAY - relativedelta(months=7)
    plan = plan_for(entry, local, starts_on=start)
    activity = activity_for(plan, local, starts_on=start, ends_on=start + dt.timedelta(days=20))
    tourists = services.indicator_add(user=local, plan_id=plan.pk, kind="tourists", target=Decimal(900))
    client.force_login(local)
    url = reverse("followup:report_create", args=[entry.registry_number])
    page = client.get(url)
    assert page.status_code == 200
    expected = selectors.next_report(plan, None)
    data = {
        "period_start": f"{expected.period_start:%Y-%m-%d}",
        "period_end": f"{expected.period_end:%Y-%m-%d}",
        "summary": "Se recibió a 450 turistas.",
        f"activity_{activity.pk}_percent": "100",
        f"indicator_{tourists.pk}_value": "450",
    }
    from tests import documents

    refused = client.post(url, {**data, "evidence": documents.upload("foto.pdf", b"no soy un PDF")})
    assert refused.status_code == 400
    assert "no es un documento PDF válido" in refused.content.decode()
    assert not plan.reports.exists()
    filed = client.post(url, {**data, "evidence": documents.pdf_upload("minuta.pdf", "Minuta de la visita")})
    assert filed.status_code == 302
    report = plan.reports.get()
    assert report.evidence.get().name == "minuta.pdf"
    assert report.indicator_values.get().value == Decimal(450)
    assert status_of(entry) == FollowupStatus.ON_TRACK
    detail = client.get(reverse("followup:entry_detail", args=[entry.registry_number])).content.decode()
    assert "minuta.pdf" in detail and "Informe semestral presentado" in detail


def test_changing_the_plan_keeps_its_activities_inside_and_is_on_the_timeline(entry, local):
    plan = plan_for(entry, local)
    activity_for(plan, local, starts_on=plan.starts_on, ends_on=plan.starts_on + dt.timedelta(days=300))
    with pytest.raises(ValidationFailed, match="«Taller» quedaría fuera del periodo del plan"):
        services.work_plan_update(
            user=local, plan_id=plan.pk, starts_on=plan.starts_on, ends_on=plan.starts_on + dt.timedelta(days=100)
        )
    services.work_plan_update(
        user=local, plan_id=plan.pk, starts_on=plan.starts_on, ends_on=plan.ends_on, objectives="Nuevos objetivos."
    )
    actions = list(selectors.entry_timeline(entry).values_list("action", flat=True))
    assert actions == ["plan_created", "activity_added", "plan_updated"]
