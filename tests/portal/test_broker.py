"""The Redis broker's channel keeps one client for what it sends (``portal.core.broker``)."""

import pytest
import redis
from django.conf import settings
from kombu import Connection, Queue

from portal.core.broker import Transport

pytestmark = pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (REDIS_URL)")


def test_publishing_builds_one_client_per_channel_not_one_per_message(monkeypatch):
    built = []
    original = redis.Redis.__init__

    def counted(self, *args, **kwargs):
        built.append(1)
        original(self, *args, **kwargs)

    queue = Queue(f"broker-test-{id(built)}")
    with Connection(settings.REDIS_URL, transport=Transport) as connection:
        producer = connection.Producer()
        producer.publish({"n": 0}, routing_key=queue.name, declare=[queue])
        monkeypatch.setattr(redis.Redis, "__init__", counted)
        for n in range(1, 6):
            producer.publish({"n": n}, routing_key=queue.name)
        monkeypatch.undo()
        with connection.SimpleQueue(queue) as simple:
            received = [simple.get(timeout=2) for _ in range(6)]
            assert [message.payload["n"] for message in received] == list(range(6))
            for message in received:
                message.ack()
        connection.default_channel.queue_delete(queue.name)
    assert built == []  # kombu's own channel built a client for each of the five


def test_a_redis_broker_uses_it():
    from portal.celery import app

    if settings.CELERY_BROKER_URL.startswith("redis"):
        assert app.connection_for_write().transport_cls == "portal.core.broker:Transport"
