"""The pure guards of the action table (``actions.ACTIONS``): plain facts about a case in, a refusal (the field
concerned and the message) or a yes/no out. No database, no request: the unit tests of the table cover every
rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import workflow
from .choices import Status
from .workflow import EDITABLE_STATUSES, SIGNED_TEXT_MATCH_THRESHOLD

__all__ = [
    "CaseFacts",
    "Check",
    "Refusal",
    "WITH_THE_CJA",
    "always",
    "documents_attached",
    "documents_valid",
    "in_time_or_urgent",
    "is_late",
    "observations_answered",
    "revision_invited",
    "signed_text_matches_or_confirmed",
    "signed_within_validity",
    "signing_date_ahead",
    "was_sent",
    "was_with_the_cja",
]


@dataclass(frozen=True)
class CaseFacts:
    """Plain facts about a case a guard may look at (the services load the ones a check needs)."""

    status: Status
    dictamen_outcome: str = ""
    today: dt.date | None = None
    intended_signing_date: dt.date | None = None
    cja_deadline: dt.date | None = None
    urgency_reason: str = ""
    has_request_letter: bool = False
    has_final_text: bool = False
    valid_request_letter: bool = False
    valid_final_text: bool = False
    unanswered_observations: int = 0
    delivered_on: dt.date | None = None  # the day the DGCP delivered the dictamen (step 8)


@dataclass(frozen=True)
class Refusal:
    """Why a check refuses: the field concerned ("" for the whole request) and the message."""

    field: str
    message: str


Check = Callable[[CaseFacts, Mapping], Refusal | None]


def _d(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def always(facts: CaseFacts) -> bool:
    return True


def revision_invited(facts: CaseFacts) -> bool:
    """Only a delivered dictamen *with observations* invites answers and a revised final text."""
    return workflow.allows_revision(facts.dictamen_outcome)


def documents_attached(facts: CaseFacts, data: Mapping) -> Refusal | None:
    missing = []
    if not facts.has_request_letter:
        missing.append(_("el oficio de solicitud en PDF (paso 1)"))
    if not facts.has_final_text:
        missing.append(_("el texto final en Word (paso 2)"))
    if len(missing) == 2:
        missing = [_("%(first)s y %(second)s") % {"first": missing[0], "second": missing[1]}]
    if missing:
        return Refusal("", _("Falta adjuntar %(docs)s.") % {"docs": missing[0]})
    return None


def signing_date_ahead(facts: CaseFacts, data: Mapping) -> Refusal | None:
    if facts.intended_signing_date is not None and facts.today and facts.intended_signing_date < facts.today:
        return Refusal("intended_signing_date", _("La fecha prevista de firma ya pasó; actualícela antes de enviar."))
    return None


def is_late(facts: CaseFacts) -> bool:
    """Step 6: the request reaches the CJA today, after the tenth business day before signing."""
    return facts.cja_deadline is not None and facts.today is not None and facts.today > facts.cja_deadline


def in_time_or_urgent(facts: CaseFacts, data: Mapping) -> Refusal | None:
    """A request that would reach the CJA late is sent only with its urgency stated."""
    if is_late(facts) and not (facts.urgency_reason or "").strip():
        return Refusal(
            "urgency_reason",
            _(
                "La solicitud debía llegar a la Consultoría Jurídica a más tardar el %(d)s (diez días hábiles antes "
                "de la firma prevista). Explique la urgencia en «Justificación de urgencia» o cambie la fecha "
                "prevista de firma antes de enviar."
            )
            % {"d": _d(facts.cja_deadline)},
        )
    return None


def documents_valid(facts: CaseFacts, data: Mapping) -> Refusal | None:
    if not (facts.valid_request_letter and facts.valid_final_text):
        return Refusal("", _("Faltan documentos obligatorios; el expediente vuelve a la oficina local."))
    return None


def observations_answered(facts: CaseFacts, data: Mapping) -> Refusal | None:
    n = facts.unanswered_observations
    if n:
        return Refusal(
            "",
            ngettext(
                "Responda primero cada observación del dictamen (falta %(n)s) y después envíe el texto revisado.",
                "Responda primero cada observación del dictamen (faltan %(n)s) y después envíe el texto revisado.",
                n,
            )
            % {"n": n},
        )
    return None


def signed_within_validity(facts: CaseFacts, data: Mapping) -> Refusal | None:
    """The signing date lies between the dictamen's delivery (step 8) and today."""
    signed_on = data.get("signed_on")
    if not isinstance(signed_on, dt.date):
        return Refusal("signed_on", _("Indique la fecha de firma."))
    if facts.today is not None and signed_on > facts.today:
        return Refusal("signed_on", _("La fecha de firma no puede estar en el futuro."))
    if facts.delivered_on is not None and signed_on < facts.delivered_on:
        return Refusal(
            "signed_on",
            _("La fecha de firma no puede ser anterior a la entrega del dictamen (%(d)s).")
            % {"d": _d(facts.delivered_on)},
        )
    return None


def signed_text_matches_or_confirmed(facts: CaseFacts, data: Mapping) -> Refusal | None:
    """Below the threshold the filer confirms, with a reason, that this is the text signed."""
    match = data.get("text_match")
    if match is None or match >= SIGNED_TEXT_MATCH_THRESHOLD:
        return None
    if (data.get("low_match_reason") or "").strip():
        return None
    if data.get("signed_has_text") is False:
        return Refusal(
            "low_match_reason",
            _(
                "El PDF de la copia firmada no contiene texto extraíble (¿es un escaneo sin reconocimiento de "
                "texto?), así que no puede compararse con el texto dictaminado. Si es el documento correcto, "
                "indíquelo en «Motivo de la diferencia» y envíelo de nuevo."
            ),
        )
    return Refusal(
        "low_match_reason",
        _(
            "El texto de la copia firmada coincide en %(m)s %% con el texto dictaminado (menos del %(t)s %%). "
            "Verifique que cargó el documento correcto; si es así, explique la diferencia en «Motivo de la "
            "diferencia» y envíelo de nuevo."
        )
        % {"m": f"{match:.1f}", "t": SIGNED_TEXT_MATCH_THRESHOLD},
    )


def was_sent(status: Status) -> bool:
    """The case had been sent to the SRE (the DGCP has it on record); a draft or a returned case is the office's."""
    return status not in EDITABLE_STATUSES


# Where the case waits on the CJA (or on the DGCP with a dictamen the CJA issued).
WITH_THE_CJA = frozenset(
    {Status.FORWARDED, Status.IN_REVIEW, Status.DICTAMEN_ISSUED, Status.SIGNED, Status.REGISTRATION_REQUESTED}
)


def was_with_the_cja(status: Status) -> bool:
    return status in WITH_THE_CJA
