"""Timeline events and notices are codes with parameters, checked by the database and read in the reader's
language (issue 9, item 7)."""

import importlib

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from agreements import events, services
from agreements.choices import ActorRole, ReviewerMove, TimelineAction, TimelineDecision
from agreements.models import TimelineEvent
from agreements.workflow import Action, Actor
from portal.notifications.choices import NoticeEvent
from portal.notifications.models import Notification
from tests import documents

pytestmark = pytest.mark.django_db

migration = importlib.import_module("agreements.migrations.0027_timeline_event_codes")


def test_the_timeline_vocabularies_are_the_workflow_s():
    assert set(TimelineAction.values) == {"create", *(a.value for a in Action), *(m.value for m in ReviewerMove)}
    assert set(ActorRole.values) == {a.value for a in Actor}


@pytest.mark.parametrize(
    "field,value", [("action", "inscribió"), ("actor_role", "superuser"), ("decision", "R-0001/2026")]
)
def test_the_database_refuses_a_free_string_in_the_timeline(cases, field, value):
    case = cases.draft()
    row = {"action": "create", "actor_role": "local", "decision": "", field: value}
    with pytest.raises(IntegrityError), transaction.atomic():
        TimelineEvent.objects.create(agreement=case, from_status="draft", to_status="draft", **row)


def test_the_database_refuses_an_unknown_notice_event(local):
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=local, event="Dictamen listo", subject="x", body="x")


def _revised_and_registered(cases, run_on_commit, local, dgcp, cja):
    case = cases.awaiting_signature("viable_with_observations", [{"text": "Precise la vigencia.", "clause": ""}])
    run_on_commit(
        services.observation_answer, user=local, agreement_id=case.pk, number=1, answer="addressed", reply="Hecho."
    )
    run_on_commit(
        services.revision_submit,
        user=local,
        agreement_id=case.pk,
        upload=documents.docx_upload(text="Cláusula 1. Objeto.\nCláusula 2. Vigencia de tres años."),
    )
    return case


def test_the_timeline_stores_facts_and_reads_them_in_the_reader_s_language(
    cases, run_on_commit, local, dgcp, cja, client
):
    case = _revised_and_registered(cases, run_on_commit, local, dgcp, cja)
    revision = case.timeline.get(action=Action.SUBMIT_REVISION)
    assert (revision.params, revision.comment) == ({"version": 2}, "")
    answer = case.timeline.get(action=Action.ANSWER_OBSERVATION)
    assert (answer.decision, answer.params, answer.comment) == ("addressed", {"number": 1}, "Hecho.")
    deadline = case.timeline.filter(action=Action.COMPUTE_DEADLINE).first()
    assert deadline.decision == "on_time" and deadline.params["deadline"] == case.cja_deadline.isoformat()
    with translation.override("en"):
        assert revision.detail == "Version 2 of the final text"
        assert answer.detail.startswith("Observation 1")
        assert "Versión" not in deadline.detail and case.cja_deadline.strftime("%d/%m/%Y") in deadline.detail
    with translation.override("es-mx"):
        assert revision.detail == "Versión 2 del texto final"
    client.force_login(local)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("agreements:agreement_detail", args=[case.pk])).content.decode()
    assert "Version 2 of the final text" in html and "Versión 2 del texto final" not in html


def test_a_registration_reads_in_english(cases, run_on_commit, cja):
    case = cases.registration_requested()
    run_on_commit(
        services.agreement_register,
        user=cja,
        agreement_id=case.pk,
        registry_number="R-0042-2026",
        registered_on=services.today(),
        recommendations_incorporated=True,
    )
    event = case.timeline.get(action=Action.REGISTER)
    assert event.decision == "" and event.params["number"] == "R-0042-2026"
    with translation.override("en"):
        assert event.detail == f"Registered under number R-0042-2026 on {services.today():%d/%m/%Y}"


def test_notices_are_stored_as_events_and_read_in_the_reader_s_language(cases, dgcp):
    case = cases.in_review()
    notice = dgcp.notifications.get(event=NoticeEvent.SUBMITTED)
    assert notice.agreement == case and notice.params["cja_deadline"] == case.cja_deadline.isoformat()
    assert notice.subject == f"Nueva solicitud de dictamen {case.folio}"  # the record, in Spanish
    subject, body = notice.rendered("en")
    assert subject == f"New legal opinion request {case.folio}"
    assert "solicitud de dictamen" not in body and case.cja_deadline.strftime("%d/%m/%Y") in body


@pytest.mark.parametrize(
    "action,comment,decision,expected_params,expected_comment",
    [
        ("submit_revision", "Versión 3 del texto final", "", {"version": 3}, ""),
        (
            "register",
            "Inscrito con el número R-7 el 02/03/2026",
            "R-7",
            {"number": "R-7", "registered_on": "2026-03-02"},
            "",
        ),
        (
            "compute_deadline",
            "Recibido después del 05/01/2026, con justificación de urgencia.",
            "late",
            {"deadline": "2026-01-05", "urgent": True},
            "",
        ),
        ("answer_observation", "2. Se ajustó la cláusula.", "addressed", {"number": 2}, "Se ajustó la cláusula."),
        (
            "upload_signed_copy",
            "Firmado el 10/02/2026 en Kraków · coincidencia con el texto dictaminado: 42.5 % (otra edición)",
            "",
            {"signed_on": "2026-02-10", "place": "Kraków", "match": 42.5, "low_match": True},
            "otra edición",
        ),
        ("check_completeness", "Documentación completa; turnado a la Consultoría Jurídica.", "", {}, ""),
        ("return_for_corrections", "Falta la firma del oficio.", "", {}, "Falta la firma del oficio."),
    ],
)
def test_the_migration_moves_system_sentences_to_parameters(
    action, comment, decision, expected_params, expected_comment
):
    row = TimelineEvent(action=action, comment=comment, decision=decision, params={})
    migration.convert(row)
    assert (row.params, row.comment) == (expected_params, expected_comment)
    assert row.decision in ("", *TimelineDecision.values)


def test_every_described_action_is_a_timeline_action():
    assert set(events.DESCRIPTIONS) <= set(TimelineAction.values)
