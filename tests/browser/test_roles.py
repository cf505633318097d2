import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLE_HOMES = [
    ("enlace.jalisco@demo.mx", "de su dependencia", "Nueva solicitud"),
    ("enlace.tapachula@demo.mx", "de su dependencia", "Mis expedientes"),
    ("dgcp@demo.mx", "por aprobar", "Bandeja DGCP"),
    ("cja@demo.mx", "en la bandeja de la CJA", "Bandeja CJA"),
    ("analista@demo.mx", "en el registro público", "Notificaciones"),
    ("admin@demo.mx", "en el registro público", "Administración"),
]


@pytest.mark.parametrize(("email", "card", "nav"), ROLE_HOMES)
def test_each_demo_role_signs_in_and_sees_its_home(login, screenshot, email, card, nav):
    page = login(email)
    assert page.url == f"{page.url.split('/', 3)[0]}//{page.url.split('/', 3)[2]}/"  # the home page
    body = page.inner_text("main")
    assert card in body
    assert nav in page.inner_text("nav.main-nav")
    assert "Cerrar sesión" in page.inner_text("nav.main-nav")
    screenshot(f"home-{email.split('@')[0]}")
    page.click("text=Cerrar sesión")
    page.wait_for_load_state()
    assert "Iniciar sesión" in page.inner_text("nav.main-nav")


def test_wrong_password_shows_a_message(page, demo_site):
    page.goto(f"{demo_site.url}/cuentas/login/")
    page.fill("input[name=login]", "cja@demo.mx")
    page.fill("input[name=password]", "no-es-la-clave")
    page.click("main button[type=submit]")
    assert "no son correct" in page.inner_text("main")
