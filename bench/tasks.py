"""The no-op task: the worker's ceiling on this machine, measured in the same run as the workflow task.

It only records its completion in Redis (one pipelined round trip): a counter, the first completion
time and each worker process's last completion time, so the runner can time first-to-last
completion without worker start-up.
Loaded by the benchmark worker with ``celery -A portal worker --include bench.tasks``.
"""

import os
import time
from functools import lru_cache

import redis
from celery import shared_task
from django.conf import settings


@lru_cache(maxsize=1)
def _client() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL)


def completion_keys(run_key: str) -> tuple[str, str, str]:
    return f"{run_key}:count", f"{run_key}:first", f"{run_key}:last"


@shared_task(ignore_result=True)
def bench_noop_task(run_key: str) -> None:
    count_key, first_key, last_key = completion_keys(run_key)
    now = time.time()
    pipe = _client().pipeline(transaction=False)
    pipe.incr(count_key)
    pipe.set(first_key, now, nx=True, ex=3600)
    pipe.hset(last_key, str(os.getpid()), now)
    pipe.expire(count_key, 3600)
    pipe.expire(last_key, 3600)
    pipe.execute()
