"""Anonymous visitors share the profile pages until what they show changes (portal.core.pagecache, issue #14)."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from agreements.registry import services as registry_services
from portal.geography.profiles import PROFILES_VERSION_KEY, profiles_version
from tests.factories import MigrantOfficeFactory, admin_user
from tests.registry.test_registry import ROWS, csv_bytes

pytestmark = pytest.mark.django_db

JALISCO = "/estados/14/"


@pytest.mark.parametrize(
    "path", [JALISCO, "/municipios/14039/", "/estados/", "/estados/comparacion/?orden=-agreements"]
)
def test_a_repeated_anonymous_request_runs_no_query(path):
    first = Client().get(path)
    with CaptureQueriesContext(connection) as queries:
        again = Client().get(path)
    assert first.status_code == again.status_code == 200
    assert len(queries) == 0


def test_a_write_to_what_the_profiles_show_changes_the_cached_page(run_on_commit):
    assert "Oficina de Prueba Caché" not in Client().get(JALISCO).content.decode()
    run_on_commit(MigrantOfficeFactory, institution__name="Oficina de Prueba Caché", institution__state_id="14")
    assert "Oficina de Prueba Caché" in Client().get(JALISCO).content.decode()


def test_a_registry_import_changes_the_cached_page(run_on_commit):
    before = Client().get(JALISCO).content.decode()
    assert "R-001" not in before
    assert run_on_commit(registry_services.registry_import, content=csv_bytes(ROWS[:1])).ok
    assert "R-001" in Client().get(JALISCO).content.decode()


def test_the_version_moves_only_when_the_write_commits(django_capture_on_commit_callbacks):
    version = profiles_version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        MigrantOfficeFactory()
    assert profiles_version() == version  # not before the commit: a page built meanwhile shows the old data
    for callback in callbacks:
        callback()
    assert profiles_version() > version


def test_a_signed_in_user_never_gets_the_anonymous_copy(settings):
    Client().get(JALISCO)
    client = Client()
    client.force_login(admin_user())
    with CaptureQueriesContext(connection) as queries:
        assert client.get(JALISCO).status_code == 200
    assert len(queries) > 0


def test_a_comparison_csv_is_not_stored():
    from django.core.cache import cache

    version = cache.get(PROFILES_VERSION_KEY)
    Client().get("/estados/comparacion/?formato=csv")
    with CaptureQueriesContext(connection) as queries:
        response = Client().get("/estados/comparacion/?formato=csv")
    assert response["Content-Type"].startswith("text/csv") and len(queries) > 0
    assert cache.get(PROFILES_VERSION_KEY) == version


@pytest.mark.parametrize("path", [JALISCO, "/municipios/14039/"])
def test_the_sections_data_is_read_once_per_version_for_every_reader(settings, client, path):
    """With the page cache off (or for a signed-in reader, whom it never serves), the sections' lists and figures
    are read by the first request after a change only: the next runs fewer statements and shows the same page."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    client.force_login(admin_user())
    client.get("/")  # the session warm
    with CaptureQueriesContext(connection) as first_queries:
        first = client.get(path)
    with CaptureQueriesContext(connection) as again_queries:
        again = client.get(path)
    assert first.status_code == again.status_code == 200
    assert len(again_queries) < len(first_queries) - 5
    csrf = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')
    assert csrf.sub(b"", again.content) == csrf.sub(b"", first.content)


def test_a_signed_in_reader_sees_a_committed_write_at_once(settings, client, run_on_commit):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    client.force_login(admin_user())
    assert "Oficina de Prueba Caché" not in client.get(JALISCO).content.decode()
    run_on_commit(MigrantOfficeFactory, institution__name="Oficina de Prueba Caché", institution__state_id="14")
    assert "Oficina de Prueba Caché" in client.get(JALISCO).content.decode()
