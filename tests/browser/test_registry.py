"""An analyst searches the public registry, filters, opens an agreement and downloads the CSV."""

import pytest

from agreements.registry import selectors, services
from tests.registry.test_registry import csv_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_filter_open_and_download(page, demo_site, screenshot, tmp_path):
    assert services.registry_import(content=csv_bytes()).ok
    page.goto(f"{demo_site.url}/registro/")
    page.fill("#id_q", "cooperacion tecnica")
    page.click("#registry-filters button[type=submit]")
    # The two imported agreements of technical cooperation, and those of the demo data the search finds too.
    found = selectors.registry_search(selectors.registered_agreements(), "cooperacion tecnica").count()
    assert found >= 2 and f"{found} acuerdos" in page.inner_text("#result-count")
    page.select_option("#id_state", "26")
    page.click("#registry-filters button[type=submit]")
    assert "1 acuerdo" in page.inner_text("#result-count")
    screenshot("registry-01-filtered")
    page.click("#registry-results >> text=R-006")
    assert "Cooperación técnica con Arizona en seguridad fronteriza" in page.inner_text("h1")
    page.go_back()
    with page.expect_download() as download_info:
        page.click("#export-csv")
    path = tmp_path / "export.csv"
    download_info.value.save_as(path)
    lines = path.read_text(encoding="utf-8-sig").strip().splitlines()
    assert lines[0].startswith("registry_number,title,kind")
    assert len(lines) == 2 and lines[1].startswith("R-006,")
    page.goto(f"{demo_site.url}/registro/estadisticas/")
    assert page.locator("#state-map path").count() == 32
    screenshot("registry-02-stats")


def test_a_date_and_a_status_never_break_inside_the_list(page, demo_site):
    """At 1366 px the narrow columns broke «23/12/2015» after a slash and the pill «Vencido» inside the word."""
    assert services.registry_import(content=csv_bytes()).ok
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{demo_site.url}/registro/")
    lines = page.eval_on_selector_all(
        "#registry-results td.nowrap, #registry-results .status",
        """els => els.map(e => { const r = document.createRange(); r.selectNodeContents(e);
            return [e.textContent.trim(), new Set([...r.getClientRects()].map(q => Math.round(q.top))).size]; })""",
    )
    assert any(text.count("/") == 2 for text, _ in lines) and any(not any(c.isdigit() for c in t) for t, _ in lines)
    assert [text for text, count in lines if count != 1] == []
