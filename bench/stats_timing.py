"""Uncached statistics, timed in-process against ``$DATABASE_URL`` (no gunicorn, no wrk): a quick before/after.

Before every request the registry version is bumped (the app's own invalidation), so each one misses the
statistics cache. Prints, per URL, the median and worst wall time of the view and the median time in SQL::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aii_stats_bench python -m bench.stats_timing
    DATABASE_URL=… python -m bench.stats_timing --only /estados/comparacion/ "/registro/estadisticas/?state=14"
"""

from __future__ import annotations

import argparse
import os
import statistics
import time


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", nargs="*", help="more URLs to time")
    parser.add_argument("--only", action="store_true", help="time only the URLs given")
    parser.add_argument("--repeat", type=int, default=7, help="requests per URL (default 7)")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from agreements.registry.selectors import STAT_DIMENSIONS
    from agreements.registry.selectors.stats import REGISTRY_VERSION_KEY

    client = Client()
    in_sql = [0.0]

    def timer(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            in_sql[0] += time.perf_counter() - started

    urls = (
        [] if args.only else ["/registro/estadisticas/"] + [f"/api/v1/registry/stats/?by={d}" for d in STAT_DIMENSIONS]
    )
    for url in urls + args.urls:
        client.get(url)  # the process's own caches (filter form, labels) warm, as on a running server
        walls, sqls = [], []
        for _ in range(args.repeat):
            try:
                cache.incr(REGISTRY_VERSION_KEY)
            except ValueError:
                cache.set(REGISTRY_VERSION_KEY, 2, None)
            in_sql[0] = 0.0
            with connection.execute_wrapper(timer):
                started = time.perf_counter()
                response = client.get(url)
                walls.append((time.perf_counter() - started) * 1000)
            sqls.append(in_sql[0] * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
        print(
            f"{url:50s} median {statistics.median(walls):7.1f} ms  worst {max(walls):7.1f} ms  "
            f"SQL {statistics.median(sqls):7.1f} ms",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
