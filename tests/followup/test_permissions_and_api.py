"""Who may see and change the follow-up (role × action), documents kept private, and the API: filters, schema and a
query count that does not grow with the rows."""

import datetime as dt
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from rest_framework.test import APIClient

from agreements.followup import services
from agreements.followup.permissions import user_can_edit_followup, user_can_see_evidence, user_can_view_followup
from portal.core.exceptions import NotFound, PermissionDenied
from tests import documents
from tests.factories import InstitutionFactory, admin_user, analyst, cja_reviewer, dgcp_reviewer, local_official
from tests.support import assert_queries_constant

from .conftest import TODAY, activity_for, make_entry, plan_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(entry, local):
    start = TODAY - relativedelta(months=7)
    plan = plan_for(entry, local, starts_on=start)
    activity = activity_for(plan, local, starts_on=start, ends_on=start + dt.timedelta(days=40))
    return services.report_file(
        user=local,
        plan_id=plan.pk,
        period_start=start,
        period_end=start + relativedelta(months=6) - dt.timedelta(days=1),
        summary="Taller concluido.",
        progress={activity.pk: {"percent": 100}},
        evidence=[documents.pdf_upload("lista.pdf", "Lista de asistencia")],
    )


ROLES = {
    "anonymous": lambda office: None,
    "own_office": lambda office: local_official(institution=office),
    "other_office": lambda office: local_official(institution=InstitutionFactory(state_id="14")),
    "dgcp": lambda office: dgcp_reviewer(),
    "cja": lambda office: cja_reviewer(),
    "analyst": lambda office: analyst(),
    "admin": lambda office: admin_user(),
}
# role: (views the plan and reports, edits them, opens evidence)
MATRIX = {
    "anonymous": (False, False, False),
    "own_office": (True, True, True),
    "other_office": (False, False, False),
    "dgcp": (True, False, True),
    "cja": (True, False, True),
    "analyst": (True, False, False),
    "admin": (True, False, True),
}


@pytest.mark.parametrize("role", MATRIX)
def test_permission_matrix(role, office, entry, report, client):
    from django.contrib.auth.models import AnonymousUser

    user = ROLES[role](office) or AnonymousUser()
    views, edits, evidence = MATRIX[role]
    assert (
        user_can_view_followup(user, entry),
        user_can_edit_followup(user, entry),
        user_can_see_evidence(user, entry),
    ) == (views, edits, evidence)
    if user.is_authenticated:
        client.force_login(user)
    detail = client.get(reverse("followup:entry_detail", args=[entry.registry_number]))
    download = client.get(reverse("followup:evidence_download", args=[report.evidence.get().pk]))
    if role == "anonymous":
        assert detail.status_code == 302 and download.status_code == 302  # to the login page
    else:
        assert detail.status_code == (200 if views else 404)
        assert download.status_code == (200 if evidence else 404 if not views else 403)
        if views:
            assert (
                "Registrar el plan" in detail.content.decode() or "Agregar una actividad" in detail.content.decode()
            ) == edits
    if user.is_authenticated and not edits:
        refused = NotFound if not views else PermissionDenied
        with pytest.raises(refused):
            services.activity_add(
                user=user,
                plan_id=report.plan_id,
                name="Intrusa",
                responsible_name="X",
                starts_on=report.period_start,
                ends_on=report.period_start,
            )
        response = client.post(
            reverse("followup:indicator_add", args=[entry.registry_number]),
            {"indicator-kind": "tourists", "indicator-target": "5"},
        )
        assert response.status_code == (404 if not views else 403)


def test_anonymous_sees_no_api_and_no_documents(report):
    api = APIClient()
    for path in ("entries", "plans", "indicators", "reports"):
        assert api.get(f"/api/v1/followup/{path}/").status_code == 401


def test_analysts_read_reports_without_evidence_links(report):
    api = APIClient()
    api.force_authenticate(analyst())
    evidence = api.get("/api/v1/followup/reports/").json()["results"][0]["evidence"]
    assert evidence[0]["name"] == "lista.pdf" and evidence[0]["download_url"] is None
    api.force_authenticate(dgcp_reviewer())
    evidence = api.get("/api/v1/followup/reports/").json()["results"][0]["evidence"]
    assert evidence[0]["download_url"].endswith(reverse("followup:evidence_download", args=[evidence[0]["id"]]))


def test_the_office_writes_its_own_plan_through_the_api(office, local, other_local):
    entry = make_entry("SEG-API-1", institution=office)
    api = APIClient()
    api.force_authenticate(other_local)
    body = {"registry_number": entry.registry_number, "starts_on": str(entry.signed_on), "ends_on": str(TODAY)}
    assert api.post("/api/v1/followup/plans/", body, format="json").status_code == 404
    api.force_authenticate(local)
    bad = api.post("/api/v1/followup/plans/", {**body, "ends_on": str(entry.signed_on)}, format="json")
    assert bad.status_code == 400 and bad.json()["detail"] == "El fin del plan debe ser posterior a su inicio."
    created = api.post("/api/v1/followup/plans/", body, format="json")
    assert created.status_code == 201, created.content
    plan_id = created.json()["id"]
    negative = api.post(
        f"/api/v1/followup/plans/{plan_id}/activities/",
        {"name": "Taller", "responsible_name": "Ana", "starts_on": str(TODAY), "ends_on": str(TODAY), "budget": "-1"},
        format="json",
    )
    assert negative.status_code == 400 and negative.json()["detail"] == "El presupuesto no puede ser negativo."
    indicator = api.post(
        f"/api/v1/followup/plans/{plan_id}/indicators/",
        {"kind": "custom", "name": "Docentes capacitados", "unit": "docentes", "target": "120"},
        format="json",
    )
    assert indicator.status_code == 201 and indicator.json()["indicators"][0]["label"] == "Docentes capacitados"
    api.force_authenticate(dgcp_reviewer())
    assert (
        api.post(f"/api/v1/followup/plans/{plan_id}/indicators/", {"kind": "tourists", "target": "1"}).status_code
        == 403
    )


def _plans(n, prefix):
    for i in range(n):
        office = InstitutionFactory(state_id="14" if i % 2 else "07")
        user = local_official(institution=office)
        entry = make_entry(f"{prefix}-{i}", institution=office, state_id=office.state_id)
        start = TODAY - relativedelta(months=7)
        plan = plan_for(entry, user, starts_on=start)
        activity = activity_for(plan, user, starts_on=start, ends_on=start + dt.timedelta(days=10))
        indicator = services.indicator_add(user=user, plan_id=plan.pk, kind="tourists", target=Decimal(100))
        services.report_file(
            user=user,
            plan_id=plan.pk,
            period_start=start,
            period_end=start + relativedelta(months=6) - dt.timedelta(days=1),
            summary="Avance.",
            progress={activity.pk: {"percent": 50}},
            values={indicator.pk: 20},
            evidence=[documents.pdf_upload()],
        )


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/followup/entries/?state=14",
        "/api/v1/followup/entries/?status=late",
        "/api/v1/followup/plans/?state=14",
        "/api/v1/followup/indicators/?kind=tourists",
        "/api/v1/followup/reports/?state=14",
        "/seguimiento/?state=14&status=late",
    ],
)
def test_lists_filter_and_their_query_count_does_not_grow(url, client):
    dgcp = dgcp_reviewer()
    client.force_login(dgcp)
    responses = []

    def fetch():
        responses.append(client.get(url))
        assert responses[-1].status_code == 200

    _plans(2, "FEW")
    assert_queries_constant(fetch, lambda: _plans(8, "MANY"))
    second = responses[-1]
    if url.startswith("/api/"):
        results = second.json()["results"]
        assert len(results) == (5 if "state=14" in url else 10)  # half the offices are Jalisco's
        if "status=late" in url:
            assert {r["status"] for r in results} == {"late"}
        if "state=14" in url and "entries" in url:
            assert {r["state"] for r in results} == {"14"}


def test_the_schema_describes_the_followup_endpoints(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    for path in ("/api/v1/followup/plans/", "/api/v1/followup/indicators/", "/api/v1/followup/reports/"):
        assert path in schema["paths"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/followup/reports/"]["get"]["parameters"]}
    assert {"state", "registry_number", "period_end_after"} <= parameters


def test_the_dashboard_totals_each_status_and_all_of_them(client, office, entry, report):
    make_entry("SEG-SIN-PLAN", institution=office)  # a second agreement, with no plan yet
    client.force_login(dgcp_reviewer())
    response = client.get(reverse("followup:dashboard"))
    context = response.context
    assert context["grand_total"] == 2 == sum(context["totals"])
    footer = response.content.decode().split("<tfoot>")[1].split("</tfoot>")[0]
    assert "<td>2</td></tr>" in footer  # the grand total closes the «Total» row


def test_operators_read_the_followup_in_the_admin_and_change_nothing_there(client, entry, report):
    client.force_login(admin_user())
    index = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="es-mx").content.decode()
    assert "Seguimiento de acuerdos" in index and "Planes de trabajo" in index
    plan = report.plan
    for name in ("workplan", "report", "reminder", "followupevent"):
        assert client.get(reverse(f"admin:followup_{name}_changelist")).status_code == 200, name
    page = client.get(reverse("admin:followup_workplan_change", args=[plan.pk]))
    assert page.status_code == 200 and plan.activities.first().name in page.content.decode()
    assert client.get(reverse("admin:followup_workplan_add")).status_code == 403
    assert client.post(reverse("admin:followup_workplan_delete", args=[plan.pk]), {"post": "yes"}).status_code == 403
