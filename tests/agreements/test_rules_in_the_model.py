"""Issue 12: the dictamen's and an observation answer's rules are the model's (field messages, ``clean()``,
``Dictamen.clean_observations``). ``full_clean`` says what the service and the API say, in the same words and
under the same field keys, and nothing is written when they refuse."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from rest_framework.test import APIClient

from agreements import services
from agreements.choices import DictamenStatus, Status
from agreements.forms import DictamenForm, ReviewerAbsenceForm
from agreements.models import Dictamen, Document, Observation, ReviewerAbsence
from portal.core.exceptions import ValidationFailed, full_clean_or_fail
from portal.core.limits import NOTE
from tests import documents
from tests.factories import cja_reviewer, dgcp_reviewer

pytestmark = pytest.mark.django_db

OBSERVATIONS = [{"clause": "Cláusula 2", "text": "Precisar la vigencia."}, {"text": "Nombrar a los enlaces."}]


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _model_errors(instance, *fields) -> dict[str, list[str]]:
    """What ``full_clean`` says about ``fields`` of ``instance`` (``clean()`` included), as text."""
    with pytest.raises(ValidationError) as refused:
        instance.full_clean(exclude=[f.name for f in instance._meta.fields if f.name not in fields])
    return {field: [str(m) for m in messages] for field, messages in refused.value.message_dict.items()}


def _service_errors(service, **kwargs) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as refused:
        service(**kwargs)
    return refused.value


@pytest.mark.parametrize("outcome", ["", "aprobado", None])
def test_an_unknown_outcome_reads_the_same_in_the_model_and_the_service(cases, cja, outcome):
    case = cases.in_review()
    model = _model_errors(Dictamen(outcome=outcome, summary="Procedente."), "outcome", "summary")
    refused = _service_errors(
        services.dictamen_issue, user=cja, agreement_id=case.pk, outcome=outcome, summary="Procedente."
    )
    assert model == {"outcome": [str(refused.message)]} == refused.field_errors
    assert "Elija el sentido del dictamen" in refused.message
    assert not Dictamen.objects.exists()


def test_a_summary_is_required_by_the_model_and_the_service_alike(cases, cja):
    case = cases.in_review()
    model = _model_errors(Dictamen(outcome="viable", summary=""), "outcome", "summary")
    refused = _service_errors(services.dictamen_issue, user=cja, agreement_id=case.pk, outcome="viable", summary="  ")
    assert model == {"summary": ["Escriba el resumen del dictamen."]} == refused.field_errors
    assert not Dictamen.objects.exists()


def test_a_long_summary_is_refused_with_the_models_words(cases, cja):
    case = cases.in_review()
    summary = "x" * (Dictamen._meta.get_field("summary").max_length + 1)
    model = _model_errors(Dictamen(outcome="viable", summary=summary), "outcome", "summary")
    refused = _service_errors(
        services.dictamen_issue, user=cja, agreement_id=case.pk, outcome="viable", summary=summary
    )
    assert model == refused.field_errors and list(model) == ["summary"]


def test_every_mistake_of_a_dictamen_is_reported_at_once_in_the_order_of_the_form(cases, cja):
    case = cases.in_review()
    refused = _service_errors(
        services.dictamen_issue,
        user=cja,
        agreement_id=case.pk,
        outcome="",
        summary="",
        observations=[{"text": "y" * (NOTE + 1)}],
    )
    assert list(refused.field_errors) == ["outcome", "summary", "observations"]
    assert refused.message == refused.field_errors["outcome"][0]


def test_observations_are_required_with_that_outcome_in_the_model_the_service_and_the_api(cases, cja):
    case = cases.in_review()
    with pytest.raises(ValidationError) as model:
        Dictamen.clean_observations("viable_with_observations", [])
    message = "Un dictamen con observaciones debe incluir al menos una observación."
    assert model.value.message_dict == {"observations": [message]}
    refused = _service_errors(
        services.dictamen_issue,
        user=cja,
        agreement_id=case.pk,
        outcome="viable_with_observations",
        summary="Procedente.",
        observations=[{"text": "   "}],
    )
    assert refused.field_errors == {"observations": [message]}
    response = api(cja).post(
        f"/api/v1/agreements/{case.pk}/dictamen/",
        {"outcome": "viable_with_observations", "summary": "Procedente."},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"observations": [message]}
    Dictamen.clean_observations("viable", [])  # the other outcomes need none


def test_an_observation_too_long_reads_the_same_in_the_model_the_service_and_the_form(cases, cja):
    case = cases.in_review()
    observations = [OBSERVATIONS[0], {"clause": "c" * 101, "text": "Corta."}]
    with pytest.raises(ValidationError) as model:
        Dictamen.clean_observations("viable_with_observations", observations)
    refused = _service_errors(
        services.dictamen_issue,
        user=cja,
        agreement_id=case.pk,
        outcome="viable_with_observations",
        summary="Procedente.",
        observations=observations,
    )
    assert model.value.message_dict == refused.field_errors
    assert refused.field_errors["observations"][0].startswith("Observación 2: ")
    assert "100" in refused.field_errors["observations"][0]


def test_the_dictamen_form_shows_the_models_message_for_too_many_observations():
    form = DictamenForm({"outcome": "viable", "summary": "Procedente.", "observations": "Una.\n" * 51})
    assert not form.is_valid()
    with pytest.raises(ValidationError) as model:
        Observation.check_list([{"text": "Una."}] * 51)
    assert form.errors["observations"] == model.value.message_dict["observations"]


def test_a_long_cover_note_reads_the_same_in_the_model_and_the_service(cases, dgcp):
    case = cases.dictamen_issued()
    note = "n" * (NOTE + 1)
    model = _model_errors(Dictamen(cover_note=note), "cover_note")
    refused = _service_errors(services.dictamen_approve, user=dgcp, agreement_id=case.pk, cover_note=note)
    assert model == refused.field_errors and list(model) == ["cover_note"]
    assert case.dictamenes.get().status == DictamenStatus.ISSUED
    assert not case.documents.filter(kind="reply_letter").exists()


@pytest.mark.parametrize("comment", ["", "   ", "c" * (NOTE + 1)])
def test_a_return_comment_is_the_models_rule_under_the_services_key(cases, dgcp, comment):
    case = cases.dictamen_issued()
    model = _model_errors(Dictamen(status=DictamenStatus.RETURNED, return_comment=comment.strip()), "return_comment")
    refused = _service_errors(services.dictamen_return, user=dgcp, agreement_id=case.pk, comment=comment)
    assert refused.field_errors == {"comment": model["return_comment"]}
    assert case.dictamenes.get().status == DictamenStatus.ISSUED


def test_a_returned_dictamen_needs_its_reason_only_when_returned():
    Dictamen(status=DictamenStatus.ISSUED).clean()
    with pytest.raises(ValidationError) as refused:
        Dictamen(status=DictamenStatus.RETURNED, return_comment=" ").clean()
    assert refused.value.message_dict == {"return_comment": ["Explique a la CJA por qué se devuelve el dictamen."]}


@pytest.mark.parametrize(
    ("answer", "reply", "field"),
    [
        ("pending", "", "answer"),
        ("tal vez", "", "answer"),
        ("not_addressed", "  ", "reply"),
        ("addressed", "r" * (NOTE + 1), "reply"),
    ],
)
def test_an_observation_answer_is_the_models_rule(cases, local, answer, reply, field):
    case = cases.awaiting_signature("viable_with_observations", OBSERVATIONS)
    model = _model_errors(
        Observation(answer=answer, reply=reply.strip(), answered_at=timezone.now()), "answer", "reply"
    )
    refused = _service_errors(
        services.observation_answer, user=local, agreement_id=case.pk, number=1, answer=answer, reply=reply
    )
    assert model == refused.field_errors and list(model) == [field]
    assert refused.message == model[field][0]
    assert not case.dictamenes.get().observations.exclude(answer="pending").exists()


def test_an_unexplained_not_addressed_reads_the_same_in_the_api_and_in_english(cases, local):
    case = cases.awaiting_signature("viable_with_observations", OBSERVATIONS)
    url = f"/api/v1/agreements/{case.pk}/observations/1/answer/"
    for language in ("es", "en"):
        response = api(local).post(url, {"answer": "not_addressed", "reply": ""}, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 400
        with translation.override(language):
            model = _model_errors(Observation(answer="not_addressed", reply=""), "answer", "reply")
        assert response.json()["errors"] == model
    assert "Explain why" in model["reply"][0]
    assert case.status == Status.AWAITING_SIGNATURE


def test_the_helper_orders_renames_and_adds_the_errors_of_values_the_model_does_not_hold():
    with pytest.raises(ValidationFailed) as refused:
        full_clean_or_fail(
            Dictamen(outcome="", summary="", status=DictamenStatus.RETURNED),
            only=("summary", "return_comment", "outcome"),
            extra={"observations": ["Sin observaciones."]},
            keys={"return_comment": "comment"},
            validate_constraints=False,
        )
    assert list(refused.value.field_errors) == ["summary", "comment", "outcome", "observations"]
    assert refused.value.message == "Escriba el resumen del dictamen."
    full_clean_or_fail(Dictamen(outcome="viable", summary="Bien."), only=("outcome", "summary"))


@pytest.mark.parametrize(
    ("delegate", "days", "fields"),
    [("self", 0, ["delegate"]), ("outsider", 0, ["delegate"]), ("colleague", -1, ["ends_on"]), ("self", -1, None)],
)
def test_a_reviewer_absence_is_refused_with_the_models_words(cja, delegate, days, fields):
    today = timezone.localdate()
    ends_on = today + dt.timedelta(days=days)
    people = {"self": cja, "outsider": dgcp_reviewer(), "colleague": cja_reviewer()}
    # The model sees the delegate the service found among the office's reviewers: none for an outsider.
    in_office = None if delegate == "outsider" else people[delegate]
    with pytest.raises(ValidationError) as model:
        ReviewerAbsence(reviewer=cja, delegate=in_office, starts_on=today, ends_on=ends_on).clean()
    delegate = people[delegate]
    refused = _service_errors(
        services.reviewer_absence_record,
        user=cja,
        reviewer_id=cja.pk,
        delegate_id=delegate.pk,
        starts_on=today,
        ends_on=ends_on,
    )
    assert refused.field_errors == {k: [str(m) for m in v] for k, v in model.value.message_dict.items()}
    assert list(refused.field_errors) == (fields or ["delegate", "ends_on"])
    assert refused.message == refused.field_errors[list(refused.field_errors)[0]][0]
    assert not ReviewerAbsence.objects.exists()
    form = ReviewerAbsenceForm({"reviewer": cja.pk, "delegate": delegate.pk, "starts_on": today, "ends_on": ends_on})
    assert form.is_valid() == (days == 0)
    if days:
        assert form.errors["ends_on"] == refused.field_errors["ends_on"]


@pytest.mark.parametrize("annex_type", ["", None, "presupuesto"])
def test_an_annex_says_what_it_is_in_the_models_words(cases, local, annex_type):
    case = cases.draft()
    with pytest.raises(ValidationError) as model:
        Document(kind="annex", annex_type=annex_type).full_clean(
            exclude=[f.name for f in Document._meta.fields if f.name != "annex_type"]
        )
    response = api(local).post(
        f"/api/v1/agreements/{case.pk}/documents/",
        {"kind": "annex", "annex_type": annex_type or "", "file": documents.pdf_upload("anexo.pdf")},
        format="multipart",
    )
    refused = _service_errors(
        services.document_upload,
        user=local,
        agreement_id=case.pk,
        kind="annex",
        annex_type=annex_type,
        upload=documents.pdf_upload("anexo.pdf"),
    )
    expected = {"annex_type": [str(m) for m in model.value.message_dict["annex_type"]]}
    assert refused.field_errors == expected
    assert expected["annex_type"][0].startswith("Indique el tipo de anexo")
    assert response.status_code == 400
    assert not case.documents.filter(kind="annex").exists()
    Document(kind="request_letter").clean()  # only an annex needs a type
