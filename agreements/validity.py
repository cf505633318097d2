"""An agreement's term (*vigencia*) as plain data and pure functions; nothing here touches the database.

The request (steps 1-4) records when the agreement enters into force (on signature, on a stated date or on
the last notification between the parties), how long it lasts (years and months, or indefinitely) and
whether it renews itself. The signed copy (step 9) confirms the date it entered into force; registration
(steps 11-12) carries its last day in force into the public registry, where the expiry reminders read it.
"""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .choices import EntryIntoForce, Term

TERM_FIELDS = ("entry_into_force", "entry_into_force_on", "term", "term_years", "term_months", "automatic_renewal")
MAX_YEARS = 99
MAX_MONTHS = 120


def end_date(*, starts_on: dt.date | None, term: str, years: int | None, months: int | None) -> dt.date | None:
    """The last day in force: three years from 1 March 2026 end on 28 February 2029.

    ``None`` when the term is indefinite, was not recorded, or its start is not known yet.
    """
    if starts_on is None or term != Term.FIXED or not ((years or 0) + (months or 0)):
        return None
    return starts_on + relativedelta(years=years or 0, months=months or 0) - dt.timedelta(days=1)


def term_label(*, term: str, years: int | None, months: int | None) -> str:
    """«2 años y 6 meses», «Indefinida», «No registrada» (cases filed before the term was recorded)."""
    if term == Term.INDEFINITE:
        return str(Term.INDEFINITE.label)
    if term != Term.FIXED:
        return _("No registrada")
    parts = []
    if years:
        parts.append(ngettext("%(n)s año", "%(n)s años", years) % {"n": years})
    if months:
        parts.append(ngettext("%(n)s mes", "%(n)s meses", months) % {"n": months})
    return _(" y ").join(parts)


def _whole(value, field: str, maximum: int, errors: dict) -> int:
    if value in (None, ""):
        return 0
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value).strip())
        except ValueError:
            errors.setdefault(field, []).append(_("Escriba un número entero."))
            return 0
    if not 0 <= value <= maximum:
        errors.setdefault(field, []).append(_("Escriba un número entre 0 y %(max)s.") % {"max": maximum})
        return 0
    return value


def clean_term(data: dict, *, partial: bool = False) -> tuple[dict, dict[str, list[str]]]:
    """The term fields of ``data`` made consistent, and the errors by field (empty when valid).

    A partial update that names none of the term fields leaves the term as it is; one that names any of
    them states the whole term again.
    """
    if partial and not any(field in data for field in TERM_FIELDS):
        return {}, {}
    errors: dict[str, list[str]] = {}
    clean: dict = {}

    entry = data.get("entry_into_force") or ""
    if entry not in EntryIntoForce.values:
        errors["entry_into_force"] = [_("Indique cuándo entra en vigor el acuerdo.")]
    clean["entry_into_force"] = entry
    agreed_on = data.get("entry_into_force_on")
    if entry == EntryIntoForce.ON_DATE:
        if not isinstance(agreed_on, dt.date):
            errors["entry_into_force_on"] = [_("Indique la fecha en que el acuerdo entra en vigor.")]
        clean["entry_into_force_on"] = agreed_on if isinstance(agreed_on, dt.date) else None
    else:
        clean["entry_into_force_on"] = None  # known only once signed (step 9)

    term = data.get("term") or ""
    renewal = data.get("automatic_renewal")
    renewal = bool(renewal) if renewal not in (None, "") else False
    if term == Term.FIXED:
        years = _whole(data.get("term_years"), "term_years", MAX_YEARS, errors)
        months = _whole(data.get("term_months"), "term_months", MAX_MONTHS, errors)
        if not (years or months) and not ({"term_years", "term_months"} & errors.keys()):
            errors["term_years"] = [_("Indique la duración del acuerdo en años, meses o ambos.")]
        clean.update(term_years=years, term_months=months)
    elif term == Term.INDEFINITE:
        if renewal:
            errors["automatic_renewal"] = [
                _("Un acuerdo de vigencia indefinida no se renueva: desmarque la renovación automática.")
            ]
        clean.update(term_years=None, term_months=None)
    else:
        errors["term"] = [_("Indique la vigencia del acuerdo: un plazo en años y meses, o indefinida.")]
    clean["term"] = term
    clean["automatic_renewal"] = renewal
    return clean, errors


def confirm_entry_into_force(
    *, entry_into_force: str, agreed_on: dt.date | None, signed_on: dt.date, given_on: dt.date | None, today: dt.date
) -> tuple[dt.date | None, str | None]:
    """Step 9: the date the agreement entered into force, or the reason the given one is refused.

    On signature: the signing date. On a stated date: the date given now, else the one filed. On the last
    notification between the parties: the filer states it now. Never before the signature.
    """
    if entry_into_force == EntryIntoForce.ON_SIGNATURE:
        if given_on is not None and given_on != signed_on:
            return None, _("Este acuerdo entra en vigor a la firma: su entrada en vigor es la fecha de firma.")
        return signed_on, None
    if entry_into_force == EntryIntoForce.ON_LAST_NOTIFICATION and given_on is None:
        return None, _(
            "Indique la fecha de la última notificación entre las partes: es la fecha en que el acuerdo entró en vigor."
        )
    starts_on = given_on or agreed_on
    if starts_on is None:
        return None, None  # a case filed before the term was recorded
    if starts_on < signed_on:
        return None, _("La entrada en vigor no puede ser anterior a la firma.")
    if entry_into_force == EntryIntoForce.ON_LAST_NOTIFICATION and starts_on > today:
        return None, _("La fecha de la última notificación no puede estar en el futuro.")
    return starts_on, None
