"""API tokens: issued only with the second factor, expiring, revocable by their owner and by administrators;
the MFA requirement holds for token and session requests alike."""

import datetime as dt

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import admin_user, cja_reviewer, dgcp_reviewer, local_official

pytestmark = pytest.mark.django_db


def _with_totp(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    return user


def _session(user):
    client = APIClient()
    client.force_login(user)  # a real session: the API's session authentication runs
    return client


def _token_client(secret):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


@pytest.mark.parametrize("make", [dgcp_reviewer, cja_reviewer])
def test_a_reviewer_without_totp_cannot_obtain_a_token_nor_use_the_api_by_session(make):
    reviewer = make(is_demo=False)
    client = _session(reviewer)
    response = client.post("/api/v1/tokens/")
    assert response.status_code == 403 and response.json()["code"] == "mfa_required"
    assert client.get("/api/v1/agreements/").status_code == 403  # a JSON refusal, not a redirect
    page = client.post(reverse("institutions:api_token_list"))
    assert page.status_code == 302  # the middleware sends the person to set up TOTP
    assert not AuthToken.objects.filter(user=reviewer).exists()


def test_an_account_without_totp_gets_no_token_whatever_its_role():
    official = local_official(is_demo=False)
    client = _session(official)
    assert client.get("/api/v1/agreements/").status_code == 200  # its role does not require TOTP to work
    response = client.post("/api/v1/tokens/")
    assert response.status_code == 403 and response.json()["code"] == "mfa_required"
    html = client.get(reverse("institutions:api_token_list")).content.decode()
    assert "configure primero la verificación en dos pasos" in html


def test_with_totp_the_owner_creates_lists_uses_and_revokes_a_token(settings):
    reviewer = _with_totp(dgcp_reviewer(is_demo=False))
    session = _session(reviewer)
    response = session.post("/api/v1/tokens/")
    assert response.status_code == 201
    body = response.json()
    secret, key = body["token"], body["token_key"]
    assert secret.startswith(key)
    expiry = dt.datetime.fromisoformat(body["expiry"])
    ttl = settings.REST_KNOX["TOKEN_TTL"]
    assert abs(expiry - (timezone.now() + ttl)) < dt.timedelta(minutes=1)
    assert AuthToken.objects.get(token_key=key).digest != secret  # only a hash is stored

    scripted = _token_client(secret)
    assert scripted.get("/api/v1/agreements/").status_code == 200
    listed = scripted.get("/api/v1/tokens/").json()
    assert [t["token_key"] for t in listed] == [key] and "token" not in listed[0]
    # A token does not mint tokens (it would outlive every expiry).
    assert scripted.post("/api/v1/tokens/").status_code == 403

    assert scripted.delete(f"/api/v1/tokens/{key}/").status_code == 204
    assert scripted.get("/api/v1/agreements/").status_code == 401  # revoked


def test_the_owner_revokes_on_the_page_and_cannot_touch_another_persons_token():
    owner, other = _with_totp(local_official(is_demo=False)), _with_totp(local_official(is_demo=False))
    client = _session(owner)
    page = client.post(reverse("institutions:api_token_list"))
    assert page.status_code == 200
    token = AuthToken.objects.get(user=owner)
    assert "no se volverá a mostrar" in page.content.decode()
    assert "no se volverá a mostrar" not in client.get(reverse("institutions:api_token_list")).content.decode()

    foreign, _secret = AuthToken.objects.create(user=other)
    assert client.delete(f"/api/v1/tokens/{foreign.token_key}/").status_code == 404
    client.post(reverse("institutions:api_token_revoke", args=[foreign.token_key]))
    assert AuthToken.objects.filter(pk=foreign.pk).exists()

    client.post(reverse("institutions:api_token_revoke", args=[token.token_key]))
    assert not AuthToken.objects.filter(pk=token.pk).exists()


def test_an_expired_token_is_refused():
    official = _with_totp(local_official(is_demo=False))
    token, secret = AuthToken.objects.create(user=official, expiry=dt.timedelta(days=1))
    client = _token_client(secret)
    assert client.get("/api/v1/agreements/").status_code == 200
    AuthToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/api/v1/agreements/").status_code == 401


def test_tokens_per_account_are_limited(settings):
    official = _with_totp(local_official(is_demo=False))
    client = _session(official)
    limit = settings.REST_KNOX["TOKEN_LIMIT_PER_USER"]
    assert [client.post("/api/v1/tokens/").status_code for _ in range(limit)] == [201] * limit
    response = client.post("/api/v1/tokens/")
    assert response.status_code == 409 and response.json()["code"] == "token_limit"


def test_administrators_revoke_tokens_but_cannot_create_them():
    admin = _with_totp(admin_user(is_demo=False))
    official = _with_totp(local_official(is_demo=False))
    token, secret = AuthToken.objects.create(user=official)
    client = APIClient()
    client.force_login(admin)
    assert client.get(reverse("admin:knox_authtoken_add")).status_code == 403
    changelist = client.get(reverse("admin:knox_authtoken_changelist"))
    assert changelist.status_code == 200 and token.token_key in changelist.content.decode()
    response = client.post(reverse("admin:knox_authtoken_delete", args=[token.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert _token_client(secret).get("/api/v1/agreements/").status_code == 401


def test_a_role_that_requires_totp_cannot_switch_it_off():
    from allauth.mfa.adapter import get_adapter

    reviewer = _with_totp(cja_reviewer(is_demo=False))
    only = Authenticator.objects.get(user=reviewer)
    assert not get_adapter().can_delete_authenticator(only)
    official = _with_totp(local_official(is_demo=False))
    assert get_adapter().can_delete_authenticator(Authenticator.objects.get(user=official))


def test_the_token_page_speaks_english_too():
    client = _session(_with_totp(local_official(is_demo=False)))
    html = client.get(reverse("institutions:api_token_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "It expires after 30 days" in html and "Create token" in html
