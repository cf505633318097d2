"""The filing form asks for the urgency reason only when the live CJA deadline has passed."""

import datetime as dt

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_urgency_reason_is_asked_only_when_needed(login, page, demo_site):
    login("enlace.jalisco@demo.mx")
    page.goto(f"{demo_site.url}/expedientes/nueva/")
    assert not page.is_visible("#field-urgency_reason")

    far = timezone.localdate() + dt.timedelta(days=60)
    page.fill("#id_intended_signing_date", far.isoformat())
    page.dispatch_event("#id_intended_signing_date", "change")
    page.wait_for_selector("#deadline-info:has-text('/')")
    assert not page.is_visible("#field-urgency_reason")

    near = timezone.localdate() + dt.timedelta(days=3)
    page.fill("#id_intended_signing_date", near.isoformat())
    page.dispatch_event("#id_intended_signing_date", "change")
    page.wait_for_selector("#field-urgency_reason", state="visible")
    assert "Ese plazo ya pasó" in page.inner_text("#deadline-info")
    assert page.get_attribute("#id_urgency_reason", "required") is not None
