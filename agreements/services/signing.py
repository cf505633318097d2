"""After the dictamen: the filer answers its observations and sends the signed copy (step 9); the CJA inscribes
the agreement (step 11)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from agreements.registry.models import RegistryAmendment, RegistryEntry
from portal.core.exceptions import NotFound, ValidationFailed, full_clean_or_fail
from portal.core.limits import check_length, check_lengths, max_length_of
from portal.core.signatures import pdf_signature_check

from .. import validity, workflow
from ..choices import REGISTRY_NUMBER_HELP, DictamenStatus, DocumentKind, is_registry_number
from ..guards import CaseFacts
from ..models import Agreement, Dictamen, Document, Observation
from ..permissions import authorize
from ..validators import registration_date_errors
from ..workflow import Action
from .documents import check_file, store_document
from .transitions import locked_case, record_event, refuse, today
from .walk import apply_person_action

__all__ = [
    "agreement_register",
    "observation_answer",
    "signed_copy_submit",
]


def observation_answer(*, user, agreement_id: int, number: int, answer: str, reply: str = "") -> Observation:
    # The model's rules on an answer, checked before the case is locked: nothing is written when they fail.
    reply = (reply or "").strip()
    full_clean_or_fail(
        Observation(answer=answer, reply=reply, answered_at=timezone.now()),
        only=("answer", "reply"),
        validate_unique=False,
        validate_constraints=False,
    )
    with locked_case(agreement_id) as agreement:
        actor = authorize(user, Action.ANSWER_OBSERVATION, agreement)
        observation = (
            Observation.objects.filter(
                dictamen__agreement=agreement, dictamen__status=DictamenStatus.APPROVED, number=number
            )
            .order_by("-dictamen__issued_at")
            .first()
        )
        if observation is None:
            raise NotFound(_("No existe la observación %(n)s.") % {"n": number})
        observation.answer = answer
        observation.reply = reply
        observation.answered_by = user
        observation.answered_at = timezone.now()
        observation.save()
        record_event(
            agreement,
            action=Action.ANSWER_OBSERVATION,
            actor_user=user,
            actor_kind=actor,
            from_status=agreement.status,
            from_step=agreement.current_step,
            decision=answer,
            comment=observation.reply,
            params={"number": number},
        )
    return observation


def _delivered_dictamen(agreement: Agreement) -> Dictamen | None:
    return (
        agreement.dictamenes.filter(status=DictamenStatus.APPROVED)
        .select_related("final_text")
        .order_by("-issued_at", "-id")
        .first()
    )


def signed_copy_submit(
    *,
    user,
    agreement_id: int,
    upload,
    signed_on,
    signed_place: str,
    low_match_reason: str = "",
    entry_into_force_on: dt.date | None = None,
) -> Document:
    """Step 9: the signed copy, its date (between the dictamen's delivery and today) and place.

    Its text is compared at upload with the text that received the dictamen; below
    ``SIGNED_TEXT_MATCH_THRESHOLD`` the filer must confirm with ``low_match_reason``.
    """
    if not (signed_place or "").strip():
        msg = _("Indique el lugar de firma.")
        raise ValidationFailed(msg, field_errors={"signed_place": [msg]})
    low_match_reason = (low_match_reason or "").strip()
    check_lengths(Agreement, signed_place=signed_place)
    check_length("low_match_reason", low_match_reason, max_length_of(Agreement, "signed_text_note"))
    with locked_case(agreement_id) as agreement:
        actor = authorize(user, Action.UPLOAD_SIGNED_COPY, agreement)
        dictamen = _delivered_dictamen(agreement)
        delivered_on = timezone.localdate(dictamen.reviewed_at) if dictamen and dictamen.reviewed_at else None
        facts = CaseFacts(status=agreement.status, today=today(), delivered_on=delivered_on)
        refuse(Action.UPLOAD_SIGNED_COPY, facts, {"signed_on": signed_on})  # the dates, before reading the file
        starts_on, refusal = validity.confirm_entry_into_force(
            entry_into_force=agreement.entry_into_force,
            agreed_on=agreement.entry_into_force_on,
            signed_on=signed_on,
            given_on=entry_into_force_on,
            today=today(),
        )
        if refusal:
            raise ValidationFailed(refusal, field_errors={"entry_into_force_on": [refusal]})
        checked = check_file(DocumentKind.SIGNED_COPY, upload)
        match = workflow.text_match(dictamen.final_text.extracted_text, checked.text)[0] if dictamen else None
        refuse(
            Action.UPLOAD_SIGNED_COPY,
            facts,
            {
                "signed_on": signed_on,
                "text_match": match,
                "signed_has_text": bool(checked.text.split()),
                "low_match_reason": low_match_reason,
            },
        )
        signature = pdf_signature_check(checked.content)
        document = store_document(
            agreement,
            user=user,
            kind=DocumentKind.SIGNED_COPY,
            upload=upload,
            checked=checked,
            signature=signature,
        )
        agreement.signed_on = signed_on
        agreement.signed_place = signed_place.strip()
        agreement.entry_into_force_on = starts_on
        agreement.signed_text_match = match
        agreement.signed_text_note = low_match_reason if agreement.low_text_match else ""
        params = {"signed_on": signed_on.isoformat(), "place": agreement.signed_place, "match": match}
        params["low_match"] = bool(agreement.low_text_match)
        params.update(signature=signature.status, signer=signature.signer, rfc=signature.rfc)
        apply_person_action(
            agreement,
            action=Action.UPLOAD_SIGNED_COPY,
            actor_user=user,
            actor_kind=actor,
            comment=agreement.signed_text_note,
            params=params,
        )
    return document


def agreement_register(
    *, user, agreement_id: int, registry_number: str, registered_on, recommendations_incorporated: bool
) -> Agreement:
    errors = {}
    number = (registry_number or "").strip()
    if not number:
        errors["registry_number"] = [_("Escriba el número de registro.")]
    elif not is_registry_number(number):
        errors["registry_number"] = [capfirst(str(REGISTRY_NUMBER_HELP))]
    if not isinstance(registered_on, dt.date):
        errors["registered_on"] = [_("Indique la fecha de inscripción.")]
    errors.update(registration_date_errors(signed_on=None, registered_on=registered_on, today=today()))
    if recommendations_incorporated is not True:
        errors["recommendations_incorporated"] = [
            _(
                "Solo se inscribe un acuerdo que incorporó las recomendaciones; si no fue así, devuelva la copia firmada con el motivo."
            )
        ]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], field_errors=errors)
    with locked_case(agreement_id) as agreement:
        actor = authorize(user, Action.REGISTER, agreement)
        taken = (
            Agreement.objects.filter(registry_number=number).exclude(pk=agreement.pk).exists()
            or RegistryEntry.objects.filter(registry_number=number).exclude(agreement=agreement).exists()
            or RegistryAmendment.objects.filter(registry_number=number).exclude(agreement=agreement).exists()
        )
        if taken:
            msg = _("El número de registro %(n)s ya está asignado a otro acuerdo.") % {"n": number}
            raise ValidationFailed(msg, field_errors={"registry_number": [msg]})
        if errors := registration_date_errors(signed_on=agreement.signed_on, registered_on=registered_on):
            raise ValidationFailed(errors["registered_on"][0], field_errors=errors)
        agreement.registry_number = number
        agreement.registered_on = registered_on
        agreement.recommendations_incorporated = True
        apply_person_action(
            agreement,
            action=Action.REGISTER,
            actor_user=user,
            actor_kind=actor,
            params={"number": number, "registered_on": registered_on.isoformat()},
        )
    return agreement
