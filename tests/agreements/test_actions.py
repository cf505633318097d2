"""Unit tests of the action table (agreements/actions.py): every rule, no database."""

import datetime as dt
import inspect
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from agreements import actions, services, workflow
from agreements.actions import ACTIONS, HUMAN_ACTIONS, CaseFacts, Recipient
from agreements.choices import DictamenOutcome, DocumentKind, Status
from agreements.workflow import Action, Actor
from portal.notifications.choices import NoticeEvent

pytestmark = pytest.mark.unit

TODAY = dt.date(2026, 6, 1)


def facts(**kwargs):
    return CaseFacts(**{"status": Status.DRAFT, "today": TODAY, **kwargs})


# --- the table is complete and consistent -------------------------------------------------


def test_every_action_is_declared_once():
    assert set(ACTIONS) == set(Action)
    assert all(spec.action == action for action, spec in ACTIONS.items())


def test_automatic_steps_are_the_system_ones():
    assert {spec.action for spec in ACTIONS.values() if spec.automatic} == set(workflow.AUTOMATIC_NEXT.values())
    for spec in HUMAN_ACTIONS:
        assert Actor.SYSTEM not in spec.actors and spec.service and spec.html_name and spec.api_name
        assert spec.success and spec.heading and spec.button


@pytest.mark.parametrize("spec", HUMAN_ACTIONS, ids=lambda spec: spec.action.value)
def test_each_form_and_serializer_feeds_its_service(spec):
    """The dispatchers pass a form's or serializer's fields (renamed by ``inputs``) straight to the service."""
    service = getattr(services, spec.service)
    parameters = inspect.signature(service).parameters
    assert {"user", "agreement_id"} <= set(parameters)
    assert all(p.kind == p.KEYWORD_ONLY for p in parameters.values())
    url_kwargs = {part.split(":")[1].rstrip(">") for part in spec.html_path.split("/") if part.startswith("<")}
    for source in filter(None, (spec.form, spec.serializer)):
        fields = set(source.base_fields if hasattr(source, "base_fields") else source().fields)
        if spec.action == Action.ANSWER_OBSERVATION and source is spec.serializer:
            fields.add("number")  # from the API path
        names = {spec.inputs.get(name, name) for name in fields} | url_kwargs | {"user", "agreement_id"}
        assert names <= set(parameters), (source, names - set(parameters))
        required = {n for n, p in parameters.items() if p.default is inspect.Parameter.empty}
        assert required <= names, (source, required - names)


def test_routes_and_names_are_unique_and_keep_the_old_urls():
    assert len({spec.html_name for spec in HUMAN_ACTIONS}) == len(HUMAN_ACTIONS)
    assert len({spec.api_name for spec in HUMAN_ACTIONS}) == len(HUMAN_ACTIONS)
    assert reverse("agreements:agreement_submit", args=[7]) == "/expedientes/7/enviar/"
    assert reverse("agreements:signature_submit", args=[7]) == "/expedientes/7/firma/"
    assert reverse("agreements:document_remove", args=[7, 3]) == "/expedientes/7/documentos/3/eliminar/"
    assert reverse("api:agreement-dictamen-approve", args=[7]) == "/api/v1/agreements/7/dictamen/approve/"
    assert reverse("api:agreement-observation-answer", args=[7, 2]) == "/api/v1/agreements/7/observations/2/answer/"


def test_every_notice_event_is_a_code_with_its_own_wording():
    notices = Path(settings.BASE_DIR, "templates/agreements/notices")
    for event in NoticeEvent.values:  # one subject and one body per event, no if/elif over events
        for part in ("subject", "body"):
            template = (notices / f"{event}_{part}.txt").read_text()
            assert "event ==" not in template, (event, part)
    for spec in ACTIONS.values():
        for table in (spec.notices, spec.fallback.notices if spec.fallback else {}):
            for recipient, event in table.items():
                assert isinstance(recipient, Recipient)
                assert event in NoticeEvent.values, event


# --- moves: sources, targets, endings ---------------------------------------------------------


def test_the_not_viable_ending_and_the_returns():
    approve = ACTIONS[Action.APPROVE_DICTAMEN]
    assert approve.target_for(DictamenOutcome.NOT_VIABLE) == Status.NOT_VIABLE
    assert approve.target_for(DictamenOutcome.VIABLE_WITH_OBSERVATIONS) == Status.AWAITING_SIGNATURE
    assert approve.target_for(None) == Status.AWAITING_SIGNATURE


def test_documents_are_corrected_only_while_the_case_is_editable():
    for action in (Action.UPLOAD_DOCUMENT, Action.REPLACE_DOCUMENT, Action.REMOVE_DOCUMENT):
        assert ACTIONS[action].sources == workflow.EDITABLE_STATUSES
        assert ACTIONS[action].actors == {Actor.LOCAL}


def test_upload_step_numbers_and_types():
    assert {kind: rule.step for kind, rule in actions.DOCUMENT_RULES.items()} == {
        DocumentKind.REQUEST_LETTER: 1,
        DocumentKind.FINAL_TEXT: 2,
        DocumentKind.ANNEX: 3,
        DocumentKind.SIGNED_COPY: 9,
    }
    assert actions.DOCUMENT_RULES[DocumentKind.FINAL_TEXT].content_types == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


# --- guards --------------------------------------------------------------------------------


def messages(action, case_facts, data=None):
    return [r.message for r in ACTIONS[action].refusals(case_facts, data)]


def test_answers_and_revisions_only_after_a_dictamen_with_observations():
    for action in (Action.ANSWER_OBSERVATION, Action.SUBMIT_REVISION):
        when = ACTIONS[action].when
        assert when(facts(dictamen_outcome=DictamenOutcome.VIABLE_WITH_OBSERVATIONS))
        assert not when(facts(dictamen_outcome=DictamenOutcome.VIABLE))
        assert not when(facts(dictamen_outcome=""))


def test_a_revision_waits_for_every_answer():
    assert messages(Action.SUBMIT_REVISION, facts(unanswered_observations=0)) == []
    assert "falta 1)" in messages(Action.SUBMIT_REVISION, facts(unanswered_observations=1))[0]
    assert "faltan 3)" in messages(Action.SUBMIT_REVISION, facts(unanswered_observations=3))[0]


def test_submission_needs_both_documents():
    refused = messages(Action.SUBMIT, facts(has_request_letter=False, has_final_text=False))
    assert "oficio de solicitud" in refused[0] and "texto final" in refused[0]
    assert "texto final" in messages(Action.SUBMIT, facts(has_request_letter=True))[0]


def _submission(signing: dt.date, urgency: str = "", today: dt.date = TODAY):
    return facts(
        today=today,
        intended_signing_date=signing,
        cja_deadline=workflow.cja_deadline(signing),
        urgency_reason=urgency,
        has_request_letter=True,
        has_final_text=True,
    )


def test_lateness_refuses_an_unjustified_submission_naming_the_date():
    late = _submission(dt.date(2026, 6, 5))  # 4 days ahead: it had to reach the CJA by 22/05/2026
    refused = ACTIONS[Action.SUBMIT].refusals(late)
    assert [r.field for r in refused] == ["urgency_reason"]
    assert "22/05/2026" in refused[0].message
    assert actions.is_late(late)


def test_an_urgent_or_timely_submission_passes():
    assert messages(Action.SUBMIT, _submission(dt.date(2026, 6, 5), urgency="Visita oficial.")) == []
    assert messages(Action.SUBMIT, _submission(dt.date(2026, 6, 5), urgency="   ")) != []
    on_deadline = _submission(dt.date(2026, 6, 15))  # deadline 01/06/2026 = today
    assert not actions.is_late(on_deadline) and messages(Action.SUBMIT, on_deadline) == []


def test_a_past_signing_date_is_refused():
    assert "ya pasó" in " ".join(messages(Action.SUBMIT, _submission(dt.date(2026, 5, 29), urgency="x")))


def test_step_5_failure_sends_the_case_back_to_the_filer():
    spec = ACTIONS[Action.CHECK_COMPLETENESS]
    assert spec.refusals(facts(valid_request_letter=True, valid_final_text=True)) == []
    assert spec.refusals(facts(valid_request_letter=True, valid_final_text=False))
    assert spec.fallback.target == Status.RETURNED and workflow.STATUS_STEP[spec.fallback.target] == 4
    assert spec.fallback.notices[Recipient.FILER] == "incomplete"


def test_the_signing_date_lies_between_delivery_and_today():
    delivered = dt.date(2026, 5, 20)
    case = facts(status=Status.AWAITING_SIGNATURE, delivered_on=delivered)
    assert "anterior a la entrega" in messages(Action.UPLOAD_SIGNED_COPY, case, {"signed_on": dt.date(2026, 5, 19)})[0]
    assert "20/05/2026" in messages(Action.UPLOAD_SIGNED_COPY, case, {"signed_on": dt.date(2026, 5, 19)})[0]
    assert "futuro" in messages(Action.UPLOAD_SIGNED_COPY, case, {"signed_on": dt.date(2026, 6, 2)})[0]
    assert "Indique" in messages(Action.UPLOAD_SIGNED_COPY, case, {"signed_on": None})[0]
    assert messages(Action.UPLOAD_SIGNED_COPY, case, {"signed_on": delivered}) == []
    assert messages(Action.UPLOAD_SIGNED_COPY, case, {"signed_on": TODAY}) == []


def test_a_low_text_match_needs_a_confirmed_reason():
    case = facts(status=Status.AWAITING_SIGNATURE)
    threshold = workflow.SIGNED_TEXT_MATCH_THRESHOLD
    assert threshold == 60
    low = {"signed_on": TODAY, "text_match": 2.4}
    refused = ACTIONS[Action.UPLOAD_SIGNED_COPY].refusals(case, low)
    assert [r.field for r in refused] == ["low_match_reason"] and "2.4 %" in refused[0].message
    assert (
        messages(Action.UPLOAD_SIGNED_COPY, case, {**low, "low_match_reason": "Se firmó la versión en inglés."}) == []
    )
    assert messages(Action.UPLOAD_SIGNED_COPY, case, {**low, "text_match": threshold}) == []
    assert messages(Action.UPLOAD_SIGNED_COPY, case, {**low, "text_match": None}) == []
    scan = {"signed_on": TODAY, "text_match": 0.0, "signed_has_text": False}
    assert "escaneo" in messages(Action.UPLOAD_SIGNED_COPY, case, scan)[0]
    assert messages(Action.UPLOAD_SIGNED_COPY, case, {**scan, "low_match_reason": "Escaneo sin OCR."}) == []


def test_text_match_is_a_word_level_ratio():
    assert workflow.text_match("a b c d", "a b c d") == (100.0, [])
    similarity, changes = workflow.text_match("uno dos tres cuatro", "uno dos siete cuatro")
    assert similarity == 75.0 and changes == [("replace", "tres", "siete")]
    assert workflow.text_match("uno dos", "")[0] == 0.0
