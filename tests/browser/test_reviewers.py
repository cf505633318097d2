"""The head of the CJA reassigns a case in a real browser; the reviewer finds it under «Míos»."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_head_reassigns_and_the_reviewer_finds_it_under_mine(login, demo_site, screenshot):
    page = login("titular.cja@demo.mx")
    page.goto(f"{demo_site.url}/expedientes/bandeja-cja/?asignado=sin_asignar")
    assert "Sin asignar" in page.inner_text("#assigned-filter")
    page.click("main table tbody tr:first-child td a")
    page.wait_for_load_state()
    folio = page.inner_text("h1").split(" · ")[0]
    page.select_option("#id_assign_reviewer", label="Cecilia Jiménez (demo)")
    page.click("#reviewer-card button:has-text('Reasignar')")
    page.wait_for_load_state()
    assert "Expediente asignado." in page.inner_text("main")
    assert "Cecilia Jiménez (demo)" in page.inner_text("#case-reviewer")
    assert "Asignó el expediente" in page.inner_text("#h-timeline + ol")
    screenshot("reviewer-assigned")

    page = login("cja2@demo.mx")
    page.goto(f"{demo_site.url}/expedientes/bandeja-cja/?asignado=mios")
    assert folio in page.inner_text("main table")
    screenshot("reviewer-inbox-mine")
    page.goto(f"{demo_site.url}/notificaciones/")
    assert "Expediente asignado a usted" in page.inner_text("main")
