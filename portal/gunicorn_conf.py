"""gunicorn settings for production (``gunicorn -c python:portal.gunicorn_conf portal.wsgi``).

Threaded workers: a slow client or a streamed export holds a thread, not a whole process. Every export that
may take long is a background job (see ``agreements.registry.jobs``), so no request needs more than the
timeout; a worker stuck beyond it is restarted rather than serving nobody.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
worker_class = "gthread"
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
