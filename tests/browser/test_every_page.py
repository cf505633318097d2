"""Every page of every demo role (and anonymous), at 1366 px and 390 px, in Spanish and English.

For each role the pages are found by following the links the role sees (navigation and content, one page per
URL shape: /expedientes/3/ and /expedientes/7/ are one page), then each page is checked in the four
combinations of width and language, in one browser context per combination:

- nothing is wider than the window (no horizontal scroll of the page itself);
- no raw vocabulary key («latin_america_caribbean», «science_technology») in the text people read;
- no serious or critical axe-core violation (axe-core vendored from npm under tests/browser/vendor/);
- the page declares the language it is in and speaks it (<html lang>, the navigation's words).
"""

import re
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from django.conf import settings

from .conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
ROLES = [
    None,
    "enlace.jalisco@demo.mx",
    "enlace.tapachula@demo.mx",
    "dgcp@demo.mx",
    "cja@demo.mx",
    "analista@demo.mx",
    "admin@demo.mx",
]
VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
LANGUAGES = {"es": ("es-mx", "es-MX", "Inicio"), "en": ("en", "en-US", "Home")}
MAX_PAGES_PER_ROLE = 45

# Not the portal's own pages (Django admin, Swagger UI, DRF's browsable API), files, and links that act.
SKIP = re.compile(
    r"^/(admin/(?!$)|api/|static/|i18n/|cuentas/logout|healthz)"
    r"|\.(csv|xlsx|pdf|docx|json|xml|atom)$|/(descargar|exportar|documentos/\d+)|revocar|eliminar|/feed"
)
# snake_case words in the visible text are vocabulary keys that escaped their label.
RAW_KEY = re.compile(r"\b[a-z]{2,}(?:_[a-z]{2,})+\b")
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
}

VISIBLE_TEXT = """() => {
  const clone = document.body.cloneNode(true);
  clone.querySelectorAll('code, pre, script, style, template, input, textarea, select, [hidden]').forEach(e => e.remove());
  return clone.innerText;
}"""
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const culprits = [...document.querySelectorAll('body *')].filter(e => {
    const r = e.getBoundingClientRect();
    if (r.right <= width + 1 || r.width === 0) return false;
    for (let p = e.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (s.overflowX === 'auto' || s.overflowX === 'scroll' || s.overflowX === 'hidden' || s.display === 'none') return false;
    }
    return true;
  }).slice(0, 3).map(e => `<${e.tagName.toLowerCase()} class="${e.className}"> ${Math.round(e.getBoundingClientRect().right)} px: ${(e.textContent || '').trim().slice(0, 60)}`);
  return {scroll: document.documentElement.scrollWidth, width, culprits};
}"""


def _shape(path: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/{n}", re.sub(r"/[A-Z]{2,}-[\w-]+(?=/|$)", "/{code}", path))


def _sign_in(page, base, email):
    page.goto(f"{base}/cuentas/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", settings.PORTAL_DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "/cuentas/login/" not in page.url, f"{email} could not sign in"


def _discover(page, base) -> tuple[list[str], list[str]]:
    """Breadth-first over the links the role sees, one page per URL shape, bounded; a link that answers an
    error is a problem of its own."""
    queue, seen_shapes, pages, broken = ["/"], set(), [], []
    if page.url.startswith(base) and urlparse(page.url).path not in ("/",):
        queue.append(urlparse(page.url).path)
    while queue and len(pages) < MAX_PAGES_PER_ROLE:
        path = queue.pop(0)
        shape = _shape(path)
        if shape in seen_shapes or SKIP.search(path):
            continue
        seen_shapes.add(shape)
        response = page.goto(base + path)
        if response is None or response.status >= 400:
            broken.append(f"{path}: HTTP {response.status if response else 'no response'} on a link the role sees")
            continue
        if not page.url.startswith(base):
            continue
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        pages.append(urlparse(page.url).path if urlparse(page.url).path == path else path)
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
            target = urlparse(urljoin(base + path, href))
            if f"{target.scheme}://{target.netloc}" != base or not target.path.startswith("/"):
                continue
            if _shape(target.path) not in seen_shapes:
                queue.append(target.path)
    return pages, broken


# Headings, captions, labels and buttons whose words are broken across lines («A-c-u-e-r-d-o-s» down a narrow
# column): more line boxes than words. Cells may break a 253-character file name; these never need to.
BROKEN_WORDS = """(() => {
  const found = [];
  document.querySelectorAll("main th, main caption, main label, main button, main .btn").forEach(el => {
    const box = el.getBoundingClientRect();
    if (box.width <= 2 || box.height <= 2) return;  // hidden
    if (el.closest(".visually-hidden, table.cards thead")) return;  // only for screen readers
    const text = el.innerText.trim();
    if (!text) return;
    const lines = new Set();  // the line boxes of the text itself (a checkbox beside a label is not a line)
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(walker.currentNode);
      for (const rect of range.getClientRects()) if (rect.width > 0) lines.add(Math.round(rect.bottom));
    }
    // A break after a hyphen («Entrega-/recepción») ends a line without breaking a word.
    if (lines.size > text.split(/[\\s-]+/).length) found.push(el.tagName.toLowerCase() + " «" + text.slice(0, 40) + "»");
  });
  return found.slice(0, 5);
})()"""


def _check(page, base, path, language, viewport) -> list[str]:
    problems = []
    response = page.goto(base + path, wait_until="domcontentloaded")
    where = f"{path} [{language}, {viewport}]"
    if response is None or response.status >= 400:
        return [f"{where}: HTTP {response.status if response else 'no response'}"]
    lang = page.evaluate("document.documentElement.lang")
    if lang.split("-")[0] != language:  # "es" in the portal, "es-mx" in Django's admin
        problems.append(f"{where}: <html lang={lang!r}>")
    nav = page.inner_text("header") if page.query_selector("header") else ""
    word = LANGUAGES[language][2]
    if page.query_selector("nav.main-nav") and word not in page.inner_text("nav.main-nav", timeout=2000) + nav:
        problems.append(f"{where}: the navigation does not say «{word}»")
    overflow = page.evaluate(OVERFLOW)
    if overflow["scroll"] > overflow["width"] + 1:
        problems.append(
            f"{where}: {overflow['scroll']} px wide in a {overflow['width']} px window: {overflow['culprits']}"
        )
    broken = page.evaluate(BROKEN_WORDS)
    if broken:
        problems.append(f"{where}: words broken across lines in {broken}")
    keys = sorted(set(RAW_KEY.findall(page.evaluate(VISIBLE_TEXT))))
    if keys:
        problems.append(f"{where}: raw vocabulary keys {keys[:8]}")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    for violation in result["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = [" ".join(map(str, n["target"])) for n in violation["nodes"][:3]]
            problems.append(f"{where}: axe {violation['id']} ({violation['impact']}) on {targets}")
    return problems


def _context(browser, base, language, viewport):
    code, locale, _word = LANGUAGES[language]
    context = browser.new_context(locale=locale, viewport=VIEWPORTS[viewport], bypass_csp=True)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": code, "url": base}])
    context.set_default_timeout(15000)
    return context


@pytest.fixture(scope="module")
def public_shapes():
    """URL shapes of the pages anonymous visitors reach (filled by the anonymous run, which goes first): the
    signed-in roles check their own pages and their home, not the public pages again."""
    return set()


@pytest.mark.parametrize("email", ROLES, ids=lambda e: (e or "anonymous").split("@")[0])
def test_every_page_fits_speaks_its_language_and_passes_axe(browser, demo_site, public_shapes, email):
    base = demo_site.url
    problems, checked = [], 0
    pages = None
    for language in LANGUAGES:
        for viewport in VIEWPORTS:
            context = _context(browser, base, language, viewport)
            page = context.new_page()
            if email:
                _sign_in(page, base, email)
            if pages is None:
                pages, problems = _discover(page, base)
                assert len(pages) >= 5, pages
                if email is None:
                    public_shapes.update(_shape(path) for path in pages if path != "/")
                else:
                    pages = [path for path in pages if _shape(path) not in public_shapes]
            for path in pages:
                problems += _check(page, base, path, language, viewport)
                checked += 1
            context.close()
    assert not problems, f"{len(problems)} problems on {checked} page views:\n" + "\n".join(problems)


PHONE_SHOTS = [
    ("enlace.jalisco@demo.mx", "/expedientes/", "table a", "case"),
    (None, "/registro/", None, "registry"),
    (None, "/registro/estadisticas/", None, "statistics"),
    (None, "/estados/07/", None, "state-chiapas"),
]


@pytest.mark.parametrize(("email", "path", "follow", "name"), PHONE_SHOTS, ids=[s[3] for s in PHONE_SHOTS])
def test_phone_screenshots_of_the_main_pages(browser, demo_site, email, path, follow, name):
    """Screenshots at 390 px (var/screenshots/phone-*.png) for people to look at; the menu folds behind a button."""
    base = demo_site.url
    context = browser.new_context(locale="es-MX", viewport=VIEWPORTS["phone"])
    page = context.new_page()
    if email:
        _sign_in(page, base, email)
    page.goto(base + path)
    if follow:
        page.click(f"main {follow} >> nth=0")
        page.wait_for_load_state()
    toggle = page.locator(".nav-toggle")
    assert toggle.is_visible()
    assert not page.locator("nav.main-nav").is_visible()
    toggle.click()
    assert page.locator("nav.main-nav").is_visible()
    assert toggle.get_attribute("aria-expanded") == "true"
    toggle.click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 391
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"phone-{name}.png"), full_page=True)
    context.close()


def test_form_errors_are_summarised_at_the_top_and_linked_to_their_fields(page, demo_site):
    page.goto(f"{demo_site.url}/cuentas/signup/")
    page.fill("input[name=email]", "persona.nueva@example.org")
    page.fill("input[name=password1]", "Cooperacion-Local-2026")
    page.fill("input[name=password2]", "Otra-Clave-Distinta-2026")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    summary = page.locator("main form .error-summary")
    assert summary.is_visible()
    assert "El formulario tiene errores" in summary.inner_text()
    link = summary.locator("a").first
    target = link.get_attribute("href")
    assert target.startswith("#id_")
    link.click()
    assert page.evaluate("document.activeElement.id") == target[1:]


def test_a_long_file_name_and_a_counterpart_without_spaces_keep_the_case_page_in_the_window(browser, demo_site):
    """A 253-character file name and a counterpart written as one long word: the case page stays as wide as
    the window at 1366 px and 390 px; the file name is shortened with the full name in its tooltip."""
    from agreements import services
    from portal.institutions.models import User
    from tests import documents
    from tests.cases import CASE_DATA
    from tests.factories import future_date

    filer = User.objects.get(email="enlace.jalisco@demo.mx")
    long_word = "Gemeindeverwaltungsgemeinschaftszusammenarbeitsausschuss" * 3
    case = services.agreement_create(
        user=filer, data={**CASE_DATA, "counterpart_name": long_word, "intended_signing_date": future_date(60)}
    )
    file_name = ("oficio-de-solicitud-" + "x" * 229 + ".pdf")[:253]
    assert len(file_name) == 253
    document = services.document_upload(
        user=filer, agreement_id=case.pk, kind="request_letter", upload=documents.pdf_upload(name=file_name)
    )
    assert len(document.original_name) > 100  # the upload keeps a long (capped) name
    for viewport in VIEWPORTS:
        context = _context(browser, demo_site.url, "es", viewport)
        page = context.new_page()
        _sign_in(page, demo_site.url, filer.email)
        page.goto(f"{demo_site.url}/expedientes/{case.pk}/")
        overflow = page.evaluate(OVERFLOW)
        assert overflow["scroll"] <= overflow["width"] + 1, overflow
        link = page.locator(f"a[title='{document.original_name}']")
        assert link.count() == 1 and len(link.inner_text()) < 60
        context.close()
