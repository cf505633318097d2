"""The SRE/DGCP 12-step procedure as plain data and pure functions.

Nothing here touches the database: the steps, the actors, the actions' names, the status
sets, which automatic step each status waits on, and the business-day calendar of step 6.
Each action's move, guard, interface and notices are declared once in ``actions.py``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache

import holidays
from django.utils.translation import gettext_lazy as _

from .choices import CaseSituation, DictamenOutcome, Status

CJA_BUSINESS_DAYS = 10

# Step 9: below this share of matching words (in %) between the signed copy and the text that received
# the dictamen, the filer must confirm the upload with a reason and the CJA inbox flags the case.
SIGNED_TEXT_MATCH_THRESHOLD = 60


class Actor(StrEnum):
    LOCAL = "local"
    DGCP = "dgcp"
    CJA = "cja"
    SYSTEM = "system"


ACTOR_LABELS = {
    Actor.LOCAL: _("Oficina local"),
    Actor.DGCP: _("DGCP"),
    Actor.CJA: _("CJA"),
    Actor.SYSTEM: _("sistema"),
}


@dataclass(frozen=True)
class Step:
    number: int
    name: str
    actor: Actor
    automatic: bool


STEPS: tuple[Step, ...] = (
    Step(1, _("Oficio de solicitud dirigido a la DGCP"), Actor.LOCAL, False),
    Step(2, _("Texto final acordado en Word"), Actor.LOCAL, False),
    Step(3, _("Anexos"), Actor.LOCAL, False),
    Step(4, _("Envío de la solicitud"), Actor.LOCAL, False),
    Step(5, _("Turno a la Consultoría Jurídica"), Actor.DGCP, True),
    Step(6, _("Plazo de diez días hábiles"), Actor.SYSTEM, True),
    Step(7, _("Dictamen de procedencia"), Actor.CJA, False),
    Step(8, _("Aprobación y entrega del dictamen"), Actor.DGCP, False),
    Step(9, _("Copia firmada"), Actor.LOCAL, False),
    Step(10, _("Solicitud de registro"), Actor.DGCP, True),
    Step(11, _("Inscripción en el registro"), Actor.CJA, False),
    Step(12, _("Conclusión del expediente"), Actor.DGCP, True),
)
STEP_BY_NUMBER = {s.number: s for s in STEPS}


class Action(StrEnum):
    UPLOAD_DOCUMENT = "upload_document"
    REPLACE_DOCUMENT = "replace_document"
    REMOVE_DOCUMENT = "remove_document"
    SUBMIT = "submit"
    CHECK_COMPLETENESS = "check_completeness"
    COMPUTE_DEADLINE = "compute_deadline"
    ISSUE_DICTAMEN = "issue_dictamen"
    APPROVE_DICTAMEN = "approve_dictamen"
    RETURN_DICTAMEN = "return_dictamen"
    ANSWER_OBSERVATION = "answer_observation"
    SUBMIT_REVISION = "submit_revision"
    UPLOAD_SIGNED_COPY = "upload_signed_copy"
    REQUEST_REGISTRATION = "request_registration"
    REGISTER = "register"
    RETURN_SIGNED_COPY = "return_signed_copy"
    CLOSE = "close"
    RETURN_FOR_CORRECTIONS = "return_for_corrections"
    MARK_NOT_ADMISSIBLE = "mark_not_admissible"
    WITHDRAW = "withdraw"


OPEN_STATUSES = frozenset(
    {
        Status.DRAFT,
        Status.RETURNED,
        Status.SUBMITTED,
        Status.FORWARDED,
        Status.IN_REVIEW,
        Status.DICTAMEN_ISSUED,
        Status.AWAITING_SIGNATURE,
        Status.SIGNED,
        Status.REGISTRATION_REQUESTED,
        Status.INSCRIBED,
    }
)
TERMINAL_STATUSES = frozenset(set(Status) - OPEN_STATUSES)
EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.RETURNED})
# Sent to the SRE and not yet concluded: what reviewers, inboxes, dashboards and public counts see (never a draft).
SENT_OPEN_STATUSES = OPEN_STATUSES - {Status.DRAFT}
# From step 11 on, the case page compares the signed copy's text with the text the dictamen reviewed.
SIGNED_TEXT_COMPARED_STATUSES = frozenset({Status.REGISTRATION_REQUESTED, Status.INSCRIBED, Status.CLOSED})
# How an ended case ended, as the public status by folio says it; every other status is "open".
ENDED_SITUATION: dict[Status, CaseSituation] = {
    Status.CLOSED: CaseSituation.CLOSED,
    Status.NOT_VIABLE: CaseSituation.CLOSED,  # the procedure ended with a dictamen "no procedente"
    Status.WITHDRAWN: CaseSituation.WITHDRAWN,
    Status.NOT_ADMISSIBLE: CaseSituation.NOT_ADMITTED,
}


def situation(status: Status) -> CaseSituation:
    return ENDED_SITUATION.get(status, CaseSituation.OPEN)


# The statuses in which the case is in the CJA's hands (a withdrawal then tells the CJA too).
WITH_CJA_STATUSES = frozenset({Status.IN_REVIEW, Status.DICTAMEN_ISSUED, Status.REGISTRATION_REQUESTED})


# The automatic step each status is waiting on, for the Celery task and the sweep.
AUTOMATIC_NEXT: dict[Status, Action] = {
    Status.SUBMITTED: Action.CHECK_COMPLETENESS,
    Status.FORWARDED: Action.COMPUTE_DEADLINE,
    Status.SIGNED: Action.REQUEST_REGISTRATION,
    Status.INSCRIBED: Action.CLOSE,
}

# The step each open status is waiting on (drafts depend on their documents: see draft_step).
STATUS_STEP: dict[Status, int] = {
    Status.RETURNED: 4,
    Status.SUBMITTED: 5,
    Status.FORWARDED: 6,
    Status.IN_REVIEW: 7,
    Status.DICTAMEN_ISSUED: 8,
    Status.AWAITING_SIGNATURE: 9,
    Status.SIGNED: 10,
    Status.REGISTRATION_REQUESTED: 11,
    Status.INSCRIBED: 12,
}


def allows_revision(outcome: str | None) -> bool:
    """Only a dictamen *with observations* invites a revised final text (back to step 7)."""
    return outcome == DictamenOutcome.VIABLE_WITH_OBSERVATIONS


def text_match(reviewed: str, signed: str) -> tuple[float, list[tuple[str, str, str]]]:
    """Word-level similarity (0-100, one decimal) of two texts and their differing passages."""
    a, b = reviewed.split(), signed.split()
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    changes = [
        (tag, " ".join(a[i1:i2]), " ".join(b[j1:j2])) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    ]
    return round(matcher.ratio() * 100, 1), changes


def draft_step(*, has_request_letter: bool, has_final_text: bool) -> int:
    if not has_request_letter:
        return 1
    if not has_final_text:
        return 2
    return 4


def step_for_status(status: Status, *, has_request_letter: bool = False, has_final_text: bool = False) -> int | None:
    if status == Status.DRAFT:
        return draft_step(has_request_letter=has_request_letter, has_final_text=has_final_text)
    return STATUS_STEP.get(status)


@dataclass(frozen=True)
class StepState:
    number: int
    name: str
    state: str  # done | current | pending | skipped
    completed_at: datetime | None
    actor: str | None


def step_states(current_step: int | None, status: Status, completions: dict[int, tuple]) -> list[StepState]:
    """The 12 steps with their state; ``completions`` maps step -> (completed_at, actor label)."""
    result = []
    terminal = status in TERMINAL_STATUSES
    for step in STEPS:
        when, actor = completions.get(step.number, (None, None))
        if current_step is not None and step.number == current_step:
            state = "current"
        elif current_step is not None and step.number > current_step:
            state = "pending"
        elif when is not None:
            state = "done"
        elif terminal or (current_step is not None and step.number < current_step):
            state = "skipped"
        else:
            state = "pending"
        result.append(StepState(step.number, str(step.name), state, when, actor))
    return result


# --- Business days (step 6) ------------------------------------------------


@lru_cache(maxsize=64)
def _federal_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.Mexico(years=year).keys())


def is_business_day(day: date, non_working_days: frozenset[date] = frozenset()) -> bool:
    return day.weekday() < 5 and day not in _federal_holidays(day.year) and day not in non_working_days


def cja_deadline(signing_date: date, non_working_days: frozenset[date] = frozenset()) -> date:
    """Latest day the request may reach the CJA: ten business days before ``signing_date``.

    Counts back over business days only (weekends, federal holidays under LFT art. 74
    and the SRE's published non-working days excluded). 2025-09-29 -> 2025-09-12.
    """
    day, counted = signing_date, 0
    while counted < CJA_BUSINESS_DAYS:
        day -= timedelta(days=1)
        if is_business_day(day, non_working_days):
            counted += 1
    return day


def business_days_between(start: date, end: date, non_working_days: frozenset[date] = frozenset()) -> int:
    """Business days elapsed after ``start`` up to and including ``end`` (0 when end <= start)."""
    days, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_business_day(day, non_working_days):
            days += 1
    return days


def is_late(*, submitted_on: date, signing_date: date, non_working_days: frozenset[date] = frozenset()) -> bool:
    return submitted_on > cja_deadline(signing_date, non_working_days)
