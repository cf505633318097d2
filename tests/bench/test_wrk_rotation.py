"""wrk_report.lua rotates over a file of paths (Scenario.rotate): every path is requested, in turn."""

import http.server
import shutil
import subprocess
import threading
from collections import Counter

import pytest

from bench.processes import LUA_SCRIPT

pytestmark = [pytest.mark.unit, pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")]


def test_requests_rotate_over_the_paths(tmp_path):
    seen = Counter()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            seen[self.path] += 1
            self.send_response(200)
            self.send_header("Server-Timing", "app;dur=1.0, db;dur=0.5")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    paths = tmp_path / "paths"
    paths.write_text("/a/?q=salud+p%C3%BAblica\n/b/\n/c/?state=14\n")
    try:
        result = subprocess.run(
            ["wrk", "-t1", "-c1", "-d1s", "-s", str(LUA_SCRIPT), f"http://127.0.0.1:{server.server_port}/"]
            + ["--", "-", str(paths)],
            capture_output=True,
            text=True,
            timeout=30,
        )
    finally:
        server.shutdown()
    assert "BENCH_JSON" in result.stdout
    assert set(seen) == {"/a/?q=salud+p%C3%BAblica", "/b/", "/c/?state=14"}  # never the URL on the command line
    assert max(seen.values()) - min(seen.values()) <= 2  # in turn


def test_the_next_scenario_waits_until_the_server_has_finished_what_the_last_one_left():
    """A slow scenario's requests, still queued on the sync workers when wrk stops, held them through the next
    scenarios at 1M (none of their requests finished). ``wait_idle`` returns once every connection is answered
    at once, quickly."""
    import http.server
    import threading

    from bench import http as bench_http

    slow = {"left": 6}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if slow["left"] > 0:
                slow["left"] -= 1
                threading.Event().wait(0.4)
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        waited = bench_http.wait_idle(server.server_port, connections=3, timeout=10)
        assert 0.4 <= waited < 10 and slow["left"] == 0
        assert bench_http.wait_idle(server.server_port, connections=3, timeout=10) < 0.4
    finally:
        server.shutdown()
