import pytest
from django.urls import reverse

from portal.core import health

pytestmark = pytest.mark.django_db


def test_healthy(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "migrations": "ok", "cache": "ok", "broker": "ok"}


def test_database_down_is_503_with_the_reason(client, monkeypatch):
    monkeypatch.setattr(health, "check_database", lambda: "database unavailable: OperationalError: refused")
    monkeypatch.setitem(health.CHECKS, "database", health.check_database)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"]["database"].startswith("database unavailable")
    assert response.json()["checks"]["migrations"].startswith("skipped")


def test_pending_migrations_are_reported(client, monkeypatch):
    class FakeExecutor:
        def __init__(self, connection):
            self.loader = type("L", (), {"graph": type("G", (), {"leaf_nodes": lambda self: []})()})()

        def migration_plan(self, targets):
            migration = type("M", (), {"app_label": "agreements", "name": "0099_future"})()
            return [(migration, False)]

    monkeypatch.setattr(health, "MigrationExecutor", FakeExecutor)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert "agreements.0099_future" in response.json()["checks"]["migrations"]


def test_broker_down_is_503(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from portal.celery import app

    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get(reverse("healthz"))
    finally:
        app.conf.broker_url = original
    assert response.status_code == 503
    assert response.json()["checks"]["broker"].startswith("broker unavailable")
