"""bench.generate reads the workflow table and the registry's column spec instead of copies of them."""

from collections import deque

import pytest

from agreements import workflow
from agreements.actions import ACTIONS
from agreements.choices import Status
from agreements.registry.columns import IMPORT_COLUMNS
from agreements.registry.models import RegistryEntry
from bench.data import lifecycle
from bench.data.registry import entry_columns, imported_fields
from bench.data.tables import Table

pytestmark = pytest.mark.unit


def workflow_reachable_statuses() -> set[str]:
    """Every status a case can reach from a draft through the table's moves, fallbacks (failed checks) included."""
    edges: dict[str, set[str]] = {}
    for spec in ACTIONS.values():
        targets = {spec.target, *spec.outcome_targets.values(), spec.fallback.target if spec.fallback else None}
        for source in spec.sources:
            edges.setdefault(source, set()).update(t for t in targets if t is not None)
    seen, queue = {Status.DRAFT.value}, deque([Status.DRAFT.value])
    while queue:
        for target in edges.get(queue.popleft(), ()):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def test_the_generated_statuses_are_exactly_the_reachable_ones():
    reachable = workflow_reachable_statuses()
    assert set(lifecycle.STATUS_WEIGHTS) == reachable
    assert lifecycle.reachable_statuses() == reachable


@pytest.mark.parametrize("status", list(lifecycle.STATUS_WEIGHTS))
def test_each_path_follows_the_table(status):
    sources = lifecycle.WITHDRAWN_FROM if status == Status.WITHDRAWN else [None]
    for withdrawn_from in sources:
        path = lifecycle.path_to(status, withdrawn_from=withdrawn_from)
        current = Status.DRAFT
        for move in path:
            spec = ACTIONS[move.action]
            assert current in spec.sources
            assert move.target in {spec.target, *spec.outcome_targets.values()}
            assert move.completed_step == spec.completes_step
            assert move.actor in spec.actors
            assert move.delay is not None
            expected_step = None if move.target in workflow.TERMINAL_STATUSES else workflow.STATUS_STEP[move.target]
            assert move.to_step == expected_step
            current = move.target
        assert current == status


def test_withdrawals_happen_where_the_table_allows_them():
    assert set(lifecycle.WITHDRAWN_FROM) <= ACTIONS[workflow.Action.WITHDRAW].sources


def test_the_registry_columns_are_the_models_and_cover_the_import():
    fields = {f.attname for f in RegistryEntry._meta.concrete_fields}
    for columns in (entry_columns(workflow=False), entry_columns(workflow=True)):
        assert len(columns) == len(set(columns))
        assert set(columns) <= fields
        Table(RegistryEntry, columns)  # every field left out has a default or may be NULL
    assert len(imported_fields()) == len(IMPORT_COLUMNS)
    assert set(imported_fields()) <= set(entry_columns(workflow=False))
    assert {"agreement_id", "institution_id"} == set(entry_columns(workflow=True)) - set(entry_columns(workflow=False))


def test_a_record_must_name_every_column():
    table = Table(RegistryEntry, entry_columns(workflow=False))
    record = dict.fromkeys(table.names, "")
    table.add_record(record)
    assert len(table.rows) == 1
    with pytest.raises(RuntimeError):
        table.add_record({**record, "agreement_id": 1})
    with pytest.raises(RuntimeError):
        table.add_record({k: v for k, v in record.items() if k != "title"})
