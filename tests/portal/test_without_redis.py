"""The portal keeps working with Redis unreachable: the cache is an optimisation, never a dependency."""

import logging
import socket
import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from agreements.choices import Status
from agreements.models import Agreement, NonWorkingDay, TimelineEvent
from tests import documents
from tests.factories import PASSWORD, future_date, local_official

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_down(settings):
    """The production cache configuration (portal/settings/base.py), pointed at a port nobody listens on."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "portal.core.cache.FallbackRedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }
    yield


@pytest.fixture
def broker_down(settings):
    """Celery on a Redis broker nobody answers (production runs tasks on a worker, not in the request)."""
    from portal.celery import app

    def fresh_connections():
        # The app's pools are looked up again for the current broker URL; never closed (kombu keeps them in a
        # process-wide registry, where a closed pool would break every later task of the test run).
        app._pool = None
        app.amqp._producer_pool = None

    saved = app.conf.broker_url, app.conf.task_always_eager
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.broker_url, app.conf.task_always_eager = f"redis://127.0.0.1:{_closed_port()}/0", False
    fresh_connections()
    yield
    app.conf.broker_url, app.conf.task_always_eager = saved
    fresh_connections()


def _verified(user):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.mark.parametrize("tasks", ["eager", "on_the_unreachable_broker"])
def test_login_file_submit_and_statistics_without_redis(
    request, tasks, redis_down, django_capture_on_commit_callbacks, caplog
):
    if tasks != "eager":
        request.getfixturevalue("broker_down")
    user = _verified(local_official())
    client = APIClient()
    caplog.set_level(logging.WARNING, logger="portal.core.cache")

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302  # the login rate limiter counts in the process's memory
    assert any("Cache unavailable" in r.getMessage() for r in caplog.records)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/agreements/",
            {
                "title": "Memorándum con la OIM",
                "kind": "memorandum_of_understanding",
                "counterpart_name": "Organización Internacional para las Migraciones",
                "counterpart_type": "international_organization",
                "counterpart_country": "",
                "themes": ["migration"],
                "intended_signing_date": future_date(45).isoformat(),
                "intended_signing_place": "Tapachula, Chiapas",
                "entry_into_force": "on_signature",
                "term": "indefinite",
            },
            format="json",
        )
    assert response.status_code == 201, response.content  # the calendar came from the database
    pk = response.json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        for kind, upload in (("request_letter", documents.pdf_upload()), ("final_text", documents.docx_upload())):
            response = client.post(f"/api/v1/agreements/{pk}/documents/", {"kind": kind, "file": upload})
            assert response.status_code == 201, response.content

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(f"/api/v1/agreements/{pk}/submit/")
    assert first.status_code == 200, first.content  # the on-commit cache.add no longer raises
    if tasks != "eager":
        assert any("broker is unavailable" in r.getMessage() for r in caplog.records)
    with django_capture_on_commit_callbacks(execute=True):
        retry = client.post(f"/api/v1/agreements/{pk}/submit/")
    assert retry.status_code == 409  # the client's retry: refused, nothing duplicated
    # Eager, the automatic steps ran; with the broker down the case waits at step 5 for the beat sweep.
    assert Agreement.objects.get(pk=pk).status == (Status.IN_REVIEW if tasks == "eager" else Status.SUBMITTED)
    assert TimelineEvent.objects.filter(agreement_id=pk, action="submit").count() == 1

    for url in (reverse("agreements:registry_stats"), "/api/v1/registry/stats/?by=year"):
        assert client.get(url).status_code == 200, url


def test_non_working_days_come_from_the_database_without_redis(redis_down):
    from agreements.services import non_working_days

    day = future_date(20)
    NonWorkingDay.objects.create(date=day, description="Día inhábil")
    assert day in non_working_days()


def test_healthz_still_reports_the_outage(redis_down, client):
    cache.get("anything")  # the fallback answers requests ...
    response = client.get(reverse("healthz"))
    assert response.status_code == 503  # ... but operators are told
    assert response.json() == {"status": "unavailable"}


def test_the_fallback_keeps_nothing_longer_than_its_cap(redis_down, settings):
    import time

    settings.CACHES["default"]["OPTIONS"]["FALLBACK_MAX_TIMEOUT"] = 2
    from django.core.cache import caches

    backend = caches.create_connection("default")
    backend.set("k", "v", None)  # "forever" on Redis: at most the cap in a process's memory
    assert backend.get("k") == "v"
    assert backend._fallback._expire_info[backend._fallback.make_key("k")] <= time.time() + 2


def test_the_redis_cache_reuses_one_client_per_connection_pool():
    """Django's RedisCache builds a ``redis.Redis`` for every operation; the portal's keeps one (no connection is
    made to get it)."""
    from portal.core.cache import FallbackRedisCache

    backend = FallbackRedisCache(f"redis://127.0.0.1:{_closed_port()}/0", {})
    client = backend._cache.get_client("a", write=True)
    assert backend._cache.get_client("b", write=True) is client
    assert backend._cache.get_client("c") is client  # one server: reads and writes share its pool


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (REDIS_URL)")
def test_the_redis_cache_increments_in_one_round_trip_and_never_creates_the_key():
    """Every step-12 close bumps the registry's and the profiles' versions: one command each, not Django's two."""
    from portal.core.cache import FallbackRedisCache

    backend = FallbackRedisCache(settings.REDIS_URL, {"KEY_PREFIX": f"incr-test-{time.time_ns()}"})
    client = backend._cache.get_client("n", write=True)
    sent = []
    original = client.execute_command

    def counted(*args, **kwargs):
        sent.append(args[0])
        return original(*args, **kwargs)

    client.execute_command = counted
    with pytest.raises(ValueError):
        backend.incr("n")
    assert backend.get("n") is None
    backend.set("n", 1, 60)
    sent.clear()
    assert backend.incr("n") == 2
    assert backend.incr("n", 5) == 7
    assert sent == ["EVALSHA", "EVALSHA"]
    assert backend.get("n") == 7
    backend.delete("n")


@pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis (REDIS_URL)")
def test_the_redis_cache_sends_a_commits_writes_in_one_round_trip():
    """A step-12 close bumps the registry's and the profiles' versions and adds the markers of the statistics' count
    and the outbox's flush: one command, each version incremented or, when missing, set to 2 with no timeout as
    ``pagecache.bump_version`` does, each marker added as ``cache.add`` does."""
    from portal.core.cache import FallbackRedisCache

    backend = FallbackRedisCache(settings.REDIS_URL, {"KEY_PREFIX": f"bump-test-{time.time_ns()}"})
    client = backend._cache.get_client("a", write=True)
    sent = []
    original = client.execute_command

    def counted(*args, **kwargs):
        sent.append(args[0])
        return original(*args, **kwargs)

    client.execute_command = counted
    backend.set("a", 5, None)
    backend.add("taken", "x", 60)
    sent.clear()
    assert backend.commit_writes(["a", "b"], [("m", 60), ("taken", 60)]) == [True, False]
    assert sent == ["EVALSHA"]
    assert (backend.get("a"), backend.get("b"), backend.get("m"), backend.get("taken")) == (6, 2, True, "x")
    assert client.ttl(backend.make_and_validate_key("b")) == -1  # no timeout, as bump_version sets it
    assert 0 < client.ttl(backend.make_and_validate_key("m")) <= 60
    backend.delete_many(["a", "b", "m", "taken"])


def test_a_commits_writes_are_made_in_the_fallback_while_redis_is_down(redis_down):
    from django.core.cache import caches

    backend = caches.create_connection("default")
    backend.set("a", 5, None)
    assert backend.commit_writes(["a", "b"], [("m", 60), ("m", 60)]) == [True, False]
    assert (backend.get("a"), backend.get("b"), backend.get("m")) == (6, 2, True)
