"""The public annual report per government (page and PDF, same figures as the profile), the handover's open
commitments, and the demo's follow-up loaded once."""

import datetime as dt
import io

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from pypdf import PdfReader

from agreements.followup import demo
from agreements.followup.models import Report, WorkPlan
from agreements.profiles import state_section
from portal.geography.models import State
from tests.factories import RegistryAmendmentFactory

from .conftest import TODAY, make_entry, plan_for

pytestmark = pytest.mark.django_db

YEAR = TODAY.year


@pytest.fixture
def registry(office, local):
    """Jalisco this year: two signed (one of them amended), one terminated, one expired; one older in force."""
    jan = dt.date(YEAR, 1, 2)
    signed = make_entry("AR-1", institution=office, signed_on=min(jan, TODAY))
    amended = make_entry("AR-2", institution=office, signed_on=min(jan, TODAY))
    RegistryAmendmentFactory(
        entry=amended,
        kind="extension",
        agreement__created_by=local,
        registry_number="AR-2-P1",
        signed_on=min(jan, TODAY),
        registered_on=min(jan, TODAY),
    )
    make_entry("AR-3", institution=None, signed_on=dt.date(YEAR - 5, 3, 1), terminated_on=min(jan, TODAY))
    if jan < TODAY:
        make_entry("AR-4", institution=None, signed_on=dt.date(YEAR - 4, 3, 1), expires_on=jan)
    make_entry("AR-5", institution=None, signed_on=dt.date(YEAR - 3, 3, 1))
    make_entry("AR-OTHER", institution=None, state_id="07", signed_on=min(jan, TODAY))
    return signed


def test_the_page_and_the_pdf_show_the_year_and_the_profile_s_in_force_figure(client, registry, local):
    jalisco = State.objects.get(code="14")
    in_force = state_section(jalisco, local)["in_force"]
    page = client.get(reverse("followup:annual_report", args=["estado", "14", YEAR]))
    assert page.status_code == 200
    figures = page.context["figures"]
    expired = 1 if dt.date(YEAR, 1, 2) < TODAY else 0
    assert (figures["signed"], figures["amended"], figures["terminated"], figures["expired"]) == (2, 1, 1, expired)
    assert figures["in_force"] == in_force == 3  # AR-1, AR-2, AR-5: the profile's figure
    pdf = client.get(reverse("followup:annual_report_pdf", args=["estado", "14", YEAR]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages)
    assert "Informe anual de acción internacional" in text and "Jalisco" in text
    assert f"Acuerdos vigentes al {TODAY:%d/%m/%Y}: {in_force}" in text
    assert "Acuerdos firmados en el año: 2" in text
    assert "Acuerdos modificados o prorrogados en el año: 1" in text
    assert "Acuerdos terminados en el año: 1" in text
    assert "AR-1" in text and "AR-OTHER" not in text


def test_the_report_is_public_linked_from_the_profiles_and_in_english(client, registry):
    state = client.get(reverse("geography:state_detail", args=["14"])).content.decode()
    assert reverse("followup:annual_report", args=["estado", "14", YEAR]) in state
    municipality = client.get(reverse("geography:municipality_detail", args=["07089"])).content.decode()
    assert reverse("followup:annual_report", args=["municipio", "07089", YEAR]) in municipality
    english = client.get(
        reverse("followup:annual_report", args=["estado", "14", YEAR]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Annual report on international action" in english
    assert client.get(reverse("followup:annual_report", args=["estado", "14", YEAR + 1])).status_code == 404
    assert client.get(reverse("followup:annual_report", args=["estado", "99", YEAR])).status_code == 404


def test_the_handover_lists_the_open_commitments(client, office, local):
    overdue = make_entry("HO-1", institution=office)
    plan_for(overdue, local, starts_on=TODAY - relativedelta(months=9))
    make_entry("HO-2", institution=office, expires_on=TODAY + dt.timedelta(days=200))
    make_entry("HO-3", institution=office, expires_on=TODAY + dt.timedelta(days=500))
    html = client.get(reverse("geography:handover", args=["estado", "14"])).content.decode()
    assert "Compromisos abiertos" in html
    assert "Informe semestral vencido: HO-1" in html
    assert f"Concluye su vigencia el {TODAY + dt.timedelta(days=200):%d/%m/%Y}: HO-2" in html
    assert "Sin plan de trabajo: HO-2" in html
    assert "HO-3 · " in html and "vigencia el" not in html.split("HO-3")[0].rsplit("<li>", 1)[-1]


def test_the_demo_follow_up_loads_once():
    from django.core.management import call_command

    call_command("load_demo_data", verbosity=0)
    plans, reports = WorkPlan.objects.count(), Report.objects.count()
    assert WorkPlan.objects.filter(entry__registry_number=demo.REGISTRY_NUMBER).exists() and reports >= 2
    assert demo.load() == {"followup_plans": 0}
    call_command("load_demo_data", verbosity=0)
    assert (WorkPlan.objects.count(), Report.objects.count()) == (plans, reports)
