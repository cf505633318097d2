"""Checks every app's tests share: query counts that must not grow with data, and permission matrices.

A permission matrix is written as data: who (``matrix_people``, one person per role) may do what. Requests
that change nothing are :class:`Cell` rows tried for every person at once (``matrix_mismatches``); actions
that change the object are one test per subject and role (``permission_matrix``), each on fresh data.
"""

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import admin_user, analyst, cja_reviewer, dgcp_reviewer, local_official


def count_queries(fetch: Callable[[], object]) -> tuple[int, list[str]]:
    """How many statements ``fetch()`` runs, and their SQL."""
    with CaptureQueriesContext(connection) as captured:
        fetch()
    return len(captured), [q["sql"] for q in captured.captured_queries]


def explained_plan_nodes(sql: str) -> list[dict]:
    """Every node of PostgreSQL's executed plan of ``sql``, a captured statement with its values written in
    (``EXPLAIN (ANALYZE, FORMAT JSON)``, no parameters: a ``%`` of a LIKE stays literal), the root first."""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0][0]["Plan"]
    nodes, pending = [], [plan]
    while pending:
        node = pending.pop(0)
        nodes.append(node)
        pending.extend(node.get("Plans", []))
    return nodes


def assert_queries_constant(fetch: Callable[[], object], grow: Callable[[], object], *, warm_up: bool = True) -> int:
    """``fetch()`` costs as many statements after ``grow()`` adds rows as before; returns that number.

    ``warm_up`` runs ``fetch`` once first, so per-session or per-process work (the MFA check of a new
    session, a cached form) is not counted against the first measure.
    """
    if warm_up:
        fetch()
    few, _ = count_queries(fetch)
    grow()
    many, statements = count_queries(fetch)
    assert many == few, f"{few} statements with few rows, {many} with more:\n" + "\n".join(statements)
    return few


# The people of every app's matrix: an official of the office that owns the object, an official of another
# office, an analyst, a reviewer of the DGCP and one of the CJA, an administrator and an anonymous visitor.
ROLES = ("anonymous", "own", "other", "analyst", "dgcp", "cja", "admin")


def matrix_people(office=None, *, roles: Iterable[str] = ROLES, **given) -> dict:
    """One person per role (``None`` for the anonymous visitor); ``own`` works for ``office`` (a new state office
    when not given), and ``given`` supplies anyone the test already has (``dgcp=dgcp``)."""
    makers = {
        "anonymous": lambda: None,
        "own": lambda: local_official(office),
        "other": local_official,
        "analyst": analyst,
        "dgcp": dgcp_reviewer,
        "cja": cja_reviewer,
        "admin": admin_user,
    }
    return {role: given[role] if role in given else makers[role]() for role in roles}


def sign_in(client, user) -> None:
    """Act as ``user`` from the next request on (anonymously for ``None``)."""
    client.logout()
    if user is not None:
        client.force_login(user)


def permission_matrix(allowed: Mapping[str, Collection[str]], roles: Iterable[str] = ROLES):
    """Parametrise a test over every subject × role: ``allowed`` maps each subject (an action, a page) to the
    roles that may use it; the test receives ``subject``, ``role`` and ``may``, with ids like ``submit-own``."""
    roles = tuple(roles)
    return pytest.mark.parametrize(
        ("subject", "role", "may"),
        [
            pytest.param(subject, role, role in who, id=f"{subject}-{role}")
            for subject, who in allowed.items()
            for role in roles
        ],
    )


@dataclass(frozen=True)
class Cell:
    """One request of a permission matrix and the status each person must get (``default`` for the others)."""

    method: str
    url: str
    expected: dict[str, int]
    default: int
    data: dict = field(default_factory=dict)

    def status_for(self, who: str) -> int:
        return self.expected.get(who, self.default)


def matrix_mismatches(client, people: dict, cells: Iterable[Cell]) -> list[str]:
    """Every (person, request) whose status differs from the expected one; ``people`` maps names to users
    (``None`` for an anonymous visitor). All cells are tried, so one run reports every hole at once."""
    found = []
    for who, user in people.items():
        sign_in(client, user)
        for cell in cells:
            response = getattr(client, cell.method.lower())(cell.url, cell.data)
            if response.status_code != cell.status_for(who):
                found.append(f"{who} {cell.method} {cell.url}: {response.status_code}, expected {cell.status_for(who)}")
    return found
