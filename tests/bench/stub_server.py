"""A local HTTP server for the harness's tests: wrk, the download loop and the idle wait talk to it instead of
gunicorn. ``answer(handler)`` sees each GET (``handler.path``, ``handler.headers``) and returns the body and the
headers to send with a 200."""

from __future__ import annotations

import contextlib
import http.server
import threading
from collections.abc import Callable, Iterator

Answer = Callable[[http.server.BaseHTTPRequestHandler], tuple[bytes, dict[str, str]]]


def ok(_request) -> tuple[bytes, dict[str, str]]:
    return b"ok", {}


@contextlib.contextmanager
def stub_server(answer: Answer = ok, *, keep_alive: bool = False) -> Iterator[int]:
    """Serve on 127.0.0.1 while the block runs; yields the port."""

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1" if keep_alive else "HTTP/1.0"

        def do_GET(self):
            body, headers = answer(self)
            self.send_response(200)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
