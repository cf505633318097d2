"""Service rules: validation, no second dictamen, returns, withdrawals, idempotent automatic steps."""

import datetime as dt
from unittest import mock

import pytest

from agreements import services, tasks, workflow
from agreements.choices import Status
from agreements.models import Agreement, TimelineEvent
from agreements.workflow import Action
from portal.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from tests import documents
from tests.cases import CASE_DATA
from tests.factories import future_date

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"title": ""}, "title", "título"),
        ({"counterpart_country": "ZZ"}, "counterpart_country", "ISO 3166-1"),
        ({"counterpart_country": "MX"}, "counterpart_country", "extranjera"),
        ({"counterpart_subdivision": "US-TX"}, "counterpart_subdivision", "ISO 3166-2"),
        ({"themes": ["astrology"]}, "themes", "desconocidos"),
        ({"themes": []}, "themes", "al menos un tema"),
        ({"intended_signing_date": dt.date(2020, 1, 1)}, "intended_signing_date", "pasado"),
        ({"counterpart_type": "government", "counterpart_country": ""}, "counterpart_country", "país"),
    ],
)
def test_bad_case_data_gets_a_specific_message_and_writes_nothing(local, overrides, field, fragment):
    data = {**CASE_DATA, "intended_signing_date": future_date(), **overrides}
    with pytest.raises(ValidationFailed) as error:
        services.agreement_create(user=local, data=data)
    assert fragment in " ".join(str(m) for m in error.value.field_errors[field])
    assert not Agreement.objects.exists()


def test_private_counterparts_are_accepted_with_the_form_warning(local):
    case = services.agreement_create(
        user=local, data={**CASE_DATA, "counterpart_type": "private", "intended_signing_date": future_date()}
    )
    assert case.counterpart_type == "private"


def test_only_local_officials_file(dgcp):
    with pytest.raises(PermissionDenied):
        services.agreement_create(user=dgcp, data={**CASE_DATA, "intended_signing_date": future_date()})


def test_submit_requires_the_request_letter_and_the_final_text(cases, local):
    case = cases.draft()
    with pytest.raises(ValidationFailed, match="oficio de solicitud"):
        services.agreement_submit(user=local, agreement_id=case.pk)
    case.refresh_from_db()
    assert case.status == Status.DRAFT


def test_late_requests_without_urgency_are_refused_naming_the_date(cases, local):
    """Issue 9: a request that would reach the CJA late is no longer sent silently (it used to be flagged after)."""
    case = cases.with_documents(intended_signing_date=future_date(3))
    with pytest.raises(ValidationFailed) as refused:
        services.agreement_submit(user=local, agreement_id=case.pk)
    deadline = workflow.cja_deadline(case.intended_signing_date, services.non_working_days())
    assert f"{deadline:%d/%m/%Y}" in str(refused.value.message)
    assert "urgency_reason" in refused.value.field_errors
    case.refresh_from_db()
    assert (case.status, case.submitted_at) == (Status.DRAFT, None)
    assert not case.timeline.filter(action="submit").exists()


def test_late_requests_with_urgency_are_not_flagged(cases):
    case = cases.in_review(intended_signing_date=future_date(3), urgency_reason="Visita oficial del alcalde.")
    assert not case.is_late
    assert case.timeline.get(action="compute_deadline").decision == "late"


def test_no_second_dictamen_on_the_same_version(cases, cja):
    case = cases.dictamen_issued()
    with pytest.raises(Conflict):
        services.dictamen_issue(user=cja, agreement_id=case.pk, outcome="viable", summary="Otra vez.")
    assert case.dictamenes.count() == 1


def test_a_final_text_that_already_received_a_dictamen_cannot_come_back_as_new(cases, local, run_on_commit):
    first = cases.dictamen_issued()
    reviewed = first.documents.get(kind="final_text")
    second = cases.draft()
    same_text = documents.upload("copia.docx", reviewed.file.open("rb").read())
    with pytest.raises(Conflict, match="ya recibió un dictamen"):
        services.document_upload(user=local, agreement_id=second.pk, kind="final_text", upload=same_text)
    assert not second.documents.exists()


def test_observations_lead_to_a_revision_that_goes_back_to_step_7(cases, local, cja, run_on_commit):
    case = cases.awaiting_signature("viable_with_observations", [{"text": "Precisar vigencia", "clause": "2"}])
    run_on_commit(
        services.observation_answer, user=local, agreement_id=case.pk, number=1, answer="addressed", reply="Se precisó."
    )
    run_on_commit(
        services.document_upload,
        user=local,
        agreement_id=case.pk,
        kind="final_text",
        upload=documents.docx_upload(text="Cláusula 2. Vigencia de tres años."),
    )
    case.refresh_from_db()
    assert (case.status, case.current_step) == (Status.IN_REVIEW, 7)
    second = run_on_commit(
        services.dictamen_issue,
        user=cja,
        agreement_id=case.pk,
        outcome="viable",
        summary="Atendidas las observaciones.",
    )
    assert second.final_text.version == 2


def test_revision_is_refused_after_a_plain_viable_dictamen(cases, local):
    case = cases.awaiting_signature("viable")
    with pytest.raises(Conflict):
        services.document_upload(user=local, agreement_id=case.pk, kind="final_text", upload=documents.docx_upload())


def test_not_viable_closes_the_case(cases, run_on_commit, dgcp):
    case = cases.dictamen_issued("not_viable")
    run_on_commit(services.dictamen_approve, user=dgcp, agreement_id=case.pk)
    case.refresh_from_db()
    assert (case.status, case.current_step) == (Status.NOT_VIABLE, None)


def test_dgcp_returns_a_dictamen_and_the_cja_issues_a_new_one(cases, run_on_commit, dgcp, cja):
    case = cases.dictamen_issued()
    run_on_commit(services.dictamen_return, user=dgcp, agreement_id=case.pk, comment="Falta fundamentación.")
    case.refresh_from_db()
    assert (case.status, case.current_step) == (Status.IN_REVIEW, 7)
    run_on_commit(services.dictamen_issue, user=cja, agreement_id=case.pk, outcome="viable", summary="Fundado.")
    assert case.dictamenes.filter(status="issued").count() == 1


@pytest.mark.parametrize("reason", ["", "   "])
def test_returns_need_a_reason(cases, dgcp, reason):
    case = cases.in_review()
    with pytest.raises(ValidationFailed):
        services.agreement_return(user=dgcp, agreement_id=case.pk, reason=reason)


def test_return_for_corrections_and_resubmit(cases, run_on_commit, dgcp, local):
    case = cases.in_review()
    run_on_commit(services.agreement_return, user=dgcp, agreement_id=case.pk, reason="Falta el anexo jurídico.")
    case.refresh_from_db()
    assert (case.status, case.current_step) == (Status.RETURNED, 4)
    run_on_commit(
        services.document_upload,
        user=local,
        agreement_id=case.pk,
        kind="annex",
        annex_type="legal_authorization",
        upload=documents.pdf_upload("autorizacion.pdf"),
    )
    run_on_commit(services.agreement_submit, user=local, agreement_id=case.pk)
    case.refresh_from_db()
    assert case.status == Status.IN_REVIEW


def test_not_admissible_and_withdrawal_are_terminal(cases, run_on_commit, cja, local):
    case = cases.in_review()
    run_on_commit(services.agreement_mark_not_admissible, user=cja, agreement_id=case.pk, reason="No es un AII.")
    case.refresh_from_db()
    assert (case.status, case.current_step) == (Status.NOT_ADMISSIBLE, None)
    other = cases.draft()
    run_on_commit(services.agreement_withdraw, user=local, agreement_id=other.pk)
    other.refresh_from_db()
    assert other.status == Status.WITHDRAWN and other.closed_at


def test_registration_requires_confirmed_recommendations_and_a_free_number(cases, cja):
    case = cases.registration_requested()
    with pytest.raises(ValidationFailed, match="recomendaciones"):
        services.agreement_register(
            user=cja,
            agreement_id=case.pk,
            registry_number="R-1",
            registered_on=services.today(),
            recommendations_incorporated=False,
        )
    case.refresh_from_db()
    assert case.status == Status.REGISTRATION_REQUESTED and case.registry_number is None


def test_a_registry_number_must_fit_in_a_permanent_url(cases, cja):
    case = cases.registration_requested()
    with pytest.raises(ValidationFailed) as refused:
        services.agreement_register(
            user=cja,
            agreement_id=case.pk,
            registry_number="RAII 2026/17",
            registered_on=services.today(),
            recommendations_incorporated=True,
        )
    assert "sin espacios ni diagonales" in str(refused.value.field_errors["registry_number"][0])
    case.refresh_from_db()
    assert case.status == Status.REGISTRATION_REQUESTED


def test_cja_returns_the_signed_copy_to_step_9(cases, run_on_commit, cja):
    case = cases.registration_requested()
    run_on_commit(services.signed_copy_return, user=cja, agreement_id=case.pk, reason="Falta la página de firmas.")
    case.refresh_from_db()
    assert (case.status, case.current_step) == (Status.AWAITING_SIGNATURE, 9)


def test_signed_text_comparison_is_offered_to_the_cja(cases, cja):
    from agreements import selectors

    case = cases.registration_requested()
    comparison = selectors.signed_text_comparison(selectors.agreement_detail(user=cja, pk=case.pk))
    assert comparison["signed_has_text"]
    assert comparison["similarity"] > 50


# --- the workflow task -------------------------------------------------------


def test_a_stale_expected_step_is_a_no_op(cases, local):
    case = cases.in_review()
    events = TimelineEvent.objects.filter(agreement=case).count()
    assert tasks.workflow_advance_task.apply(args=[case.pk, 5]).get() is False
    assert tasks.workflow_advance_task.apply(args=[case.pk, 7]).get() is False  # a human step: never automatic
    case.refresh_from_db()
    assert case.status == Status.IN_REVIEW
    assert TimelineEvent.objects.filter(agreement=case).count() == events


def test_the_same_task_delivered_twice_makes_one_transition(cases, local):
    case = cases.with_documents()
    # Submit without running on-commit work: the case waits on step 5, as after a lost message.
    services.agreement_submit(user=local, agreement_id=case.pk)
    assert tasks.workflow_advance_task.apply(args=[case.pk, 5]).get() is True  # walks 5 and 6
    assert tasks.workflow_advance_task.apply(args=[case.pk, 5]).get() is False
    assert tasks.workflow_advance_task.apply(args=[case.pk, 6]).get() is False
    case.refresh_from_db()
    assert (case.status, case.current_step) == (Status.IN_REVIEW, 7)
    assert case.timeline.filter(action="check_completeness").count() == 1
    assert case.timeline.filter(action="compute_deadline").count() == 1


def test_a_single_step_advance_stops_at_the_next_automatic_step(cases, local):
    case = cases.with_documents()
    services.agreement_submit(user=local, agreement_id=case.pk)
    assert services.agreement_walk_automatic(agreement_id=case.pk, expected_step=5, limit=1) == 1
    case.refresh_from_db()
    assert (case.status, case.current_step) == (Status.FORWARDED, 6)  # the sweep would pick up step 6


def test_the_automatic_steps_of_one_walk_commit_together(cases, local):
    case = cases.with_documents()
    services.agreement_submit(user=local, agreement_id=case.pk)
    events = case.timeline.count()
    with (
        mock.patch.dict(services.AUTOMATIC_HANDLERS, {Action.COMPUTE_DEADLINE: mock.Mock(side_effect=OSError)}),
        pytest.raises(OSError),
    ):
        services.agreement_walk_automatic(agreement_id=case.pk, expected_step=5)
    case.refresh_from_db()
    assert (case.status, case.current_step) == (Status.SUBMITTED, 5)  # step 5 rolled back with step 6
    assert case.timeline.count() == events
    assert services.agreement_walk_automatic(agreement_id=case.pk, expected_step=5) == 2  # the retry walks both


def test_a_walk_issues_the_same_queries_however_many_reviewers_are_notified(cases, local):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import cja_reviewer

    def walk_queries():
        case = cases.with_documents()
        services.agreement_submit(user=local, agreement_id=case.pk)
        with CaptureQueriesContext(connection) as ctx:
            assert services.agreement_walk_automatic(agreement_id=case.pk, expected_step=5) == 2
        return len(ctx.captured_queries)

    before = walk_queries()
    for _ in range(5):
        cja_reviewer()
    assert walk_queries() == before


def test_non_working_days_added_by_administrators_are_used_at_once():
    from agreements.models import NonWorkingDay

    signing = dt.date(2026, 6, 15)
    assert workflow.cja_deadline(signing, services.non_working_days()) == dt.date(2026, 6, 1)
    NonWorkingDay.objects.create(date=dt.date(2026, 6, 5), description="Día inhábil publicado en el DOF")
    assert workflow.cja_deadline(signing, services.non_working_days()) == dt.date(2026, 5, 29)


def test_the_sweep_requeues_stragglers(cases, local, run_on_commit):
    case = cases.with_documents()
    services.agreement_submit(user=local, agreement_id=case.pk)  # its task never ran
    Agreement.objects.filter(pk=case.pk).update(step_entered_at=case.step_entered_at - dt.timedelta(hours=1))
    assert run_on_commit(tasks.workflow_sweep_task.apply).get() == 1
    case.refresh_from_db()
    assert case.status == Status.IN_REVIEW


def test_a_case_may_cite_only_its_own_institutions_partnership(local):
    from cooperation.models import Organisation, Partnership

    own = Partnership.objects.create(
        institution=local.institution,
        organisation=Organisation.objects.first(),
        instrument="mou",
        title="Alianza propia",
    )
    foreign = Partnership.objects.exclude(institution=local.institution).first()
    case = services.agreement_create(
        user=local, data={**CASE_DATA, "intended_signing_date": future_date(), "partnership": own}
    )
    assert case.partnership == own and list(own.agreements.all()) == [case]
    with pytest.raises(ValidationFailed, match="no pertenece"):
        services.agreement_update(user=local, agreement_id=case.pk, data={"partnership": foreign})


def test_draft_data_can_be_corrected_in_the_browser(client, cases, local):
    case = cases.draft()
    client.force_login(local)
    url = f"/expedientes/{case.pk}/editar/"
    assert client.get(url).status_code == 200
    data = {**CASE_DATA, "title": "Título corregido", "intended_signing_date": future_date(90).isoformat()}
    assert client.post(url, data).status_code == 302
    case.refresh_from_db()
    assert case.title == "Título corregido"
    submitted = cases.in_review()
    assert client.get(f"/expedientes/{submitted.pk}/editar/").status_code == 403


def test_an_unreachable_broker_leaves_the_submitted_case_for_the_sweep(cases, local, run_on_commit):
    from kombu.exceptions import OperationalError

    case = cases.with_documents()
    with mock.patch.object(tasks.workflow_advance_task, "delay", side_effect=OperationalError("down")):
        run_on_commit(services.agreement_submit, user=local, agreement_id=case.pk)
    case.refresh_from_db()
    assert (case.status, case.current_step) == (Status.SUBMITTED, 5)  # saved; the sweep re-queues step 5


def test_another_offices_reviewed_text_is_refused_without_revealing_it(cases, run_on_commit):
    from tests.factories import local_official

    first = cases.dictamen_issued()
    reviewed = first.documents.get(kind="final_text")
    other_office = local_official()  # another institution
    assert other_office.institution_id != first.institution_id
    second = run_on_commit(
        services.agreement_create,
        user=other_office,
        data={**CASE_DATA, "intended_signing_date": future_date(60)},
    )
    same_text = documents.upload("copia.docx", reviewed.file.open("rb").read())
    with pytest.raises(ValidationFailed) as refused:
        services.document_upload(user=other_office, agreement_id=second.pk, kind="final_text", upload=same_text)
    message = str(refused.value.message)
    assert "no puede cargarse como texto final" in message
    for secret in ("dictamen", "SHA-256", first.folio, first.title, first.institution.name, "otra", "otro"):
        assert secret not in message
    assert refused.value.code == "final_text_refused"
    assert not Agreement.objects.get(pk=second.pk).documents.exists()


def test_the_own_offices_reviewed_text_is_named_by_its_folio(cases, local):
    first = cases.dictamen_issued()
    reviewed = first.documents.get(kind="final_text")
    second = cases.draft()
    same_text = documents.upload("copia.docx", reviewed.file.open("rb").read())
    with pytest.raises(Conflict, match=f"ya recibió un dictamen en el expediente {first.folio}"):
        services.document_upload(user=local, agreement_id=second.pk, kind="final_text", upload=same_text)


def test_a_failure_in_work_queued_after_commit_does_not_fail_the_saved_request(
    cases, local, django_capture_on_commit_callbacks
):
    from rest_framework.test import APIClient

    case = cases.with_documents()
    client = APIClient()
    client.force_authenticate(local)
    with (
        mock.patch.object(tasks.workflow_advance_task, "delay", side_effect=RuntimeError("eager task failed")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(f"/api/v1/agreements/{case.pk}/submit/")
    assert response.status_code == 200  # the change is saved: the client must not retry into a 409
    case.refresh_from_db()
    assert (case.status, case.current_step) == (Status.SUBMITTED, 5)
