"""The portal's WSGI application, wrapped to report server-side cost on every response.

``gunicorn bench.wsgi:application`` serves exactly ``portal.wsgi.application`` and adds two headers:

* ``X-Bench-Queries``: SQL statements executed while the response was built;
* ``Server-Timing: app;dur=<ms>, db;dur=<ms>``: time in the application and in the database.

Counting uses ``connection.execute_wrapper``, so it works with ``DEBUG=False``. The wrk script reads
the headers of every response, giving server-time percentiles next to wrk's client latencies (which
include the wait for a free worker when the concurrency exceeds the worker count).
"""

import time

from django.db import connection

from portal.wsgi import application as portal_application


class _QueryCounter:
    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.count += 1


def application(environ, start_response):
    counter = _QueryCounter()
    started = time.perf_counter()

    def timed_start_response(status, headers, exc_info=None):
        app_ms = (time.perf_counter() - started) * 1000
        headers = [
            *headers,
            ("X-Bench-Queries", str(counter.count)),
            ("Server-Timing", f"app;dur={app_ms:.3f}, db;dur={counter.seconds * 1000:.3f}"),
        ]
        return start_response(status, headers, exc_info)

    with connection.execute_wrapper(counter):
        return portal_application(environ, timed_start_response)
