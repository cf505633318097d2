"""The follow-up pages themselves, whatever the crawl of every page reaches within its bound: for each role that
sees them, at 1366 and 390 px, in Spanish and English, they fit the window and pass axe (the checks of
test_every_page), and the links the role sees on them open."""

import pytest
from django.utils import timezone

from agreements.followup.demo import REGISTRY_NUMBER

from .test_every_page import LANGUAGES, VIEWPORTS, _check, _context, _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = timezone.localdate().year
PUBLIC = [f"/gobiernos/estado/14/informe-anual/{YEAR}/", f"/gobiernos/municipio/07089/informe-anual/{YEAR}/"]
PAGES = {
    None: PUBLIC + ["/gobiernos/estado/14/entrega/"],
    "enlace.jalisco@demo.mx": [
        f"/seguimiento/acuerdos/{REGISTRY_NUMBER}/",
        f"/seguimiento/acuerdos/{REGISTRY_NUMBER}/informes/nuevo/",
        "/seguimiento/",
    ],
    "dgcp@demo.mx": ["/seguimiento/", f"/seguimiento/acuerdos/{REGISTRY_NUMBER}/"],
    "analista@demo.mx": ["/seguimiento/", f"/seguimiento/acuerdos/{REGISTRY_NUMBER}/"],
}


@pytest.mark.parametrize("email", PAGES, ids=lambda e: (e or "anonymous").split("@")[0])
def test_the_follow_up_pages_fit_and_pass_axe(browser, demo_site, email):
    base, problems = demo_site.url, []
    for language in LANGUAGES:
        for viewport in VIEWPORTS:
            context = _context(browser, base, language, viewport)
            page = context.new_page()
            if email:
                _sign_in(page, base, email)
            for path in PAGES[email]:
                problems += _check(page, base, path, language, viewport)
            context.close()
    assert not problems, "\n".join(problems)
