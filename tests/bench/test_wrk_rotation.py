"""wrk_report.lua rotates over a file of paths (Scenario.rotate): every path is requested, in turn."""

import shutil
import subprocess
from collections import Counter

import pytest

from bench.processes import LUA_SCRIPT
from tests.bench.stub_server import stub_server

pytestmark = [pytest.mark.unit, pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")]


def test_requests_rotate_over_the_paths(tmp_path):
    seen = Counter()

    def answer(request):
        seen[request.path] += 1
        return b"ok", {"Server-Timing": "app;dur=1.0, db;dur=0.5"}

    paths = tmp_path / "paths"
    paths.write_text("/a/?q=salud+p%C3%BAblica\n/b/\n/c/?state=14\n")
    with stub_server(answer) as port:
        result = subprocess.run(
            ["wrk", "-t1", "-c1", "-d1s", "-s", str(LUA_SCRIPT), f"http://127.0.0.1:{port}/"] + ["--", "-", str(paths)],
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert "BENCH_JSON" in result.stdout
    assert set(seen) == {"/a/?q=salud+p%C3%BAblica", "/b/", "/c/?state=14"}  # never the URL on the command line
    assert max(seen.values()) - min(seen.values()) <= 2  # in turn
