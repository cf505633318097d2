"""The portal's WSGI application (``gunicorn portal.wsgi``, imported once by each worker process)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
application = get_wsgi_application()

# What the application loaded lives as long as the worker: it is moved out of the collector's way (gc.freeze), and
# young objects are collected less often (a page allocates tens of thousands; the default collects every 700).
# Full collections that walked every module and model during a request were the slow tail of the profile pages:
# /estados/14/ at 1,000,000 entries, p95 144-164 ms in-process, 50-58 ms so (p50 unchanged; issue #14).
gc.freeze()
gc.set_threshold(50_000, 20, 20)
