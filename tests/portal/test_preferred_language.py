"""A person's preferred language: set by the language selector and at sign-in; their e-mail is written in it,
while the notice keeps its Spanish record and the portal shows it in the reader's current language."""

import pytest
from django.conf import settings
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from portal.notifications import services
from portal.notifications.models import Notification
from tests.factories import PASSWORD, local_official

pytestmark = pytest.mark.django_db

PARAMS = {
    "days": 7,
    "entry": {
        "title": "Hermanamiento Guadalajara–Kraków",
        "counterpart_name": "Ciudad de Kraków",
        "registry_number": "R-0077",
        "expires_on": "2027-06-01",
        "automatic_renewal": False,
    },
}


def _sign_in(client, user, **headers):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD}, **headers)


def test_the_language_selector_records_the_signed_in_person_s_language(client):
    user = local_official()
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "en" and user.email_language == "en"
    client.post(reverse("set_language"), {"language": "es-mx", "next": "/"})
    user.refresh_from_db()
    assert user.language == "es-mx"


def test_an_unknown_language_changes_nothing_and_is_no_error(client):
    user = local_official()
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "" and user.email_language == settings.LANGUAGE_CODE


def test_an_anonymous_visitor_still_switches_language(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302 and response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_signing_in_with_the_english_interface_records_english(client):
    user = local_official()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    _sign_in(client, user)
    user.refresh_from_db()
    assert user.language == "en"


def test_signing_in_first_time_takes_the_browser_s_language_and_later_keeps_the_choice(client):
    user = local_official()
    _sign_in(client, user, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    user.refresh_from_db()
    assert user.language == "en"
    client.logout()
    _sign_in(client, user, HTTP_ACCEPT_LANGUAGE="es-MX")  # no choice made: the recorded preference stays
    user.refresh_from_db()
    assert user.language == "en"


def test_the_database_refuses_an_unknown_language():
    user = local_official()
    user.language = "klingon"
    with pytest.raises(IntegrityError), transaction.atomic():
        user.save(update_fields=["language"])


def test_each_recipient_is_e_mailed_in_their_own_language_and_the_record_stays_spanish(run_on_commit):
    english, spanish, undecided = local_official(language="en"), local_official(language="es-mx"), local_official()
    run_on_commit(
        services.notification_send, recipients=[english, spanish, undecided], event="expiry_reminder", params=PARAMS
    )
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address[english.email].subject == "[Portal AII] Agreement R-0077 expires on 01/06/2027"
    assert "This is an automated message" in by_address[english.email].body
    assert "concluye su vigencia" in by_address[spanish.email].subject
    assert "concluye su vigencia" in by_address[undecided.email].subject
    assert set(Notification.objects.values_list("subject", flat=True)) == {
        "El acuerdo R-0077 concluye su vigencia el 01/06/2027"
    }


def test_the_portal_shows_a_notice_in_the_reader_s_current_language(client):
    user = local_official(language="es-mx")
    services.notification_send(recipients=[user], event="expiry_reminder", params=PARAMS)
    client.force_login(user)
    assert "concluye su vigencia" in client.get(reverse("notifications:list")).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("notifications:list")).content.decode()
    assert "Agreement R-0077 expires on 01/06/2027" in html and "concluye su vigencia" not in html
