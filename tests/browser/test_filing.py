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


def test_a_late_answer_for_an_earlier_date_does_not_overwrite_the_deadline(login, page, demo_site):
    """The date changed quickly: the answer for the first date arrives last and must be ignored."""
    login("enlace.jalisco@demo.mx")
    far = (timezone.localdate() + dt.timedelta(days=60)).isoformat()
    near = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    held = []

    def hold_the_far_date(route):
        if far in route.request.url:
            held.append(route)
        else:
            route.continue_()

    page.route("**/calendar/deadline/**", hold_the_far_date)
    page.goto(f"{demo_site.url}/expedientes/nueva/")
    page.fill("#id_intended_signing_date", far)
    page.fill("#id_intended_signing_date", near)
    page.wait_for_selector("#field-urgency_reason", state="visible")
    assert held, "the request for the first date was not made"

    for route in held:
        with page.expect_response(lambda response: far in response.url):
            route.continue_()
    page.wait_for_timeout(300)  # let the late answer's handler run

    assert page.is_visible("#field-urgency_reason")
    assert "Ese plazo ya pasó" in page.inner_text("#deadline-info")
