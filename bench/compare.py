"""How each figure grows between two benchmark runs: ``python -m bench.compare a.json b.json``.

Made for the scale run (issue #14: "from 100k to 1M rows no page's p95 grows more than 1.5×; query counts
unchanged"): ``a.json`` is the 100k run, ``b.json`` the ``--scale 10`` run, both ``bench/results/*.json``.
For every scenario in both runs it prints the server p95 of each, the growth factor b / a, and the queries per
request of each; a growth above ``--limit`` (default 1.5) or a different query count is flagged, and so is a
scenario that has no figure in one of the runs (no request finished). The export and the worker are compared
too, for information. Exit status 1 when something is flagged.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

GROWTH_LIMIT = 1.5


def growth_rows(before: list[dict], after: list[dict], *, limit: float = GROWTH_LIMIT) -> list[dict]:
    """One row per scenario present in both summaries (``report["summary"]``), in the order of ``after``."""
    old = {r["key"]: r for r in before}
    rows = []
    for new in after:
        base = old.get(new["key"])
        if base is None:
            continue
        a, b = base.get("server_p95"), new.get("server_p95")
        usable = a is not None and b is not None and a > 0 and b >= 0
        factor = round(b / a, 2) if usable else None
        flags = []
        if factor is None:
            flags.append("no figure")
        elif factor > limit:
            flags.append(f"grew > {limit:g}×")
        if base.get("queries") is not None and new.get("queries") is not None and base["queries"] != new["queries"]:
            flags.append("queries changed")
        rows.append(
            {
                "key": new["key"],
                "label": new.get("label", new["key"]),
                "anchor": bool(new.get("is_anchor")),
                "before_ms": a,
                "after_ms": b,
                "growth": factor,
                "queries_before": base.get("queries"),
                "queries_after": new.get("queries"),
                "flags": flags,
            }
        )
    return rows


def _dataset(report: dict) -> str:
    d = report.get("dataset", {})

    def n(value) -> str:
        return f"{value:,}" if isinstance(value, int) else "?"

    return f"{n(d.get('agreements'))} cases / {n(d.get('registry'))} registry entries"


def _fmt(value) -> str:
    return "—" if value is None else f"{value:.2f}"


def markdown(a: dict, b: dict, rows: list[dict], *, limit: float = GROWTH_LIMIT) -> str:
    lines = [
        f"Growth from {_dataset(a)} ({a.get('date', '?')}) to {_dataset(b)} ({b.get('date', '?')}); "
        f"server p95, flagged above {limit:g}×.",
        "",
        "| scenario | before p95 ms | after p95 ms | growth | queries before → after | result |",
        "|---|---:|---:|---:|---|---|",
    ]
    for r in rows:
        growth = f"{r['growth']:.2f}×" if r["growth"] is not None else "—"
        queries = f"{r['queries_before'] if r['queries_before'] is not None else '—'} → "
        queries += f"{r['queries_after'] if r['queries_after'] is not None else '—'}"
        result = "**" + ", ".join(r["flags"]) + "**" if r["flags"] else "ok"
        label = r["label"] + (" (anchor)" if r["anchor"] else "")
        lines.append(f"| {label} | {_fmt(r['before_ms'])} | {_fmt(r['after_ms'])} | {growth} | {queries} | {result} |")
    extra = []
    for name in ("all rows",):
        ea = a.get("export", {}).get("variants", {}).get(name)
        eb = b.get("export", {}).get("variants", {}).get(name)
        if ea and eb and ea.get("wall_s"):
            extra.append(
                f"CSV export ({name}): {ea['wall_s']} s → {eb['wall_s']} s ({eb['wall_s'] / ea['wall_s']:.2f}×, "
                f"rows {ea.get('rows', '?')} → {eb.get('rows', '?')})"
            )
    ca, cb = a.get("celery", {}).get("workflow"), b.get("celery", {}).get("workflow")
    if ca and cb:
        key = "tasks_per_s" if "tasks_per_s" in ca and "tasks_per_s" in cb else "steps_per_s"
        extra.append(f"worker {key}: {ca.get(key)} → {cb.get(key)}")
    if extra:
        lines += ["", *(f"* {line}" for line in extra)]
    flagged = [r for r in rows if r["flags"]]
    lines += ["", f"{len(flagged)} of {len(rows)} scenarios flagged."]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.compare", description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path, help="results JSON of the smaller run (e.g. 100k)")
    parser.add_argument("after", type=Path, help="results JSON of the larger run (e.g. --scale 10)")
    parser.add_argument("--limit", type=float, default=GROWTH_LIMIT, help="growth flagged above (default 1.5)")
    parser.add_argument("--anchors", action="store_true", help="list the raw-SQL anchors too")
    args = parser.parse_args(argv)
    try:
        a, b = (json.loads(path.read_text()) for path in (args.before, args.after))
    except (OSError, ValueError) as error:
        parser.error(f"cannot read the results: {error}")
    if "summary" not in a or "summary" not in b:
        parser.error("both files must be results of python -m bench.run with the HTTP section (a 'summary')")
    rows = growth_rows(a["summary"], b["summary"], limit=args.limit)
    if not args.anchors:
        rows = [r for r in rows if not r["anchor"]]
    print(markdown(a, b, rows, limit=args.limit))
    return 1 if any(r["flags"] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
