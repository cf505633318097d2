"""Anonymous visitors share the registry's pages until the registry changes (portal.core.pagecache, issue #14)."""

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.registry import services as registry_services
from tests.factories import admin_user
from tests.registry.test_registry import ROWS, csv_bytes

pytestmark = pytest.mark.django_db

LIST = "/registro/?q=cooperacion"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def corpus(run_on_commit):
    assert run_on_commit(registry_services.registry_import, content=csv_bytes(ROWS[:3])).ok


def _numbers(response) -> list[str]:
    return re.findall(r'href="/registro/acuerdo/([^"/]+)/"', response.content.decode())


@pytest.mark.parametrize(
    "path",
    [LIST, "/registro/estadisticas/?state=26", "/api/v1/registry/?state=26"],
)
def test_a_repeated_anonymous_request_runs_no_query(corpus, path):
    first = Client().get(path)
    with CaptureQueriesContext(connection) as queries:
        again = Client().get(path)
    assert first.status_code == again.status_code == 200
    assert len(queries) == 0
    if path.startswith("/api/"):
        assert again.json() == first.json()


def test_a_registry_write_changes_the_cached_page(corpus, run_on_commit):
    assert _numbers(Client().get(LIST)) == ["R-001"]
    assert run_on_commit(registry_services.registry_import, content=csv_bytes(ROWS[:6])).ok
    assert _numbers(Client().get(LIST)) == ["R-005", "R-006", "R-001"]
    api = Client().get("/api/v1/registry/?state=26").json()
    assert {row["registry_number"] for row in api["results"]} == {"R-003", "R-005", "R-006"}


def test_another_language_does_not_get_the_cached_page(corpus):
    spanish = Client().get(LIST)
    english = Client(headers={"accept-language": "en"}).get(LIST)
    assert spanish["Content-Language"] == "es-mx" and english["Content-Language"] == "en"
    assert '<html lang="es">' in spanish.content.decode() and '<html lang="en">' in english.content.decode()


def test_a_signed_in_user_never_gets_the_anonymous_copy(corpus):
    Client().get(LIST)  # cached for anonymous visitors
    client = Client()
    client.force_login(admin_user())
    with CaptureQueriesContext(connection) as queries:
        page = client.get(LIST)
    assert any("agreements_registryentry" in q["sql"] for q in queries.captured_queries)
    assert reverse("account_logout") in page.content.decode()
    assert reverse("account_logout") not in Client().get(LIST).content.decode()


def test_every_visitor_gets_their_own_csrf_token_and_cookie(corpus):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_page, second_page = first.get(LIST), second.get(LIST)  # the second is served from the cache
    first_token, second_token = (
        TOKEN.search(first_page.content.decode())[1],
        TOKEN.search(second_page.content.decode())[1],
    )
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    assert "\x00" not in second_page.content.decode()
    # The language form of the cached page posts with the second visitor's own cookie.
    answer = second.post(reverse("set_language"), {"language": "en", "next": LIST, "csrfmiddlewaretoken": second_token})
    assert answer.status_code == 302
    stolen = first.post(reverse("set_language"), {"language": "en", "next": LIST, "csrfmiddlewaretoken": second_token})
    assert stolen.status_code == 403 and first_token != second_token


def test_a_waiting_message_is_shown_not_skipped(corpus, rf):
    Client().get(LIST)  # cached without a message
    client = Client()
    storage = CookieStorage(rf.get(LIST))
    client.cookies[storage.cookie_name] = storage._encode([Message(constants.INFO, "Su exportación está lista.")])
    assert "Su exportación está lista." in client.get(LIST).content.decode()


def test_a_head_request_is_served_but_never_stored(corpus):
    assert Client().head(LIST).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert Client().get(LIST).status_code == 200
    assert queries.captured_queries  # the HEAD stored nothing: the GET built the page


def test_no_page_is_cached_when_the_setting_is_zero(corpus, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    Client().get(LIST)
    with CaptureQueriesContext(connection) as queries:
        assert Client().get(LIST).status_code == 200
    assert queries.captured_queries
