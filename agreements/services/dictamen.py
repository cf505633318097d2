"""The reviewers' decision on the text: the CJA issues the dictamen (step 7), the DGCP approves and delivers it with
the reply letter, or returns it to the CJA (step 8)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.exceptions import Conflict, ValidationFailed
from portal.core.limits import check_length, check_lengths, length_errors, max_length_of

from .. import letters
from ..actions import ACTIONS
from ..choices import DictamenOutcome, DictamenStatus, DocumentKind
from ..models import Agreement, Dictamen, Document, Observation
from ..permissions import authorize
from ..workflow import Action
from .documents import generated_pdf_store
from .transitions import locked_case, notify
from .walk import apply_person_action

__all__ = [
    "dictamen_approve",
    "dictamen_issue",
    "dictamen_return",
]


def _current_final_text(agreement: Agreement) -> Document:
    document = agreement.documents.filter(kind=DocumentKind.FINAL_TEXT).order_by("-version").first()
    if document is None:
        raise ValidationFailed(_("El expediente no tiene texto final."))
    return document


def dictamen_issue(
    *, user, agreement_id: int, outcome: str, summary: str, observations: Iterable[dict] = ()
) -> Dictamen:
    observations = [o for o in observations if (o.get("text") or "").strip()]
    errors = {}
    if outcome not in DictamenOutcome.values:
        errors["outcome"] = [
            _("Elija el sentido del dictamen: procedente, procedente con observaciones o no procedente.")
        ]
    if not (summary or "").strip():
        errors["summary"] = [_("Escriba el resumen del dictamen.")]
    if outcome == DictamenOutcome.VIABLE_WITH_OBSERVATIONS and not observations:
        errors["observations"] = [_("Un dictamen con observaciones debe incluir al menos una observación.")]
    errors.update(length_errors(Dictamen, summary=summary))
    try:
        Observation.check_list(observations)
    except ValidationFailed as exc:
        errors.update(exc.field_errors)
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], field_errors=errors)
    with locked_case(agreement_id) as agreement:
        actor = authorize(user, Action.ISSUE_DICTAMEN, agreement)
        final_text = _current_final_text(agreement)
        try:
            with transaction.atomic():
                dictamen = Dictamen.objects.create(
                    agreement=agreement,
                    final_text=final_text,
                    outcome=outcome,
                    summary=summary.strip(),
                    issued_by=user,
                )
        except IntegrityError:
            raise Conflict(
                _(
                    "Esta versión del texto final ya tiene un dictamen. No se emite un segundo dictamen sobre el mismo instrumento."
                ),
                code="duplicate_dictamen",
            ) from None
        Observation.objects.bulk_create(
            Observation(dictamen=dictamen, number=i, text=o["text"].strip(), clause=(o.get("clause") or "").strip())
            for i, o in enumerate(observations, start=1)
        )
        apply_person_action(
            agreement,
            action=Action.ISSUE_DICTAMEN,
            actor_user=user,
            actor_kind=actor,
            decision=outcome,
            comment=summary.strip(),
        )
        notify(agreement, Action.ISSUE_DICTAMEN, params={"outcome": outcome})
    return dictamen


def _pending_dictamen(agreement: Agreement) -> Dictamen:
    dictamen = agreement.dictamenes.filter(status=DictamenStatus.ISSUED).first()
    if dictamen is None:
        raise Conflict(_("No hay un dictamen pendiente de aprobación."), code="no_pending_dictamen")
    return dictamen


def dictamen_approve(*, user, agreement_id: int, cover_note: str = "") -> Dictamen:
    check_lengths(Dictamen, cover_note=cover_note)
    with locked_case(agreement_id) as agreement:
        actor = authorize(user, Action.APPROVE_DICTAMEN, agreement)
        dictamen = _pending_dictamen(agreement)
        dictamen.status = DictamenStatus.APPROVED
        dictamen.reviewed_by = user
        dictamen.reviewed_at = timezone.now()
        dictamen.cover_note = (cover_note or "").strip()
        pdf = letters.reply_letter_pdf(agreement=agreement, dictamen=dictamen, signer=user)
        letter = generated_pdf_store(agreement, kind=DocumentKind.REPLY_LETTER, name="respuesta", pdf=pdf, user=user)
        dictamen.reply_letter = letter
        dictamen.save()
        agreement.dictamen_outcome = dictamen.outcome
        apply_person_action(
            agreement,
            action=Action.APPROVE_DICTAMEN,
            actor_user=user,
            actor_kind=actor,
            target=ACTIONS[Action.APPROVE_DICTAMEN].target_for(dictamen.outcome),
            decision=dictamen.outcome,
            comment=dictamen.cover_note,
        )
        notify(agreement, Action.APPROVE_DICTAMEN, params=_delivery_params(dictamen))
    return dictamen


def _delivery_params(dictamen: Dictamen) -> dict:
    """What the filer is told at step 8: the outcome, the summary, each observation and the reply letter."""
    return {
        "outcome": dictamen.outcome,
        "summary": dictamen.summary,
        "cover_note": dictamen.cover_note,
        "observations": [
            {"number": o.number, "clause": o.clause, "text": o.text} for o in dictamen.observations.order_by("number")
        ],
        "attachments": [dictamen.reply_letter_id] if dictamen.reply_letter_id else [],
    }


def dictamen_return(*, user, agreement_id: int, comment: str) -> Dictamen:
    if not (comment or "").strip():
        msg = _("Explique a la CJA por qué se devuelve el dictamen.")
        raise ValidationFailed(msg, field_errors={"comment": [msg]})
    check_length("comment", comment, max_length_of(Dictamen, "return_comment"))
    with locked_case(agreement_id) as agreement:
        actor = authorize(user, Action.RETURN_DICTAMEN, agreement)
        dictamen = _pending_dictamen(agreement)
        dictamen.status = DictamenStatus.RETURNED
        dictamen.reviewed_by = user
        dictamen.reviewed_at = timezone.now()
        dictamen.return_comment = comment.strip()
        dictamen.save()
        apply_person_action(
            agreement, action=Action.RETURN_DICTAMEN, actor_user=user, actor_kind=actor, comment=comment.strip()
        )
        notify(agreement, Action.RETURN_DICTAMEN, params={"comment": comment.strip()})
    return dictamen
