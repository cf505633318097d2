"""kombu's Redis transport, keeping one client per channel for the commands it sends synchronously.

kombu's Redis channel builds a new ``redis.Redis`` (its some 200 response callbacks included) for every message it
publishes, every queue's size and purge: some 570 Python calls, a third of what a step-12 task spends queueing its
certificate (issue #14). This channel builds that client once, on the same connection pool; a ``redis.Redis`` is
safe to share (every command takes a connection from the pool). The consumer's own client (``BRPOP``, on the
asynchronous pool) is kombu's, unchanged. ``settings.CELERY_BROKER_TRANSPORT`` names it for a ``redis://`` broker.
"""

from __future__ import annotations

from kombu.transport import redis

__all__ = ["Channel", "Transport"]


class Channel(redis.Channel):
    _synchronous_client = None

    def _create_client(self, asynchronous=False):
        if asynchronous:
            return super()._create_client(asynchronous=True)
        if self._synchronous_client is None:
            self._synchronous_client = super()._create_client()
        return self._synchronous_client

    def close(self):
        self._synchronous_client = None
        super().close()


class Transport(redis.Transport):
    Channel = Channel
