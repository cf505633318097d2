"""A Redis cache that degrades instead of failing.

The cache is an optimisation: every reader knows how to compute what it asks for (the calendar from the
database, the statistics by counting). ``FallbackRedisCache`` is Django's own ``RedisCache`` whose
operations, when Redis cannot be reached, are served by a small cache in the process's memory instead of
raising into the request. The first failure is logged as a warning and Redis is left alone for
``RETRY_SECONDS`` (no connection attempt, and no timeout, per request); the next call after that tries it
again, and a success is logged too.

What lives in the local fallback is capped at ``FALLBACK_MAX_TIMEOUT`` seconds: another process cannot
invalidate it while Redis is down, so a stale value lives at most that long. The login rate limiter keeps
counting there (per process) rather than letting everyone through or refusing everyone.

``/healthz`` still reports the outage to operators: it calls ``probe()``, which goes to Redis directly.
"""

from __future__ import annotations

import inspect
import logging
import time
from functools import wraps

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)

# Per location: until when (time.monotonic()) Redis is skipped after a failure. Shared by the per-thread
# instances Django creates for one alias.
_down_until: dict[str, float] = {}
_TIMEOUT_METHODS = {"add", "set", "touch", "set_many"}


def _degradable(method_name: str):
    def decorator(method):
        @wraps(method)
        def wrapper(self, *args, **kwargs):
            if not self._redis_skipped():
                try:
                    result = method(self, *args, **kwargs)
                except UNREACHABLE as exc:
                    self._mark_down(exc, method_name)
                else:
                    self._mark_up()
                    return result
            args, kwargs = self._capped(method_name, args, kwargs)
            return getattr(self._fallback, method_name)(*args, **kwargs)

        return wrapper

    return decorator


# ``incr`` of a key that exists, in one round trip: the value incremented, or nil when there is no such key.
_INCR_EXISTING = "if redis.call('exists', KEYS[1]) == 1 then return redis.call('incrby', KEYS[1], ARGV[1]) end"


# ``commitcache``'s writes in one round trip: the first ARGV[1] keys are versions, each incremented or set to 2 when
# missing (``pagecache.bump_version``); the others are markers set to ARGV[2] unless present, each expiring after
# its ARGV[2 + n] seconds (``cache.add``). Returns 1 or 0 per marker: added or not.
_COMMIT_WRITES = """
local versions = tonumber(ARGV[1])
for i = 1, versions do
  if redis.call('exists', KEYS[i]) == 1 then redis.call('incr', KEYS[i]) else redis.call('set', KEYS[i], 2) end
end
local added = {}
for i = versions + 1, #KEYS do
  added[#added + 1] = redis.call('set', KEYS[i], ARGV[2], 'NX', 'EX', ARGV[2 + i - versions]) and 1 or 0
end
return added
"""


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client builds a new ``redis.Redis`` for every operation (its some 200 response callbacks
    included, about a tenth of a millisecond); this one keeps one per connection pool. A ``redis.Redis`` is
    safe to share between threads: every command takes a connection from the pool.

    ``incr`` is one round trip (a server-side script) rather than Django's two (``EXISTS``, then ``INCRBY``), and
    atomic: a key that expires in between is never recreated. Every registry write bumps versions with it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._incr_scripts = {}
        self._commit_scripts = {}

    def incr(self, key, delta):
        client = self.get_client(key, write=True)
        script = self._incr_scripts.get(id(client))
        if script is None:
            script = self._incr_scripts[id(client)] = client.register_script(_INCR_EXISTING)
        value = script(keys=[key], args=[delta])
        if value is None:
            raise ValueError(f"Key '{key}' not found.")
        return value

    def commit_writes(self, version_keys, adds, marker):
        """``_COMMIT_WRITES`` of made keys: ``adds`` are (key, seconds); whether each marker was added."""
        keys = [*version_keys, *(key for key, _seconds in adds)]
        client = self.get_client(keys[0], write=True)
        script = self._commit_scripts.get(id(client))
        if script is None:
            script = self._commit_scripts[id(client)] = client.register_script(_COMMIT_WRITES)
        added = script(keys=keys, args=[len(version_keys), marker, *(seconds for _key, seconds in adds)])
        return [bool(flag) for flag in added]

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FallbackRedisCache(RedisCache):
    """``RedisCache`` with a per-process memory fallback while Redis is unreachable (see the module doc).

    Extra ``OPTIONS``: ``RETRY_SECONDS`` (default 5) and ``FALLBACK_MAX_TIMEOUT`` (default 300).
    """

    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self.retry_seconds = float(options.pop("RETRY_SECONDS", 5))
        self.fallback_max_timeout = int(options.pop("FALLBACK_MAX_TIMEOUT", 300))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._location = server if isinstance(server, str) else ",".join(server)
        self._fallback = LocMemCache(
            f"redis-fallback:{self._location}",
            {"TIMEOUT": params.get("TIMEOUT", 300), "KEY_PREFIX": params.get("KEY_PREFIX", "")},
        )

    # --- circuit ----------------------------------------------------------
    def _redis_skipped(self) -> bool:
        return _down_until.get(self._location, 0.0) > time.monotonic()

    def _mark_down(self, exc: Exception, operation: str) -> None:
        if self._location not in _down_until:
            logger.warning(
                "Cache unavailable (%s during %s): serving from this process's memory; Redis is retried every %ss",
                exc.__class__.__name__,
                operation,
                self.retry_seconds,
            )
        _down_until[self._location] = time.monotonic() + self.retry_seconds

    def _mark_up(self) -> None:
        if _down_until.pop(self._location, None) is not None:
            logger.warning("Cache available again: back on Redis")

    def _capped(self, method_name: str, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
        """The fallback keeps nothing longer than ``fallback_max_timeout`` seconds."""
        if method_name not in _TIMEOUT_METHODS:
            return args, kwargs
        bound = inspect.signature(getattr(self._fallback, method_name)).bind(*args, **kwargs)
        timeout = bound.arguments.get("timeout", DEFAULT_TIMEOUT)
        if timeout is DEFAULT_TIMEOUT:
            timeout = self.default_timeout
        if timeout is None or timeout > self.fallback_max_timeout:
            timeout = self.fallback_max_timeout
        bound.arguments["timeout"] = timeout
        return bound.args, bound.kwargs

    # --- operations ---------------------------------------------------------
    add = _degradable("add")(RedisCache.add)
    get = _degradable("get")(RedisCache.get)
    set = _degradable("set")(RedisCache.set)
    touch = _degradable("touch")(RedisCache.touch)
    delete = _degradable("delete")(RedisCache.delete)
    get_many = _degradable("get_many")(RedisCache.get_many)
    has_key = _degradable("has_key")(RedisCache.has_key)
    incr = _degradable("incr")(RedisCache.incr)
    set_many = _degradable("set_many")(RedisCache.set_many)
    delete_many = _degradable("delete_many")(RedisCache.delete_many)
    clear = _degradable("clear")(RedisCache.clear)

    def commit_writes(self, version_keys, adds) -> list[bool]:
        """``commitcache``'s writes: bump each of ``version_keys`` (incremented, or set to 2 with no timeout when
        missing, as ``pagecache.bump_version`` does) and ``add`` each marker of ``adds`` ((key, seconds), value
        True), in one round trip; whether each marker was added. While Redis is unreachable, one at a time in the
        fallback."""
        if not version_keys and not adds:
            return []
        if not self._redis_skipped() and all(isinstance(s, int) and s > 0 for _key, s in adds):
            try:
                added = self._cache.commit_writes(
                    [self.make_and_validate_key(key) for key in version_keys],
                    [(self.make_and_validate_key(key), seconds) for key, seconds in adds],
                    self._cache._serializer.dumps(True),
                )
            except UNREACHABLE as exc:
                self._mark_down(exc, "commit_writes")
            else:
                self._mark_up()
                return added
        for key in version_keys:
            try:
                self.incr(key)
            except ValueError:
                self.set(key, 2, None)
        return [self.add(key, True, timeout=seconds) for key, seconds in adds]

    def probe(self) -> None:
        """Write a key on Redis itself, bypassing the fallback; raises when it is unreachable (``/healthz``)."""
        client = self._cache.get_client("healthz", write=True)
        client.set(self.make_and_validate_key("healthz"), b"1", ex=10)
        self._mark_up()
