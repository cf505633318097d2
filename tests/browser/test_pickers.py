"""The filing form is completed by choosing names only, on a desktop and on a phone, with no page wider than
its window; the subdivision list follows the country chosen."""

import datetime as dt

import pytest
from django.utils import timezone

from agreements.models import Agreement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = "document.documentElement.scrollWidth"


@pytest.mark.parametrize("width", [1366, 390])
def test_filing_form_by_names_only(login, page, demo_site, pick, screenshot, width):
    page.set_viewport_size({"width": width, "height": 900})
    login("enlace.jalisco@demo.mx")
    page.goto(f"{demo_site.url}/expedientes/nueva/")
    title = f"Hermanamiento con San Marcos ({width})"
    page.fill("#id_title", title)
    page.select_option("#id_kind", "twinning")
    page.fill("#id_counterpart_name", "Gobierno Departamental de San Marcos")
    page.select_option("#id_counterpart_type", "government")

    pick(page, "#id_counterpart_country", "guate", "Guatemala")
    assert page.input_value("#id_counterpart_country") == "GT"
    # The subdivisions are now Guatemala's, by name: «san m» finds San Marcos.
    names = []
    for _ in range(
        50
    ):  # the list loads from /api/v1/subdivisions/ (wait_for_function would need eval, refused by the CSP)
        names = page.evaluate(
            "Object.values(document.querySelector('#id_counterpart_subdivision').tomselect.options).map(o => o.text)"
        )
        if len(names) > 1:
            break
        page.wait_for_timeout(100)
    assert "San Marcos" in names and "Texas" not in names and len(names) == 23
    assert page.evaluate(WIDTH) <= width + 1
    pick(page, "#id_counterpart_subdivision", "san m", "San Marcos")
    screenshot(f"pickers-subdivision-{width}")
    assert page.input_value("#id_counterpart_subdivision") == "GT-12"

    # A real click right after the picker: its control must not shrink when it loses focus (it did by a line,
    # and the click on the theme below landed on nothing).
    page.check("input[name=themes][value=culture]")
    page.fill("#id_intended_signing_date", (timezone.localdate() + dt.timedelta(days=60)).isoformat())
    page.fill("#id_intended_signing_place", "Guadalajara, Jalisco")
    page.dispatch_event("input[name=entry_into_force][value=on_signature]", "click")
    page.dispatch_event("input[name=term][value=indefinite]", "click")
    assert page.evaluate(WIDTH) <= width + 1
    page.click("text=Crear expediente")
    assert "Se creó el expediente" in page.inner_text(".messages")
    case = Agreement.objects.get(title=title)
    assert (case.counterpart_country, case.counterpart_subdivision) == ("GT", "GT-12")
    assert "San Marcos, Guatemala" in page.inner_text("main")  # the case page names it too
    assert page.evaluate(WIDTH) <= width + 1


def test_case_filters_are_pickers_without_ctrl_click(login, page, demo_site, pick):
    login("dgcp@demo.mx")
    page.goto(f"{demo_site.url}/expedientes/")
    pick(page, "#id_status", "revis", "En revisión")
    assert page.evaluate("Array.from(document.querySelector('#id_status').selectedOptions).length") == 1
    page.select_option("#id_current_step", "7")
    page.click("main form[role=search] button[type=submit]")
    assert "status=" in page.url and "current_step=7" in page.url


def test_without_javascript_the_pickers_are_plain_selects(browser, demo_site):
    context = browser.new_context(locale="es-MX", java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{demo_site.url}/registro/?country=US")
    assert page.locator("select#id_country").is_visible()
    assert page.locator(".ts-wrapper").count() == 0
    page.select_option("#id_subdivision", "US-TX")
    page.click("#registry-filters button[type=submit]")
    assert "subdivision=US-TX" in page.url
    context.close()
