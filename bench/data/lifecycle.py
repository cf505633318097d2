"""A generated case's life, read from the workflow table instead of a copy of it.

The moves are the actions of ``agreements.actions.ACTIONS`` that change the status: each one's source statuses,
target (and the outcome-dependent endings, ``outcome_targets``), actors and completed step. The statuses a case can
be generated in are those reachable from a draft through these moves, and the way to each is the shortest chain of
moves (an automatic step's ``fallback``, a failed check, is never the way taken). The step a case is on after a
move comes from ``agreements.workflow`` (``step_for_status``; none in a terminal status).

What is the benchmark's own, not the workflow's: how often each status occurs, where a withdrawal happens, which
of several permitted actors acts, how long each move takes and the timeline's comment.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from agreements import workflow
from agreements.actions import ACTIONS
from agreements.choices import Status
from agreements.workflow import Action, Actor

__all__ = [
    "COMMENTS",
    "DELAYS",
    "STATUS_WEIGHTS",
    "WITHDRAWN_FROM",
    "Move",
    "moves",
    "path_to",
    "reachable_statuses",
]

DAY = 86_400
HOUR = 3_600

# How often a generated case is in each status. The keys must be exactly the reachable statuses (tested); their
# order is the order of the draws (the same seed gives the same cases).
STATUS_WEIGHTS: dict[Status, float] = {
    Status.DRAFT: 7.0,
    Status.RETURNED: 2.0,
    Status.SUBMITTED: 0.3,
    Status.FORWARDED: 0.2,
    Status.IN_REVIEW: 9.0,
    Status.DICTAMEN_ISSUED: 2.5,
    Status.AWAITING_SIGNATURE: 6.0,
    Status.SIGNED: 0.3,
    Status.REGISTRATION_REQUESTED: 2.5,
    Status.INSCRIBED: 0.2,
    Status.CLOSED: 50.0,
    Status.NOT_VIABLE: 4.0,
    Status.NOT_ADMISSIBLE: 5.0,
    Status.WITHDRAWN: 11.0,
}
# Where a withdrawn case was withdrawn from (each a source of the withdrawal), and how often.
WITHDRAWN_FROM: dict[Status, int] = {Status.DRAFT: 50, Status.IN_REVIEW: 35, Status.AWAITING_SIGNATURE: 15}
# Who makes a move that the table lets several actors make.
ACTING: dict[Action, Actor] = {Action.RETURN_FOR_CORRECTIONS: Actor.CJA, Action.MARK_NOT_ADMISSIBLE: Actor.DGCP}
# Seconds a move takes (a range drawn uniformly), by action, or by action and the status left when it differs.
DELAYS: dict[Action | tuple[Action, Status], tuple[int, int]] = {
    Action.SUBMIT: (HOUR, 20 * DAY),
    (Action.SUBMIT, Status.RETURNED): (DAY, 15 * DAY),
    Action.CHECK_COMPLETENESS: (2, 60),
    Action.COMPUTE_DEADLINE: (1, 30),
    Action.ISSUE_DICTAMEN: (2 * DAY, 25 * DAY),
    Action.APPROVE_DICTAMEN: (HOUR, 10 * DAY),
    Action.UPLOAD_SIGNED_COPY: (5 * DAY, 90 * DAY),
    Action.REQUEST_REGISTRATION: (2, 60),
    Action.REGISTER: (2 * DAY, 20 * DAY),
    Action.CLOSE: (2, 60),
    Action.RETURN_FOR_CORRECTIONS: (DAY, 15 * DAY),
    Action.MARK_NOT_ADMISSIBLE: (DAY, 15 * DAY),
    Action.WITHDRAW: (DAY, 60 * DAY),
    (Action.WITHDRAW, Status.IN_REVIEW): (DAY, 30 * DAY),
}
COMMENTS = {
    "create": "",
    Action.SUBMIT: "Solicitud enviada a la DGCP.",
    Action.CHECK_COMPLETENESS: "Documentación completa; turnado a la Consultoría Jurídica.",
    Action.COMPUTE_DEADLINE: "Plazo calculado.",
    Action.ISSUE_DICTAMEN: "Dictamen emitido.",
    Action.APPROVE_DICTAMEN: "Dictamen aprobado y entregado.",
    Action.UPLOAD_SIGNED_COPY: "Copia firmada recibida.",
    Action.REQUEST_REGISTRATION: "La DGCP solicita a la CJA la inscripción en el registro.",
    Action.REGISTER: "Inscrito en el registro.",
    Action.CLOSE: "Procedimiento concluido; el acuerdo queda inscrito en el registro público.",
    Action.RETURN_FOR_CORRECTIONS: "Faltan precisiones en el texto final; favor de corregir.",
    Action.MARK_NOT_ADMISSIBLE: "El instrumento no corresponde a la competencia de la dependencia.",
    Action.WITHDRAW: "La dependencia retira la solicitud.",
}


@dataclass(frozen=True)
class Move:
    """One status change as the timeline records it (plain strings, as COPY writes them)."""

    action: str
    source: str
    target: str
    completed_step: int | None
    actor: str
    to_step: int | None  # the step the case waits on afterwards; None when the status is terminal
    delay: tuple[int, int] | None  # None: a move no generated case makes (checked on every path)


def _actor(action: Action, actors: frozenset[Actor]) -> Actor:
    if len(actors) == 1:
        return next(iter(actors))
    actor = ACTING[action]
    if actor not in actors:
        raise RuntimeError(f"bench.data.lifecycle: {actor} may not make {action} (the table says {sorted(actors)})")
    return actor


def moves() -> dict[str, list[Move]]:
    """The status-changing moves of ``ACTIONS``, by source status (in ``Status`` order, then the table's)."""
    order = {status: index for index, status in enumerate(Status)}
    out: dict[str, list[Move]] = {status.value: [] for status in Status}
    for spec in ACTIONS.values():
        targets = [t for t in (spec.target, *spec.outcome_targets.values()) if t is not None]
        for source in sorted(spec.sources, key=order.__getitem__):
            for target in dict.fromkeys(targets):
                out[source.value].append(
                    Move(
                        action=spec.action.value,
                        source=source.value,
                        target=target.value,
                        completed_step=spec.completes_step,
                        actor=_actor(spec.action, spec.actors).value,
                        to_step=None if target in workflow.TERMINAL_STATUSES else workflow.step_for_status(target),
                        delay=DELAYS.get((spec.action, source)) or DELAYS.get(spec.action),
                    )
                )
    return out


def _shortest_paths(graph: dict[str, list[Move]]) -> dict[str, tuple[Move, ...]]:
    """Breadth first from a draft: the shortest chain of moves to every reachable status (the first found)."""
    paths: dict[str, tuple[Move, ...]] = {Status.DRAFT.value: ()}
    queue = deque([Status.DRAFT.value])
    while queue:
        status = queue.popleft()
        for move in graph[status]:
            if move.target not in paths:
                paths[move.target] = (*paths[status], move)
                queue.append(move.target)
    return paths


def _checked(path: tuple[Move, ...]) -> tuple[Move, ...]:
    for move in path:
        if move.delay is None:
            raise RuntimeError(f"bench.data.lifecycle: no delay for {move.action} from {move.source} (DELAYS)")
    return path


_GRAPH = moves()
_PATHS = {status: _checked(path) for status, path in _shortest_paths(_GRAPH).items()}
_WITHDRAWALS = {
    source: _checked((*_PATHS[source], next(m for m in _GRAPH[source] if m.target == Status.WITHDRAWN)))
    for source in WITHDRAWN_FROM
}


def reachable_statuses() -> frozenset[str]:
    return frozenset(_PATHS)


def path_to(status: str, *, withdrawn_from: str | None = None) -> tuple[Move, ...]:
    """The moves from a draft to ``status``; a withdrawal happens from ``withdrawn_from`` (one of its sources)."""
    if status == Status.WITHDRAWN and withdrawn_from is not None:
        return _WITHDRAWALS[withdrawn_from]
    return _PATHS[status]
