"""The reviewers' decision on the text: the CJA issues the dictamen (step 7), the DGCP approves and delivers it with
the reply letter, or returns it to the CJA (step 8)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.exceptions import Conflict, ValidationFailed, full_clean_or_fail

from .. import letters
from ..actions import ACTIONS
from ..choices import DictamenStatus, DocumentKind
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


def _validated(dictamen: Dictamen, *fields: str, observations: list[dict] | None = None) -> None:
    """The model's rules on the ``fields`` an action sets (and on the observations a dictamen is issued with),
    checked before the case is locked: one 400 with every field's messages, nothing written. The constraints
    (one dictamen per version) are the database's, read as a conflict under the lock."""
    extra = {}
    if observations is not None:
        try:
            Dictamen.clean_observations(dictamen.outcome, observations)
        except ValidationError as exc:
            extra = exc.message_dict
    full_clean_or_fail(
        dictamen,
        only=fields,
        extra=extra,
        keys={"return_comment": "comment"},
        validate_unique=False,
        validate_constraints=False,
    )


def dictamen_issue(
    *, user, agreement_id: int, outcome: str, summary: str, observations: Iterable[dict] = ()
) -> Dictamen:
    observations = [o for o in observations if (o.get("text") or "").strip()]
    summary = (summary or "").strip()
    _validated(Dictamen(outcome=outcome, summary=summary), "outcome", "summary", observations=observations)
    with locked_case(agreement_id) as agreement:
        actor = authorize(user, Action.ISSUE_DICTAMEN, agreement)
        final_text = _current_final_text(agreement)
        try:
            with transaction.atomic():
                dictamen = Dictamen.objects.create(
                    agreement=agreement,
                    final_text=final_text,
                    outcome=outcome,
                    summary=summary,
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
            comment=summary,
        )
        notify(agreement, Action.ISSUE_DICTAMEN, params={"outcome": outcome})
    return dictamen


def _pending_dictamen(agreement: Agreement) -> Dictamen:
    dictamen = agreement.dictamenes.filter(status=DictamenStatus.ISSUED).first()
    if dictamen is None:
        raise Conflict(_("No hay un dictamen pendiente de aprobación."), code="no_pending_dictamen")
    return dictamen


def dictamen_approve(*, user, agreement_id: int, cover_note: str = "") -> Dictamen:
    _validated(Dictamen(cover_note=cover_note), "cover_note")
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
    comment = (comment or "").strip()
    _validated(Dictamen(status=DictamenStatus.RETURNED, return_comment=comment), "return_comment")
    with locked_case(agreement_id) as agreement:
        actor = authorize(user, Action.RETURN_DICTAMEN, agreement)
        dictamen = _pending_dictamen(agreement)
        dictamen.status = DictamenStatus.RETURNED
        dictamen.reviewed_by = user
        dictamen.reviewed_at = timezone.now()
        dictamen.return_comment = comment
        dictamen.save()
        apply_person_action(
            agreement, action=Action.RETURN_DICTAMEN, actor_user=user, actor_kind=actor, comment=comment
        )
        notify(agreement, Action.RETURN_DICTAMEN, params={"comment": comment})
    return dictamen
