"""Each scenario starts once the server has finished what the last one left (``bench.http.wait_idle``)."""

import threading

import pytest

from bench import http as bench_http
from tests.bench.stub_server import stub_server

pytestmark = pytest.mark.unit


def test_the_next_scenario_waits_until_the_server_has_finished_what_the_last_one_left():
    """A slow scenario's requests, still queued on the sync workers when wrk stops, held them through the next
    scenarios at 1M (none of their requests finished). ``wait_idle`` returns once every connection is answered
    at once, quickly."""
    slow = {"left": 6}
    lock = threading.Lock()

    def answer(_request):
        with lock:
            late = slow["left"] > 0
            slow["left"] -= late
        if late:
            threading.Event().wait(0.4)
        return b"ok", {}

    with stub_server(answer) as port:
        waited = bench_http.wait_idle(port, connections=3, timeout=10)
        assert 0.4 <= waited < 10 and slow["left"] == 0
        assert bench_http.wait_idle(port, connections=3, timeout=10) < 0.4
