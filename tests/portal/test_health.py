import pytest
from django.urls import reverse

from portal.core import health

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    from tests.factories import admin_user

    client.force_login(admin_user())
    return client


def test_healthy(staff_client):
    response = staff_client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "migrations": "ok", "cache": "ok", "broker": "ok"}


def test_anonymous_callers_get_the_status_but_not_the_reasons(client, settings, caplog):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from portal.celery import app

    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get(reverse("healthz"))
    finally:
        app.conf.broker_url = original
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}  # no exception class, no host:port
    assert "127.0.0.1:1" not in response.content.decode()
    assert any("broker unavailable" in r.getMessage() for r in caplog.records)  # operators read the log


def test_database_down_is_503_with_the_reason(staff_client, monkeypatch):
    monkeypatch.setattr(health, "check_database", lambda: "database unavailable: OperationalError: refused")
    monkeypatch.setitem(health.CHECKS, "database", health.check_database)
    response = staff_client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"]["database"].startswith("database unavailable")
    assert response.json()["checks"]["migrations"].startswith("skipped")


def test_pending_migrations_are_reported(staff_client, monkeypatch):
    class FakeExecutor:
        def __init__(self, connection):
            self.loader = type("L", (), {"graph": type("G", (), {"leaf_nodes": lambda self: []})()})()

        def migration_plan(self, targets):
            migration = type("M", (), {"app_label": "agreements", "name": "0099_future"})()
            return [(migration, False)]

    monkeypatch.setattr(health, "MigrationExecutor", FakeExecutor)
    response = staff_client.get(reverse("healthz"))
    assert response.status_code == 503
    assert "agreements.0099_future" in response.json()["checks"]["migrations"]


def test_broker_down_is_503(staff_client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from portal.celery import app

    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = staff_client.get(reverse("healthz"))
    finally:
        app.conf.broker_url = original
    assert response.status_code == 503
    assert response.json()["checks"]["broker"].startswith("broker unavailable")


def test_error_pages_are_friendly_and_in_spanish(client):
    response = client.get("/estados/99/")
    assert response.status_code == 404 and "No encontramos esta página" in response.content.decode()
    from tests.factories import analyst

    client.force_login(analyst())
    response = client.get("/expedientes/bandeja-cja/")
    assert response.status_code == 403 and "no corresponde a su función" in response.content.decode()


def test_500_page_renders_without_a_request_context(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500 and "Algo salió mal" in response.content.decode()
