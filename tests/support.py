"""Checks every app's tests share: query counts that must not grow with data, and permission matrices."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(fetch: Callable[[], object]) -> tuple[int, list[str]]:
    """How many statements ``fetch()`` runs, and their SQL."""
    with CaptureQueriesContext(connection) as captured:
        fetch()
    return len(captured), [q["sql"] for q in captured.captured_queries]


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
        client.logout()
        if user is not None:
            client.force_login(user)
        for cell in cells:
            response = getattr(client, cell.method.lower())(cell.url, cell.data)
            if response.status_code != cell.status_for(who):
                found.append(f"{who} {cell.method} {cell.url}: {response.status_code}, expected {cell.status_for(who)}")
    return found
