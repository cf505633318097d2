"""The portal speaks correct Spanish (and English) everywhere a person reads it: counts, language names, the
admin, the error pages; and the small pieces every page carries (favicon, «Mi cuenta», service status)."""

import pytest
from django.contrib import admin
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import path, reverse
from django.utils import translation

from portal.core import views as core_views
from tests.factories import admin_user, analyst

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", _boom), *__import__("portal.urls", fromlist=["urlpatterns"]).urlpatterns]
handler404 = core_views.page_not_found
handler500 = core_views.server_error


def _home(summary, language="es-mx"):
    request = RequestFactory().get("/")
    request.user = __import__("django.contrib.auth.models", fromlist=["AnonymousUser"]).AnonymousUser()
    with translation.override(language):
        return render_to_string("core/home.html", {"summary": summary, "steps": []}, request=request)


@pytest.mark.parametrize(
    ("count", "spanish", "english"),
    [
        (1, "acuerdo en el registro público", "agreement in the public registry"),
        (2, "acuerdos en el registro público", "agreements in the public registry"),
    ],
)
def test_home_counts_agree_with_their_number(count, spanish, english):
    summary = {"registered": count, "own_open": count, "own_waiting": count}
    html = _home(summary)
    assert spanish in html
    if count == 1:
        assert "acuerdos en el registro público" not in html
        assert "espera una acción de su oficina" in html and "esperan una acción" not in html
        assert "expediente abierto de su dependencia" in html
    assert english in _home(summary, "en")


def test_signed_text_comparison_says_one_difference():
    comparison = {"similarity": 99, "change_count": 1, "changes": [], "signed_has_text": True, "low": False}
    with translation.override("es-mx"):
        html = render_to_string("agreements/includes/_comparison.html", {"comparison": comparison})
    assert "1 diferencia" in html and "1 diferencias" not in html


def test_language_selector_names_each_language_in_itself(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">Español (México)</option>" in html
    assert ">English</option>" in html
    assert "Mexico" not in html.split('id="lang-select"')[1].split("</select>")[0]


def test_admin_index_is_spanish_and_links_the_registry_import(client):
    client.force_login(admin_user())
    html = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="es-mx").content.decode()
    for english in (
        "Audit<",
        "Cooperation<",
        "Geography<",
        "Migrants<",
        "Institutions<",
        "Authenticators",
        "Auth tokens",
    ):
        assert english not in html, english
    for spanish in ("Auditoría", "Cooperación local", "Geografía", "Atención a migrantes", "Tokens de la API"):
        assert spanish in html, spanish
    assert reverse("agreements:registry_import") in html
    assert isinstance(admin.site._wrapped, __import__("portal.core.admin_site", fromlist=["x"]).PortalAdminSite)


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("language", "not_found", "server_error"),
    [
        ("es-mx", "No encontramos esta página", "Algo salió mal de nuestro lado"),
        ("en", "We could not find this page", "Something went wrong on our side"),
    ],
)
def test_error_pages_are_the_portals_in_the_readers_language_with_debug_off(
    settings, language, not_found, server_error
):
    settings.DEBUG = False
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language)
    response = client.get("/no-existe-esta-pagina/")
    assert response.status_code == 404
    html = response.content.decode()
    assert not_found in html and 'class="site-header"' in html and f'lang="{language[:2]}"' in html
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert server_error in html and 'class="site-header"' in html


def test_favicon_is_served_and_linked(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")
    assert 'rel="icon"' in client.get("/").content.decode()


def test_service_status_for_people_is_a_page_not_json(client):
    html = client.get("/").content.decode()
    assert reverse("core:status") in html.split('class="site-footer"')[1]
    response = client.get(reverse("core:status"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "Base de datos" in body and "El portal funciona con normalidad." in body
    assert '"status"' not in body


def test_the_users_name_opens_my_account_with_role_and_links(client):
    user = analyst(first_name="Ana", last_name="Pérez")
    client.force_login(user)
    html = client.get("/").content.decode()
    assert f'href="{reverse("institutions:account")}"' in html
    page = client.get(reverse("institutions:account")).content.decode()
    assert "Mi cuenta" in page and "Analista" in page and reverse("account_email") in page


def test_removing_an_email_address_looks_destructive(client):
    from allauth.account.models import EmailAddress

    user = analyst()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)
    html = client.get(reverse("account_email")).content.decode()
    button = html.split('name="action_remove"')[0].rsplit("<button", 1)[1]
    assert "btn-danger" in button
