import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from portal.env import Env

ROOT = Path(__file__).resolve().parents[2]


def _settings_in_subprocess(env: dict) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "CELERY_BROKER_URL",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "PORTAL_ENV",
            "DJANGO_SETTINGS_MODULE",
        }
    }
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='portal.settings.base'; django.setup();"
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL, s.DEBUG)"
    )
    return subprocess.run(
        [sys.executable, "-c", code], env={**clean, **env}, cwd=ROOT, capture_output=True, text=True, timeout=60
    )


@pytest.mark.unit
def test_embedded_default_is_sqlite_with_eager_tasks():
    result = _settings_in_subprocess({})
    assert result.returncode == 0, result.stderr
    engine, eager, broker, debug = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert eager == "True" and broker == "memory://localhost/" and debug == "True"


@pytest.mark.unit
def test_database_and_redis_urls_are_used():
    result = _settings_in_subprocess(
        {
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/aii",
            "REDIS_URL": "redis://127.0.0.1:6379/3",
        }
    )
    assert result.returncode == 0, result.stderr
    engine, eager, broker, _debug = result.stdout.split()
    assert engine == "django.db.backends.postgresql"
    assert eager == "False" and broker == "redis://127.0.0.1:6379/3"


@pytest.mark.unit
def test_celery_broker_url_wins_over_redis_url():
    result = _settings_in_subprocess(
        {"REDIS_URL": "redis://127.0.0.1:6379/3", "CELERY_BROKER_URL": "redis://127.0.0.1:6379/9"}
    )
    assert result.stdout.split()[2] == "redis://127.0.0.1:6379/9"


@pytest.mark.unit
def test_production_refuses_to_start_without_required_variables():
    result = _settings_in_subprocess({"PORTAL_ENV": "production", "SECRET_KEY": "x" * 60})
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr and "ALLOWED_HOSTS" in result.stderr
    assert "SECRET_KEY," not in result.stderr.split("requires these environment variables:")[-1]


@pytest.mark.unit
def test_production_starts_with_required_variables():
    result = _settings_in_subprocess(
        {
            "PORTAL_ENV": "production",
            "SECRET_KEY": "x" * 60,
            "ALLOWED_HOSTS": "portal.example.mx",
            "DATABASE_URL": "sqlite:////tmp/aii-prod-check.sqlite3",
        }
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[3] == "False"  # DEBUG off in production


@pytest.mark.unit
@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("true", True), ("0", False), ("no", False)])
def test_env_bool(raw, expected):
    assert Env({"FLAG": raw}).bool("FLAG") is expected


@pytest.mark.unit
def test_env_rejects_garbage_with_a_clear_message():
    with pytest.raises(ImproperlyConfigured, match="PORTAL_MAX_UPLOAD_MB must be an integer"):
        Env({"PORTAL_MAX_UPLOAD_MB": "veinte"}).int("PORTAL_MAX_UPLOAD_MB", 20)
    with pytest.raises(ImproperlyConfigured, match="PORTAL_ENV must be one of"):
        Env({"PORTAL_ENV": "prod"}).choice("PORTAL_ENV", ("development", "production"), "development")
    assert Env({"ALLOWED_HOSTS": "a.mx, b.mx"}).list("ALLOWED_HOSTS") == ["a.mx", "b.mx"]
    assert Env({"EXPORT_JOB_PAUSE_RATIO": " 0.25 "}).float("EXPORT_JOB_PAUSE_RATIO", 0.5) == 0.25
    assert Env({}).float("EXPORT_JOB_PAUSE_RATIO", 0.5) == 0.5
    with pytest.raises(ImproperlyConfigured, match="EXPORT_JOB_PAUSE_RATIO must be a number"):
        Env({"EXPORT_JOB_PAUSE_RATIO": "medio"}).float("EXPORT_JOB_PAUSE_RATIO", 0.5)


def test_worker_tasks_reuse_database_connections_as_requests_do():
    """Celery's fixup would close the connection around every task; the portal keeps it for CONN_MAX_AGE."""
    from types import SimpleNamespace
    from unittest import mock

    from celery.fixups.django import DjangoWorkerFixup

    from portal.celery import app, close_old_database_connections

    assert DjangoWorkerFixup(app).db_reuse_max >= 1_000_000
    worker_task = SimpleNamespace(request=SimpleNamespace(is_eager=False))
    eager_task = SimpleNamespace(request=SimpleNamespace(is_eager=True))
    with mock.patch("django.db.close_old_connections") as close_old:
        close_old_database_connections(sender=worker_task)
        close_old_database_connections(sender=eager_task)  # inside the caller's transaction: untouched
    assert close_old.call_count == 1


def test_filter_set_instances_do_not_share_their_filters():
    from agreements.registry.filtersets import RegistryFilterSet

    first, second = RegistryFilterSet({"kind": "twinning"}), RegistryFilterSet({"kind": "other"})
    assert first.filters["kind"] is not second.filters["kind"]
    assert first.filters["kind"].parent is first and second.filters["kind"].parent is second
    assert not hasattr(RegistryFilterSet.base_filters["kind"], "parent")
    assert first.is_valid() and second.is_valid()
    assert first.form.cleaned_data["kind"] == "twinning" and second.form.cleaned_data["kind"] == "other"


def test_filter_forms_share_their_class_per_language_and_copy_their_fields():
    from django.utils import translation

    from agreements.followup.filtersets import FollowupFilterSet
    from agreements.registry.filtersets import RegistryFilterSet

    with translation.override("es-mx"):
        mexico, texas = RegistryFilterSet({"country": "MX"}), RegistryFilterSet({"country": "us"})
        assert type(mexico.form) is type(texas.form)
        assert mexico.form.fields["kind"] is not texas.form.fields["kind"]
        assert mexico.form.fields["kind"].widget is not texas.form.fields["kind"].widget
        # Each form's subdivisions are its own country's.
        mexico_options = [value for value, _ in mexico.form.fields["subdivision"].widget.choices]
        texas_options = [value for value, _ in texas.form.fields["subdivision"].widget.choices]
        assert "MX-JAL" in mexico_options and "MX-JAL" not in texas_options and "US-TX" in texas_options
        assert str(mexico.form.fields["state"].label) == "Entidad"
        assert mexico.is_valid() and texas.is_valid() and texas.form.cleaned_data["country"] == "US"
        spanish_form = type(mexico.form)
        first, second = FollowupFilterSet({}), FollowupFilterSet({})
        assert first.form.fields["state"].queryset is not second.form.fields["state"].queryset
    with translation.override("en"):
        english = RegistryFilterSet({})
        assert type(english.form) is not spanish_form
        assert str(english.form.fields["state"].label) == "State"
        assert dict(english.form.fields["level"].choices)["state"] == "State"


def test_slow_and_cpu_heavy_tasks_have_a_queue_of_their_own():
    """Imports, exports and the certificates' PDFs never wait in front of the workflow's steps and the e-mails; a
    worker started without -Q serves both queues."""
    from django.conf import settings

    from portal.celery import app

    def queue_of(name: str) -> str:
        return app.amqp.router.route({}, name)["queue"].name

    heavy, default = settings.CELERY_HEAVY_QUEUE, settings.CELERY_TASK_DEFAULT_QUEUE
    assert heavy != default
    for name in (
        "agreements.registry.jobs.registry_import_task",
        "agreements.registry.jobs.registry_export_task",
        "agreements.registry.tasks.registry_certificate_issue_task",
    ):
        assert queue_of(name) == heavy
    for name in (
        "agreements.tasks.workflow_advance_task",
        "portal.notifications.tasks.notification_outbox_flush_task",
        "agreements.registry.tasks.registry_certificates_catch_up_task",
        "agreements.registry.jobs.registry_stats_count_task",  # visitors wait for it: never behind an export
    ):
        assert queue_of(name) == default
    assert {q.name for q in app.amqp.queues.values()} == {default, heavy}


def test_an_unacknowledged_task_is_not_delivered_again_while_it_may_still_run():
    """Redis gives an unacknowledged message (acks_late) to another worker after the visibility timeout, whatever
    its queue: the timeout must exceed the longest hard time limit of any task, or a long export runs twice."""
    from django.conf import settings

    from portal.celery import app

    app.loader.import_default_modules()
    limits = [settings.CELERY_TASK_TIME_LIMIT] + [
        task.time_limit for name, task in app.tasks.items() if not name.startswith("celery.") and task.time_limit
    ]
    assert max(limits) >= 1800  # the registry's export and import jobs
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > max(limits)


@pytest.mark.postgres
@pytest.mark.skipif(not settings.USING_POSTGRES, reason="PostgreSQL's JIT")
@pytest.mark.django_db
def test_the_portal_connections_run_without_postgres_jit_and_with_work_mem_for_bitmaps():
    """A bounded statement costed high on paper (a search sought year by year) paid 20-40 ms of JIT compiling; a
    search with a state went lossy in the server's 4 MB, and built whole bitmaps where a walk stops at 101 rows
    (pages priced as disk seeks)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
        cursor.execute("SHOW work_mem")
        assert cursor.fetchone()[0] == "16MB"
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"


def test_a_web_worker_freezes_what_the_application_loaded_and_collects_young_objects_less_often():
    """The full collections that walked every module and model during a request were the profile pages' slow tail."""
    code = "import gc, portal.wsgi; print(gc.get_freeze_count() > 10_000, gc.get_threshold())"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == "True (50000, 20, 20)"


def test_a_web_worker_does_not_load_the_pdf_writer():
    """fpdf2 and fontTools (about 20 MB of a web worker's 138) load where a PDF is written: a web worker with them
    passed the export benchmark's 150 MB peak."""
    code = (
        "import sys, portal.wsgi, portal.urls\n"  # every view, serializer and service the pages import
        "print(sorted(m for m in ('fpdf', 'fontTools') if m in sys.modules))"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
