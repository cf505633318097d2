"""Separation of duties through the API and the pages: the audit's superuser who issued and approved one dictamen."""

import pytest
from rest_framework.test import APIClient

from agreements import services
from agreements.choices import Status
from portal.institutions.choices import Role
from portal.institutions.roles import group_for
from tests.cases import CaseBuilder
from tests.factories import admin_user, cja_reviewer, dgcp_reviewer

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def both():
    """One account holding the CJA's and the DGCP's roles (and superuser status, as in the audit)."""
    user = cja_reviewer(is_superuser=True, is_staff=True)
    user.groups.add(group_for(Role.DGCP))
    return user


def test_who_issued_a_dictamen_is_refused_its_approval_with_the_reason(cases, both, dgcp):
    case = cases.in_review()
    issued = api(both).post(f"/api/v1/agreements/{case.pk}/dictamen/", {"outcome": "viable", "summary": "Procede."})
    assert issued.status_code == 201, issued.content
    assert "dictamen_approve" not in issued.json()["available_actions"]
    for path in ("dictamen/approve/", "dictamen/return/"):
        refused = api(both).post(f"/api/v1/agreements/{case.pk}/{path}", {"comment": "x"}, format="json")
        assert refused.status_code == 403, path
        body = refused.json()
        assert body["code"] == "separation_of_duties"
        assert body["detail"] == "Usted emitió este dictamen; otra persona de la DGCP debe aprobarlo."
    case.refresh_from_db()
    assert case.status == Status.DICTAMEN_ISSUED
    assert api(dgcp).post(f"/api/v1/agreements/{case.pk}/dictamen/approve/", {}).status_code == 200


def test_who_approved_a_dictamen_is_refused_the_registration(run_on_commit, local, cja, both):
    case = CaseBuilder(run_on_commit, local, both, cja).registration_requested()  # approved by ``both``
    payload = {"registry_number": "R-77", "registered_on": "2020-01-01", "recommendations_incorporated": True}
    refused = api(both).post(f"/api/v1/agreements/{case.pk}/registration/", payload, format="json")
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("Usted aprobó la entrega del dictamen de este expediente")
    refused = api(both).post(f"/api/v1/agreements/{case.pk}/registration/return/", {"reason": "No."}, format="json")
    assert refused.status_code == 403
    detail = api(both).get(f"/api/v1/agreements/{case.pk}/").json()
    assert not {"registration", "registration_return"} & set(detail["available_actions"])


def test_a_superuser_in_no_role_takes_no_workflow_action(cases):
    root = admin_user()
    case = cases.in_review()
    assert api(root).get(f"/api/v1/agreements/{case.pk}/").status_code == 200  # sees it ...
    for path, payload in (
        ("dictamen/", {"outcome": "viable", "summary": "Procede."}),
        ("return/", {"reason": "Corregir."}),
        ("not-admissible/", {"reason": "No."}),
    ):
        response = api(root).post(f"/api/v1/agreements/{case.pk}/{path}", payload, format="json")
        assert response.status_code == 403, (path, response.content)  # ... but acts on nothing
    assert api(root).get(f"/api/v1/agreements/{case.pk}/").json()["available_actions"] == []


def test_a_superuser_cannot_open_a_case_without_the_local_role():
    from portal.core.exceptions import PermissionDenied
    from tests.factories import InstitutionFactory

    root = admin_user(institution=InstitutionFactory())
    with pytest.raises(PermissionDenied):
        services.agreement_create(user=root, data={})


def test_the_case_page_draws_no_approval_button_for_the_issuer_and_the_action_view_explains(client, cases, both):
    case = cases.in_review()
    services.dictamen_issue(user=both, agreement_id=case.pk, outcome="viable", summary="Procede.")
    client.force_login(both)
    page = client.get(f"/expedientes/{case.pk}/").content.decode()
    assert 'id="approve-form"' not in page
    response = client.post(f"/expedientes/{case.pk}/dictamen/aprobar/", {"cover_note": ""}, follow=True)
    assert "Usted emitió este dictamen; otra persona de la DGCP debe aprobarlo." in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.DICTAMEN_ISSUED
    client.force_login(dgcp_reviewer())
    assert 'id="approve-form"' in client.get(f"/expedientes/{case.pk}/").content.decode()


def test_a_reviewer_in_both_roles_may_still_act_for_either_office_on_other_cases(cases, both):
    case = cases.dictamen_issued()  # issued by another CJA reviewer
    assert api(both).post(f"/api/v1/agreements/{case.pk}/dictamen/approve/", {}).status_code == 200
