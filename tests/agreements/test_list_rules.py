"""Rules that lived in views, now where the page and the API both read them: the dashboard's step, the statuses
that show the signed-text comparison, the projection's defaults."""

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements import selectors, workflow
from agreements.choices import Status
from agreements.filtersets import DashboardFilterSet
from agreements.models import Agreement


@pytest.mark.django_db
@pytest.mark.parametrize("step", ["\u00b2", "0", "13", "abc"])
def test_the_dashboard_refuses_a_step_that_does_not_exist_by_name(step):
    filterset = DashboardFilterSet({"paso": step}, queryset=Agreement.objects.all())
    assert filterset.errors["paso"] == [f"El paso «{step}» no existe; se muestran todos los pasos."]


@pytest.mark.django_db
def test_the_dashboard_filters_by_a_step_of_the_workflow():
    filterset = DashboardFilterSet({"paso": "7"}, queryset=Agreement.objects.all())
    assert filterset.is_valid() and "current_step" in str(filterset.qs.query)


@pytest.mark.parametrize("status", sorted(set(Status) - workflow.SIGNED_TEXT_COMPARED_STATUSES))
def test_no_comparison_of_the_signed_text_before_step_11(status):
    assert selectors.signed_text_comparison(Agreement(status=status)) is None


@pytest.mark.django_db
def test_the_api_projects_by_default_what_the_statistics_page_shows(client):
    page = client.get(reverse("agreements:registry_stats")).context["projection"]
    api = client.get("/api/v1/registry/projection/").json()
    assert api == page
    assert api["base_year"] == timezone.localdate().year + 1
    assert api["scenarios"]["base"][-1]["year"] == api["base_year"] + 25
