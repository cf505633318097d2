"""Playwright driving Debian's chromium (no browser download) against pytest-django's live server."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

# Playwright's sync API runs an event loop in this thread; the ORM calls in these tests are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not installed (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-quic",
                "--no-first-run",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="es-MX", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def demo_site(live_server, committed_reference_data):
    call_command("load_demo_data", verbosity=0)
    return live_server


@pytest.fixture
def login(page, demo_site):
    from django.conf import settings

    def sign_in(email):
        page.context.clear_cookies()
        page.goto(f"{demo_site.url}/cuentas/login/")
        page.fill("input[name=login]", email)
        page.fill("input[name=password]", settings.PORTAL_DEMO_PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        return page

    return sign_in


@pytest.fixture
def screenshot(page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def shot(name):
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    return shot


@pytest.fixture
def pick():
    """Chooses in a searchable picker (static/js/pickers.js) by typing part of a name and clicking the option."""

    def choose(page, select: str, typed: str, name: str):
        search = page.locator(f"{select}-ts-control")
        search.focus()
        search.press_sequentially(typed, delay=20)
        dropdown = page.locator(f"{select} + .ts-wrapper .ts-dropdown")
        dropdown.locator(".option", has_text=name).first.click()
        if not page.evaluate(f"document.querySelector('{select}').multiple"):
            # One name is chosen: the list closes by itself, without Escape.
            dropdown.wait_for(state="hidden", timeout=2000)
        page.keyboard.press("Escape")
        search.blur()
        # Nothing opens it again afterwards (a late, throttled search did, 300 ms after a quick choice).
        page.wait_for_timeout(350)
        assert not dropdown.is_visible(), f"{select}: the list opened again after the choice"

    return choose
