"""API throttling (429 with Retry-After), the client's address behind trusted proxies, login lockout."""

import itertools

import pytest
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from portal.core.throttling import client_ip
from tests.factories import PASSWORD, analyst, local_official

pytestmark = pytest.mark.django_db

_addresses = (f"198.51.100.{n}" for n in itertools.count(1))  # a fresh address per test: no shared buckets


@pytest.fixture
def rates(settings):
    def set_rates(**rates):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, **rates},
        }

    return set_rates


def test_anonymous_api_use_is_throttled_with_retry_after(rates):
    rates(anon="3/min")
    client = APIClient(REMOTE_ADDR=next(_addresses))
    codes = [client.get("/api/v1/registry/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = client.get("/api/v1/registry/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    # Another address has its own allowance.
    assert APIClient(REMOTE_ADDR=next(_addresses)).get("/api/v1/registry/").status_code == 200


def test_signed_in_api_use_is_throttled_per_account(rates):
    rates(user="2/min")
    user = analyst()
    client = APIClient(REMOTE_ADDR=next(_addresses))
    client.force_authenticate(user)
    assert [client.get("/api/v1/registry/").status_code for _ in range(3)] == [200, 200, 429]
    assert "Retry-After" in client.get("/api/v1/registry/")
    # The same account from another address is the same bucket; another account is not.
    elsewhere = APIClient(REMOTE_ADDR=next(_addresses))
    elsewhere.force_authenticate(user)
    assert elsewhere.get("/api/v1/registry/").status_code == 429
    colleague = APIClient(REMOTE_ADDR=next(_addresses))
    colleague.force_authenticate(analyst())
    assert colleague.get("/api/v1/registry/").status_code == 200


def test_behind_the_proxy_each_client_has_its_own_bucket_and_cannot_forge_one(rates, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    rates(anon="2/min")
    proxy = next(_addresses)
    alice, bob = next(_addresses), next(_addresses)

    def get(forwarded):
        return APIClient(REMOTE_ADDR=proxy).get("/api/v1/registry/", HTTP_X_FORWARDED_FOR=forwarded).status_code

    assert [get(alice), get(alice), get(alice)] == [200, 200, 429]
    assert get(bob) == 200  # not everyone behind the proxy shares one bucket
    # Entries the client writes to the left of what our proxy appended do not buy a new bucket.
    assert get(f"203.0.113.9, {alice}") == 429


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no proxy: the header is the client's own word
        (1, "", "10.0.0.1"),  # not through the proxy
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "1.1.1.1, 203.0.113.9", "203.0.113.9"),  # the left entry was forged
        (2, "1.1.1.1, 203.0.113.9, 10.0.0.7", "203.0.113.9"),
        (2, "203.0.113.9", "203.0.113.9"),
        (1, "not-an-address", "10.0.0.1"),
    ],
)
def test_client_ip_reads_x_forwarded_for_from_the_right(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", **headers)
    assert client_ip(request) == expected


def _verified(user):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _login(user, password, address):
    client = APIClient(REMOTE_ADDR=address)
    return client.post(reverse("account_login"), {"login": user.email, "password": password})


def test_failed_logins_lock_one_account_at_one_address_not_the_colleagues():
    victim, colleague = _verified(local_official()), _verified(local_official())
    office = next(_addresses)
    for _ in range(5):
        assert "no son correct" in _login(victim, "incorrecta-123", office).content.decode()
    locked = _login(victim, PASSWORD, office)
    assert locked.status_code == 200 and "Demasiados intentos fallidos" in locked.content.decode()
    # The colleague behind the same address signs in; so does the account itself from elsewhere.
    assert _login(colleague, PASSWORD, office).status_code == 302
    assert _login(victim, PASSWORD, next(_addresses)).status_code == 302


def test_behind_the_proxy_the_login_limiter_sees_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    user = _verified(local_official())
    proxy, attacker, owner = next(_addresses), next(_addresses), next(_addresses)

    def login(password, client_address):
        client = APIClient(REMOTE_ADDR=proxy)
        return client.post(
            reverse("account_login"),
            {"login": user.email, "password": password},
            HTTP_X_FORWARDED_FOR=client_address,
        )

    for _ in range(5):
        login("incorrecta-123", attacker)
    assert "Demasiados intentos fallidos" in login(PASSWORD, attacker).content.decode()
    assert login(PASSWORD, owner).status_code == 302


def test_anonymous_api_use_counts_against_the_anonymous_rate_only(rates):
    # The signed-in rate is per account: an anonymous request neither spends nor is limited by it.
    rates(anon="3/min", user="1/min")
    client = APIClient(REMOTE_ADDR=next(_addresses))
    assert [client.get("/api/v1/registry/").status_code for _ in range(4)] == [200, 200, 200, 429]
