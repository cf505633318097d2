"""Each notice goes only to the actor who must act next, or to the filer when a decision concerns them (the
domain README's "who is told what"), worded for that reader (issue 9, "Notices by recipient")."""

import pytest
from django.core import mail

from agreements import services
from agreements.choices import Status
from portal.notifications.models import Notification
from tests import documents
from tests.factories import local_official

pytestmark = pytest.mark.django_db

OBSERVATION = {"text": "Precise la vigencia del instrumento.", "clause": "Cláusula 2"}
REVISED_TEXT = "Cláusula 1. Objeto del hermanamiento.\nCláusula 2. Vigencia de tres años."


def events_of(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).order_by("id").values_list("event", flat=True))


def test_one_full_walk_with_observations_tells_each_role_only_its_part(cases, run_on_commit, local, dgcp, cja):
    colleague = local_official(institution=local.institution)  # same office, did not file
    stranger = local_official()  # another office
    run = run_on_commit

    case = cases.in_review()  # steps 1-6: sent, checked, turned to the CJA
    run(
        services.dictamen_issue,
        user=cja,
        agreement_id=case.pk,
        outcome="viable_with_observations",
        summary="Procedente con una observación.",
        observations=[OBSERVATION],
    )
    run(services.dictamen_return, user=dgcp, agreement_id=case.pk, comment="Precise el fundamento.")
    run(
        services.dictamen_issue,
        user=cja,
        agreement_id=case.pk,
        outcome="viable_with_observations",
        summary="Procedente con una observación; fundamento en el art. 7 LSCT.",
        observations=[OBSERVATION],
    )
    run(services.dictamen_approve, user=dgcp, agreement_id=case.pk, cover_note="")
    run(
        services.observation_answer,
        user=local,
        agreement_id=case.pk,
        number=1,
        answer="addressed",
        reply="Se fijó en tres años.",
    )
    run(services.revision_submit, user=local, agreement_id=case.pk, upload=documents.docx_upload(text=REVISED_TEXT))
    run(services.dictamen_issue, user=cja, agreement_id=case.pk, outcome="viable", summary="Procedente.")
    run(services.dictamen_approve, user=dgcp, agreement_id=case.pk, cover_note="")

    def sign():
        run(
            services.signed_copy_submit,
            user=local,
            agreement_id=case.pk,
            upload=documents.pdf_upload("firmado.pdf", REVISED_TEXT),
            signed_on=services.today(),
            signed_place="Kraków, Polonia",
        )

    sign()
    run(services.signed_copy_return, user=cja, agreement_id=case.pk, reason="Falta la última página.")
    sign()
    run(
        services.agreement_register,
        user=cja,
        agreement_id=case.pk,
        registry_number="R-0901-2026",
        registered_on=services.today(),
        recommendations_incorporated=True,
    )
    case.refresh_from_db()
    assert case.status == Status.CLOSED

    assert events_of(local) == [
        "receipt",
        "dictamen_delivered",
        "dictamen_delivered",
        "signed_copy_returned",
        "closed",
    ]
    assert events_of(colleague) == []
    assert events_of(dgcp) == [
        "submitted",
        "dictamen_issued",
        "dictamen_issued",
        "revision_informed",
        "dictamen_issued",
        "closed_informed",
    ]
    assert events_of(cja) == [
        "in_review",
        "dictamen_returned",
        "revision_submitted",
        "registration_requested",
        "registration_requested",
    ]
    assert events_of(stranger) == []

    # E-mail follows the notices: one per notice, to its recipient only.
    sent = {}
    for message in mail.outbox:
        sent.setdefault(message.to[0], []).append(message.subject)
    assert len(sent[local.email]) == 5 and len(sent[dgcp.email]) == 6 and len(sent[cja.email]) == 5
    assert colleague.email not in sent and stranger.email not in sent
    filer_text = " ".join(n.body for n in local.notifications.all())
    assert "Precise el fundamento" not in filer_text  # the DGCP's comment to the CJA stays between them
    assert "por aprobar" not in " ".join(sent[local.email]) and "inscriba el acuerdo" not in filer_text
    to_cja = cja.notifications.get(event="in_review").body
    assert "Fecha en que la solicitud debía llegar a la CJA:" in to_cja and "Fecha límite de recepción" not in to_cja
    closed = local.notifications.get(event="closed").body
    assert "R-0901-2026" in closed


def test_a_returned_or_incomplete_case_tells_the_filer_only(cases, run_on_commit, local, dgcp, cja):
    colleague = local_official(institution=local.institution)
    case = cases.in_review()
    before = {u.pk: events_of(u) for u in (dgcp, cja)}
    run_on_commit(services.agreement_return, user=dgcp, agreement_id=case.pk, reason="Falta la firma del oficio.")
    assert events_of(local) == ["receipt", "returned"]
    assert events_of(colleague) == []
    assert {u.pk: events_of(u) for u in (dgcp, cja)} == before


@pytest.mark.parametrize(
    "stage,told",
    [
        ("with_documents", set()),  # a draft: nobody at the SRE knew of it
        ("in_review", {"dgcp", "cja"}),
        ("awaiting_signature", {"dgcp"}),  # with the filer: the CJA has nothing pending
    ],
)
def test_a_withdrawal_tells_the_sre_offices_the_case_was_with(cases, run_on_commit, local, dgcp, cja, stage, told):
    case = getattr(cases, stage)()
    run_on_commit(services.agreement_withdraw, user=local, agreement_id=case.pk, reason="Cambio de prioridades.")
    who = {name for name, user in (("dgcp", dgcp), ("cja", cja), ("filer", local)) if "withdrawn" in events_of(user)}
    assert who == told


def test_a_filer_who_left_is_replaced_by_the_office_s_active_members(cases, run_on_commit, local, dgcp):
    colleague = local_official(institution=local.institution)
    case = cases.in_review()
    local.is_active = False
    local.save(update_fields=["is_active"])
    run_on_commit(services.agreement_return, user=dgcp, agreement_id=case.pk, reason="Falta la firma del oficio.")
    assert events_of(colleague) == ["returned"]
