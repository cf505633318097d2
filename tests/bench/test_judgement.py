"""The benchmark harness's verdicts (bench.report, bench.samples): pure helpers, no database, no server."""

import pytest

from bench import processes, report, run, samples
from bench.scenarios import Scenario

pytestmark = pytest.mark.unit


def wrk_run(server_p95, *, samples=100, requests=100, p50=1.0):
    return {
        "requests": requests,
        "rps": 100.0,
        "latency_ms": dict.fromkeys(("p50", "p75", "p90", "p95", "p99", "max"), p50),
        "server_ms": {"samples": samples, "p50": server_p95 / 2, "p95": server_p95},
        "db_ms": {"p95": 1.0},
        "loadavg_1m": 0.5,
        "statuses": {"200": requests},
        "errors": {"connect": 0, "read": 0, "write": 0, "status": 0, "timeout": 0},
    }


def summary(runs, *, anchor_runs=None, target_ms=150, ratio=None):
    page = Scenario("page", "page", "/p/", anchor="raw_page" if anchor_runs else None, target_ms=target_ms)
    if ratio:
        page.server_ratio_budget = ratio
    scenarios = [page]
    http = {"runs": {"page": runs}, "checks": {}}
    if anchor_runs:
        scenarios.append(Scenario("raw_page", "anchor", "/raw/"))
        http["runs"]["raw_page"] = anchor_runs
    queries = {"page": {"invariant": True}}
    return {r["key"]: r for r in report.summarise(scenarios, http, queries)}


def test_target_is_judged_on_the_median_not_on_the_best_repetition():
    # One repetition under the target used to pass the page (179 ms median against 150 ms).
    rows = summary([wrk_run(120), wrk_run(179), wrk_run(190)])
    assert rows["page"]["server_p95"] == 179
    assert rows["page"]["target_met"] is False
    assert rows["page"]["pass"] is False


def test_target_met_when_the_median_is_under_it():
    rows = summary([wrk_run(100), wrk_run(140), wrk_run(200)])
    assert rows["page"]["target_met"] is True
    assert rows["page"]["pass"] is True


def test_ratio_is_judged_on_the_printed_ratio():
    rows = summary([wrk_run(56), wrk_run(56)], anchor_runs=[wrk_run(10), wrk_run(10)], target_ms=None, ratio=5)
    assert rows["page"]["server_p95_ratio"] == 5.6
    assert rows["page"]["server_ratio_met"] is False


def test_a_repetition_without_samples_is_a_failure():
    rows = summary([wrk_run(50), wrk_run(-1, samples=0, requests=0)])
    row = rows["page"]
    assert row["empty_runs"] == 1
    assert row["server_p95"] == 50  # the median ignores the empty repetition...
    assert row["pass"] is False  # ...which fails the page
    assert any("no request finished" in f for f in report.hard_failures(list(rows.values())))
    assert "NO SAMPLES" in report._result_cell(row)


def test_no_samples_at_all_never_passes_a_target():
    row = summary([wrk_run(-1, samples=0, requests=0)])["page"]
    assert row["server_p95"] is None
    assert row["target_met"] is False
    assert row["pass"] is False


@pytest.mark.parametrize(
    ("figure", "limit", "inclusive", "expected"),
    [(100, 100, True, True), (100, 100, False, False), (None, 100, True, False), (-1, 100, True, False)],
)
def test_judge(figure, limit, inclusive, expected):
    assert samples.judge(figure, limit, inclusive=inclusive) is expected


def test_cpu_busy_sampled_throughout_warns_on_a_burst():
    assert samples.busy_warnings([0.05, 0.1, 0.08], where="the benchmark") == []
    (warning,) = samples.busy_warnings([0.05, 0.9, 0.08, 0.1], where="the benchmark")
    assert "1 of 4 samples" in warning


def test_another_dataset_still_compares_a0_and_says_so():
    reference = {"agreements": 100_000, "registry": 100_000, "anchors": {"hello_p50": 1.0, "raw_registry_p95": 5.0}}
    warnings = report.reference_drift(reference, {"hello_p50": 2.0, "raw_registry_p95": 50.0}, (1_000_000, 1_000_000))
    assert any("only A0" in w for w in warnings)
    assert any("hello_p50" in w for w in warnings)
    assert not any("raw_registry_p95" in w for w in warnings)  # depends on the dataset: not compared
    same = report.reference_drift(reference, {"hello_p50": 1.1, "raw_registry_p95": 50.0}, (100_000, 100_000))
    assert same == [
        f"anchor raw_registry_p95 is 50.0 ms against 5.0 ms in {processes.REFERENCE_FILE.name} (>30% drift)"
    ]


def test_scale_multiplies_the_default_dataset_on_a_template_of_its_own():
    args = run.parse_args(["--scale", "10"])
    assert (args.agreements, args.registry, args.template) == (1_000_000, 1_000_000, "aii_bench_template_x10")
    args = run.parse_args(["--scale", "10", "--registry", "5000", "--template", "mine"])
    assert (args.agreements, args.registry, args.template) == (1_000_000, 5_000, "mine")
    assert run.parse_args([]).template == "aii_bench_template"
