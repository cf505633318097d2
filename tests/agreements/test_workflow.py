"""Unit tests of the 12-step procedure as data: no database."""

import datetime as dt

import pytest

from agreements import actions, workflow
from agreements.choices import DictamenOutcome, Status
from agreements.workflow import Action, Actor

pytestmark = pytest.mark.unit

ALLOWED = {
    Action.UPLOAD_DOCUMENT: {Status.DRAFT, Status.RETURNED},
    Action.REPLACE_DOCUMENT: {Status.DRAFT, Status.RETURNED},
    Action.REMOVE_DOCUMENT: {Status.DRAFT, Status.RETURNED},
    Action.SUBMIT: {Status.DRAFT, Status.RETURNED},
    Action.CHECK_COMPLETENESS: {Status.SUBMITTED},
    Action.COMPUTE_DEADLINE: {Status.FORWARDED},
    Action.ISSUE_DICTAMEN: {Status.IN_REVIEW},
    Action.APPROVE_DICTAMEN: {Status.DICTAMEN_ISSUED},
    Action.RETURN_DICTAMEN: {Status.DICTAMEN_ISSUED},
    Action.ANSWER_OBSERVATION: {Status.AWAITING_SIGNATURE},
    Action.SUBMIT_REVISION: {Status.AWAITING_SIGNATURE},
    Action.UPLOAD_SIGNED_COPY: {Status.AWAITING_SIGNATURE},
    Action.REQUEST_REGISTRATION: {Status.SIGNED},
    Action.REGISTER: {Status.REGISTRATION_REQUESTED},
    Action.RETURN_SIGNED_COPY: {Status.REGISTRATION_REQUESTED},
    Action.CLOSE: {Status.INSCRIBED},
    Action.RETURN_FOR_CORRECTIONS: {Status.IN_REVIEW},
    Action.MARK_NOT_ADMISSIBLE: {Status.IN_REVIEW},
    Action.WITHDRAW: set(workflow.OPEN_STATUSES) - {Status.INSCRIBED},
}


def test_every_action_is_specified():
    assert set(ALLOWED) == set(Action)


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("status", list(Status))
def test_every_allowed_and_forbidden_move(action, status):
    expected = status in ALLOWED[action]
    assert actions.is_allowed(action, status) is expected
    if expected:
        assert actions.ensure_allowed(action, status).action == action
    else:
        with pytest.raises(actions.TransitionNotAllowed):
            actions.ensure_allowed(action, status)


def test_the_twelve_steps_and_their_actors():
    assert [s.number for s in workflow.STEPS] == list(range(1, 13))
    automatic = {s.number for s in workflow.STEPS if s.automatic}
    assert automatic == {5, 6, 10, 12}
    assert workflow.STEP_BY_NUMBER[7].actor == Actor.CJA
    assert workflow.STEP_BY_NUMBER[8].actor == Actor.DGCP
    assert workflow.STEP_BY_NUMBER[9].actor == Actor.LOCAL
    assert workflow.STEP_BY_NUMBER[11].actor == Actor.CJA


def test_automatic_moves_are_system_only_and_human_moves_never_are():
    for action in workflow.AUTOMATIC_NEXT.values():
        assert actions.ACTIONS[action].actors == {Actor.SYSTEM}
    for move in actions.ACTIONS.values():
        if move.action not in workflow.AUTOMATIC_NEXT.values():
            assert Actor.SYSTEM not in move.actors


def test_happy_path_walks_all_twelve_steps_in_order():
    path = [
        (Action.SUBMIT, Status.SUBMITTED, 4),
        (Action.CHECK_COMPLETENESS, Status.FORWARDED, 5),
        (Action.COMPUTE_DEADLINE, Status.IN_REVIEW, 6),
        (Action.ISSUE_DICTAMEN, Status.DICTAMEN_ISSUED, 7),
        (Action.APPROVE_DICTAMEN, Status.AWAITING_SIGNATURE, 8),
        (Action.UPLOAD_SIGNED_COPY, Status.SIGNED, 9),
        (Action.REQUEST_REGISTRATION, Status.REGISTRATION_REQUESTED, 10),
        (Action.REGISTER, Status.INSCRIBED, 11),
        (Action.CLOSE, Status.CLOSED, 12),
    ]
    status = Status.DRAFT
    for action, target, completes in path:
        move = actions.ensure_allowed(action, status)
        assert move.completes_step == completes
        status = actions.target_status(action)
        assert status == target
    assert workflow.step_for_status(status) is None


def test_not_viable_dictamen_ends_the_procedure_and_returns_go_back():
    assert actions.target_status(Action.APPROVE_DICTAMEN, outcome=DictamenOutcome.NOT_VIABLE) == Status.NOT_VIABLE
    assert actions.target_status(Action.APPROVE_DICTAMEN, outcome=DictamenOutcome.VIABLE) == Status.AWAITING_SIGNATURE
    assert workflow.STATUS_STEP[actions.target_status(Action.RETURN_DICTAMEN)] == 7
    assert workflow.STATUS_STEP[actions.target_status(Action.SUBMIT_REVISION)] == 7
    assert workflow.STATUS_STEP[actions.target_status(Action.RETURN_SIGNED_COPY)] == 9
    assert workflow.allows_revision(DictamenOutcome.VIABLE_WITH_OBSERVATIONS)
    assert not workflow.allows_revision(DictamenOutcome.VIABLE)


def test_draft_step_follows_the_documents():
    assert workflow.draft_step(has_request_letter=False, has_final_text=False) == 1
    assert workflow.draft_step(has_request_letter=True, has_final_text=False) == 2
    assert workflow.draft_step(has_request_letter=True, has_final_text=True) == 4


def test_step_states():
    now = dt.datetime(2026, 1, 5, 10, 0)
    completions = dict.fromkeys((1, 2, 4, 5, 6), (now, "x"))
    states = workflow.step_states(7, Status.IN_REVIEW, completions)
    assert [s.state for s in states] == ["done", "done", "skipped", "done", "done", "done", "current"] + ["pending"] * 5
    closed = workflow.step_states(None, Status.NOT_VIABLE, dict.fromkeys(range(1, 9), (now, "x")))
    assert [s.state for s in closed][8:] == ["skipped"] * 4


# --- business days -----------------------------------------------------------

DEADLINES = [
    ("2025-09-29", "2025-09-12"),  # the domain example: 16 Sep (Independence Day) is skipped
    ("2025-01-15", "2024-12-31"),  # 1 January is a holiday; weekends skipped
    ("2025-02-14", "2025-01-30"),  # Monday 3 Feb (Constitution Day, first Monday) skipped
    ("2025-03-28", "2025-03-13"),  # Monday 17 Mar (Juárez, third Monday) skipped
    ("2025-05-09", "2025-04-24"),  # 1 May skipped
    ("2025-11-28", "2025-11-13"),  # Monday 17 Nov (Revolution, third Monday) skipped
    ("2026-01-06", "2025-12-19"),  # 25 Dec and 1 Jan skipped
    ("2024-10-10", "2024-09-25"),  # 1 Oct 2024: change of federal government
    ("2025-10-10", "2025-09-26"),  # no change of government in 2025
    ("2026-06-15", "2026-06-01"),  # ordinary fortnight
]


@pytest.mark.parametrize(("signing", "deadline"), DEADLINES)
def test_cja_deadline_counts_back_ten_business_days(signing, deadline):
    assert workflow.cja_deadline(dt.date.fromisoformat(signing)) == dt.date.fromisoformat(deadline)


def test_published_non_working_days_are_skipped():
    signing = dt.date(2026, 6, 15)
    extra = frozenset({dt.date(2026, 6, 5), dt.date(2026, 6, 8)})
    assert workflow.cja_deadline(signing, extra) == dt.date(2026, 5, 28)


def test_business_day_predicates():
    assert not workflow.is_business_day(dt.date(2025, 9, 16))  # Independence Day
    assert not workflow.is_business_day(dt.date(2025, 9, 13))  # Saturday
    assert workflow.is_business_day(dt.date(2025, 9, 15))
    assert workflow.business_days_between(dt.date(2025, 9, 12), dt.date(2025, 9, 19)) == 4
    assert workflow.business_days_between(dt.date(2025, 9, 19), dt.date(2025, 9, 12)) == 0
    assert workflow.is_late(submitted_on=dt.date(2025, 9, 15), signing_date=dt.date(2025, 9, 29))
    assert not workflow.is_late(submitted_on=dt.date(2025, 9, 12), signing_date=dt.date(2025, 9, 29))
