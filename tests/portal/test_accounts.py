import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.urls import reverse

from portal.institutions.models import User
from tests.factories import PASSWORD, analyst, cja_reviewer, dgcp_reviewer, local_official

pytestmark = pytest.mark.django_db


def _verify(user):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


def _login(client, user, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": user.email, "password": password})


def test_login_by_email_and_logout(client):
    user = local_official()
    _verify(user)
    response = _login(client, user)
    assert response.status_code == 302
    assert client.get(reverse("core:home")).context["user"] == user
    client.post(reverse("account_logout"))
    assert not client.get(reverse("core:home")).context["user"].is_authenticated


def test_login_page_asks_for_email_not_username(client):
    html = client.get(reverse("account_login")).content.decode()
    assert 'type="email"' in html
    assert "username" not in html.lower()


def test_wrong_password_gets_a_clear_spanish_message(client):
    user = local_official()
    _verify(user)
    response = _login(client, user, password="incorrecta-123")
    assert response.status_code == 200
    assert "no son correct" in response.content.decode()


def test_failed_logins_are_rate_limited(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/5m/key"}
    user = local_official()
    _verify(user)
    pages = [_login(client, user, password="incorrecta-123").content.decode() for _ in range(4)]
    assert all("no son correct" in page for page in pages[:3])
    assert "Demasiados intentos fallidos" in pages[3]
    # Even the right password is refused while the limit holds.
    response = _login(client, user)
    assert response.status_code == 200 and "Demasiados intentos fallidos" in response.content.decode()


def test_self_registration_requires_email_verification_and_gets_analyst_role(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "investigadora@example.org",
            "password1": "Cooperacion-Local-2026",
            "password2": "Cooperacion-Local-2026",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="investigadora@example.org")
    assert user.roles == {"analista"}
    assert user.institution is None
    assert len(mail.outbox) == 1 and "investigadora@example.org" in mail.outbox[0].to
    assert not client.get(reverse("core:home")).context["user"].is_authenticated  # unverified: not signed in


def test_weak_passwords_are_refused(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "debil@example.org",
            "password1": "12345678",
            "password2": "12345678",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="debil@example.org").exists()


def test_password_reset_sends_an_email(client):
    user = local_official()
    _verify(user)
    client.post(reverse("account_reset_password"), {"email": user.email})
    assert len(mail.outbox) == 1
    assert "contraseña" in mail.outbox[0].subject.lower() or "password" in mail.outbox[0].subject.lower()


@pytest.mark.parametrize("make_reviewer", [dgcp_reviewer, cja_reviewer])
def test_reviewers_outside_the_demo_must_set_up_totp(client, make_reviewer):
    reviewer = make_reviewer(is_demo=False)
    _verify(reviewer)
    _login(client, reviewer)
    response = client.get(reverse("agreements:agreement_list"))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_reviewer_with_totp_gets_through(client):
    reviewer = dgcp_reviewer(is_demo=False)
    _verify(reviewer)
    Authenticator.objects.create(user=reviewer, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    client.force_login(reviewer)
    assert client.get(reverse("agreements:inbox_dgcp")).status_code == 200


def test_demo_reviewers_and_local_officials_are_not_forced(client):
    for user in (dgcp_reviewer(is_demo=True), local_official(is_demo=False), analyst(is_demo=False)):
        client.force_login(user)
        assert client.get(reverse("core:home")).status_code == 200


def test_spanish_by_default_and_english_selectable(client):
    assert "Iniciar sesión" in client.get(reverse("core:home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Sign in" in client.get(reverse("core:home")).content.decode()
