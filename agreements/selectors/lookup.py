"""The public status of a case by its folio: what a citizen or an auditor holding the receipt may know.

Only the folio, the step (number and name), the date the case reached it and whether the case is open,
closed, withdrawn or not admitted: no title, counterpart, office or documents. A draft that was never sent is
not a case yet and answers like an unknown folio.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone

from ..choices import CaseSituation, Status
from ..models import Agreement, TimelineEvent
from ..workflow import STEP_BY_NUMBER, STEPS, situation

# What agreement_create writes (AII-<year>-<number>), in upper case; other prefixes keep the same shape.
FOLIO_PATTERN = re.compile(r"[A-Z]{2,5}-[0-9]{4}-[0-9]{1,12}")

__all__ = ["CaseLookup", "FOLIO_PATTERN", "case_lookup", "normalise_folio"]


@dataclass(frozen=True)
class CaseLookup:
    folio: str
    step: int
    step_name: str  # lazy: rendered in the reader's language
    reached_on: dt.date
    situation: CaseSituation


def normalise_folio(value: str) -> str | None:
    """``value`` as a folio (trimmed, upper case), or None when it cannot be one."""
    folio = (value or "").strip().upper()
    return folio if FOLIO_PATTERN.fullmatch(folio) else None


def case_lookup(folio: str) -> CaseLookup | None:
    """The public status of the sent case numbered ``folio``; None for unknown folios and unsent drafts."""
    folio = normalise_folio(folio)
    if folio is None:
        return None
    case = (
        Agreement.objects.filter(folio=folio, submitted_at__isnull=False)
        .only("folio", "status", "current_step", "step_entered_at")
        .first()
    )
    if case is None:
        return None
    step = case.current_step
    if step is None:
        # Ended: a closed case completed the last step; any other stopped where its last move found it.
        step = STEPS[-1].number if case.status == Status.CLOSED else _step_where_it_ended(case)
    return CaseLookup(
        folio=case.folio,
        step=step,
        step_name=STEP_BY_NUMBER[step].name,
        reached_on=timezone.localdate(case.step_entered_at),
        situation=situation(case.status),
    )


def _step_where_it_ended(case: Agreement) -> int:
    last = (
        TimelineEvent.objects.filter(agreement=case, to_status=case.status)
        .order_by("-created_at", "-id")
        .values_list("from_step", flat=True)
        .first()
    )
    return last or 4  # step 4: the request was sent
