"""Cache writes a transaction asks for when it commits, sent to Redis together in one round trip (issue #14).

A step-12 close, once committed, bumps the registry's and the profiles' versions (``pagecache``) and asks for a
count of the statistics and a flush of the e-mail outbox, each unless one is queued already (a marker added with
``cache.add``). Each was a Redis round trip of its own, some 220 Python calls each in redis-py.

* ``bump_versions_on_commit(*keys)``: ``pagecache.bump_versions(*keys)`` once the transaction commits;
* ``add_on_commit(key, timeout=..., then=...)``: ``if cache.add(key, True, timeout): then()`` once it commits.

Each call registers a callback of its own, as ``transaction.on_commit`` would, unless it runs inside ``batched()``
(the automatic walk of the workflow): there the writes join one callback, registered at the first write, and are
sent in one server-side script, each version once, the versions before the markers. A write joins that callback
only while it is pending at the caller's savepoint level or an outer one (it runs if the caller's work commits;
a write inside a savepoint that rolls back may still be sent: an extra invalidation or an extra request, never a
missing one); otherwise it starts the batch's next callback. Outside a transaction both act at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache
from django.db import transaction

from .pagecache import bump_versions

__all__ = ["add_on_commit", "batched", "bump_versions_on_commit"]


class _Writes:
    """One transaction's (one savepoint level's) cache writes, sent on commit."""

    __qualname__ = "commitcache.writes"  # what Django logs should a callback fail

    def __init__(self):
        self.version_keys: list[str] | None = []
        self.adds: list[tuple[str, int, Callable[[], object]]] | None = []

    def __call__(self) -> None:
        keys, adds = self.version_keys, self.adds
        self.version_keys = self.adds = None  # run: later writes need a callback of their own
        added = send(keys, [(key, timeout) for key, timeout, _then in adds])
        for (_key, _timeout, then), was_added in zip(adds, added, strict=True):
            if was_added:
                then()


def send(version_keys: list[str], adds: list[tuple[str, int]]) -> list[bool]:
    """Bump ``version_keys`` and add the markers ``adds`` (key, timeout): one round trip when the cache can
    (``FallbackRedisCache.commit_writes``); whether each marker was added."""
    commit_writes = getattr(cache, "commit_writes", None)
    if commit_writes is not None:
        return commit_writes(version_keys, adds)
    if version_keys:
        bump_versions(*version_keys)
    return [cache.add(key, True, timeout=timeout) for key, timeout in adds]


# Inside ``batched()``: a list holding the batch's current callback (none before its first write).
_batch: ContextVar[list | None] = ContextVar("commitcache_batch", default=None)


@contextmanager
def batched() -> Iterator[None]:
    """The cache writes asked for inside the block share one callback (see the module's doc)."""
    token = _batch.set([None])
    try:
        yield
    finally:
        _batch.reset(token)


def _pending() -> _Writes | None:
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return None
    batch = _batch.get()
    if batch is not None and batch[0] is not None and batch[0].adds is not None:
        savepoints = set(connection.savepoint_ids)
        if any(callback is batch[0] and sids <= savepoints for sids, callback, _robust in connection.run_on_commit):
            return batch[0]
    writes = _Writes()
    transaction.on_commit(writes, robust=True)
    if batch is not None:
        batch[0] = writes
    return writes


def bump_versions_on_commit(*keys: str) -> None:
    """``pagecache.bump_versions(*keys)`` once the transaction commits (a page built before the commit is not stored
    under the new version), with the transaction's other cache writes; at once outside a transaction."""
    writes = _pending()
    if writes is None:
        bump_versions(*keys)
        return
    writes.version_keys.extend(key for key in keys if key not in writes.version_keys)


def add_on_commit(key: str, *, timeout: int, then: Callable[[], object]) -> None:
    """``if cache.add(key, True, timeout): then()`` once the transaction commits, with its other cache writes; at
    once outside a transaction. ``then`` runs after every write of the callback was sent."""
    writes = _pending()
    if writes is None:
        if cache.add(key, True, timeout=timeout):
            then()
        return
    writes.adds.append((key, timeout, then))
