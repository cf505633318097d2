"""python -m bench.compare: growth of each p95 between two results files (the 100k and the 10x run)."""

import json

import pytest

from bench import compare

pytestmark = pytest.mark.unit


def row(key, p95, queries=3, anchor=False):
    return {"key": key, "label": key, "server_p95": p95, "queries": queries, "is_anchor": anchor}


def test_growth_factor_and_flags():
    before = [row("list", 10), row("search", 20), row("stats", 40), row("gone", 5), row("empty", 10)]
    after = [row("list", 14), row("search", 31), row("stats", 40, queries=4), row("new", 1), row("empty", None)]
    rows = {r["key"]: r for r in compare.growth_rows(before, after)}
    assert set(rows) == {"list", "search", "stats", "empty"}  # only scenarios in both runs
    assert rows["list"]["growth"] == 1.4 and rows["list"]["flags"] == []
    assert rows["search"]["growth"] == 1.55 and rows["search"]["flags"] == ["grew > 1.5×"]
    assert rows["stats"]["flags"] == ["queries changed"]
    assert rows["empty"]["growth"] is None and rows["empty"]["flags"] == ["no figure"]


def test_cli_prints_the_table_and_exits_1_when_flagged(tmp_path, capsys):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps({"dataset": {"agreements": 100_000, "registry": 100_000}, "summary": [row("list", 10)]}))
    b.write_text(json.dumps({"dataset": {"agreements": 10**6, "registry": 10**6}, "summary": [row("list", 20)]}))
    assert compare.main([str(a), str(b)]) == 1
    out = capsys.readouterr().out
    assert "100,000 cases" in out and "1,000,000" in out
    assert "| list | 10.00 | 20.00 | 2.00× | 3 → 3 | **grew > 1.5×** |" in out
    b.write_text(json.dumps({"summary": [row("list", 12)]}))
    assert compare.main([str(a), str(b)]) == 0


def test_cli_refuses_a_file_without_summary(tmp_path):
    a = tmp_path / "a.json"
    a.write_text("{}")
    with pytest.raises(SystemExit):
        compare.main([str(a), str(a)])
