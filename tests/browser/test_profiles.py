"""An analyst browses Chiapas, then Tapachula, then one of its partnerships."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_analyst_browses_chiapas_tapachula_and_a_partnership(login, page, demo_site, screenshot):
    login("analista@demo.mx")
    page.click("nav.main-nav >> text=Estados y municipios")
    page.click("#state-map a[aria-label='Chiapas']")
    assert "Chiapas" in page.inner_text("h1")
    assert "Nombra expresamente los derechos de las personas migrantes" in page.inner_text("main")
    screenshot("profile-01-chiapas")
    page.click("text=Ver municipios")
    page.fill("#id_q", "tapachula")
    page.click("main form button[type=submit]")
    page.click("#municipality-results >> text=Tapachula")
    assert "Tapachula, Chiapas" in page.inner_text("h1")
    assert "Dirección de Migración y Política Internacional" in page.inner_text("main")
    assert "enlace.tapachula@demo.mx" not in page.inner_text("main")  # analysts do not see contact data
    screenshot("profile-02-tapachula")
    page.get_by_role("link", name="Grupo de Trabajo Tapachula", exact=True).click()
    assert "Grupo de Trabajo Tapachula" in page.inner_text("h1")
    assert "11 agencias de la ONU" in page.inner_text("main")
    screenshot("profile-03-partnership")
