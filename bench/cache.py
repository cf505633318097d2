"""The run's Redis: the registry statistics' cache version and the entries the run cached."""

from __future__ import annotations

from .processes import log

__all__ = ["BUST_PAIRS", "drop_cached_statistics", "invalidate_cached_statistics", "redis_client"]


def redis_client():
    import redis
    from django.conf import settings

    return redis.Redis.from_url(settings.REDIS_URL)


# Cache-busting year bounds for wrk (wrk_report.lua): year_min 1900-1989 × year_max 2030-2200, every entry kept.
BUST_PAIRS = 90 * 171


def invalidate_cached_statistics(*, quiet: bool = False) -> None:
    """Start without statistics cached by an earlier run on another clone: bump the registry's cache version,
    the app's own invalidation (``agreements.registry.services.entries``)."""
    from django.core.cache import cache

    from agreements.registry.selectors.stats import REGISTRY_VERSION_KEY as key

    try:
        version = cache.incr(key)
    except ValueError:
        cache.set(key, 2, None)
        version = 2
    if not quiet:
        log(f"registry statistics cache version bumped to {version} ({key})")


def drop_cached_statistics() -> int:
    """Delete the statistics this run cached in its own Redis database: the uncached scenarios store one entry
    per request (a unique key each), thousands of them, until they expire."""
    client = redis_client()
    keys = list(client.scan_iter(match="*registry-stats:*", count=1000))
    for start in range(0, len(keys), 500):
        client.delete(*keys[start : start + 500])
    return len(keys)
