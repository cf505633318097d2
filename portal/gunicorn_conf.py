"""gunicorn settings for production (``gunicorn -c python:portal.gunicorn_conf portal.wsgi``).

Threaded workers: a slow client or a streamed export holds a thread, not a whole process. Every export that
may take long is a background job (see ``agreements.registry.jobs``), so no request needs more than the
timeout; a worker stuck beyond it is restarted rather than serving nobody.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
worker_class = "gthread"
# Processes and threads for a machine whose requests are short and mostly Python (2 cores: 5 × 4). A process runs
# one thread's Python at a time (the GIL), so the processes are what use the cores: 2 × cores + 1 keeps every core
# busy while some requests wait on PostgreSQL or Redis, without the memory of one process per connection. The
# threads overlap those waits and a slow client or a streamed export (≤ EXPORT_STREAM_MAX_ROWS rows) within a
# process; more of them would only queue more requests on one GIL, where a short request (a reviewer's inbox)
# waits behind long ones. When the CPU is saturated no split of the same 20 slots helps (issue #14: 50 public
# clients and a reviewer); what helps is less CPU per request: anonymous registry pages come from the page cache
# (portal.core.pagecache). WEB_CONCURRENCY and GUNICORN_THREADS override both for another machine.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (with jitter, so they do not all restart at once): memory
# a long-lived process may fragment is given back.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
