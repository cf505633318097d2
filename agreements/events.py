"""Timeline events: what each kind of row records and how it reads, in the reader's language.

A timeline row stores codes (``action``, ``actor_role``, ``decision``: choices with database constraints)
and the facts of the event as parameters (``params``: dates in ISO format, numbers, a place). Only what
people wrote (a reason, a dictamen's summary, a reply, a file's name) is kept as text, in ``comment``.
:func:`describe` turns the codes and parameters into the sentence the reader sees, through gettext, so a
reader of the English interface reads English whatever the language of the person who acted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from django.utils.translation import gettext as _

from portal.core.signatures import SignatureStatus

from .choices import TimelineAction, TimelineDecision


def _date(value) -> str:
    """An ISO date parameter as the portal writes dates (dd/mm/yyyy); anything else as it is."""
    try:
        return f"{dt.date.fromisoformat(str(value)):%d/%m/%Y}"
    except ValueError:
        return str(value)


def _completeness(decision: str, params: Mapping) -> str:
    if decision == TimelineDecision.INCOMPLETE:
        return _("Faltan documentos obligatorios; el expediente vuelve a la oficina local.")
    return _("Documentación completa; turnado a la Consultoría Jurídica.")


def _deadline(decision: str, params: Mapping) -> str:
    d = _date(params.get("deadline", ""))
    if decision == TimelineDecision.LATE and params.get("urgent"):
        return _("Recibido después del %(d)s, con justificación de urgencia.") % {"d": d}
    if decision == TimelineDecision.LATE:
        return _("Recibido fuera de plazo (límite %(d)s) y sin justificación de urgencia.") % {"d": d}
    return _("En plazo: debía llegar a la CJA a más tardar el %(d)s.") % {"d": d}


def _revision(decision: str, params: Mapping) -> str:
    return _("Versión %(v)s del texto final") % {"v": params.get("version", "")}


def _signed_copy(decision: str, params: Mapping) -> str:
    text = _("Firmado el %(d)s en %(p)s") % {"d": _date(params.get("signed_on", "")), "p": params.get("place", "")}
    if params.get("low_match"):
        text += " · " + _("coincidencia con el texto dictaminado: %(m)s %%") % {"m": f"{params['match']:.1f}"}
    if params.get("signature"):  # the PDF signature check (portal.core.signatures), recorded with the upload
        text += " · " + _("firma digital: %(s)s") % {"s": SignatureStatus(params["signature"]).label}
        if params.get("signer"):
            rfc = f", RFC {params['rfc']}" if params.get("rfc") else ""
            text += f" ({params['signer']}{rfc})"
    return text


def _registration(decision: str, params: Mapping) -> str:
    return _("Inscrito con el número %(n)s el %(d)s") % {
        "n": params.get("number", ""),
        "d": _date(params.get("registered_on", "")),
    }


def _observation(decision: str, params: Mapping) -> str:
    text = _("Observación %(n)s") % {"n": params.get("number", "")}
    label = decision_label(decision)
    return f"{text}: {label}" if label else text


def _fixed(text: Callable[[], str]) -> Callable[[str, Mapping], str]:
    return lambda decision, params: text()


DESCRIPTIONS: dict[str, Callable[[str, Mapping], str]] = {
    TimelineAction.CHECK_COMPLETENESS: _completeness,
    TimelineAction.COMPUTE_DEADLINE: _deadline,
    TimelineAction.SUBMIT_REVISION: _revision,
    TimelineAction.UPLOAD_SIGNED_COPY: _signed_copy,
    TimelineAction.REGISTER: _registration,
    TimelineAction.ANSWER_OBSERVATION: _observation,
    TimelineAction.REQUEST_REGISTRATION: _fixed(lambda: _("La DGCP solicita a la CJA la inscripción en el registro.")),
    TimelineAction.CLOSE: _fixed(
        lambda: _("Procedimiento concluido; el acuerdo queda inscrito en el registro público.")
    ),
}


def describe(action: str, decision: str = "", params: Mapping | None = None) -> str:
    """The sentence a timeline row adds to its action's name, in the active language ("" when none)."""
    describe_one = DESCRIPTIONS.get(action)
    if describe_one is None:
        return ""
    return describe_one(decision or "", params or {})


def decision_label(decision: str) -> str:
    """A decision code's label in the active language ("" for none)."""
    return str(TimelineDecision(decision).label) if decision in TimelineDecision.values else ""
