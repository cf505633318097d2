"""The web pages: forms, inboxes and dashboard, with query budgets that do not grow with rows."""

import re

import pytest
from django.urls import reverse

from agreements.choices import Status
from agreements.models import Agreement
from tests import documents
from tests.cases import CASE_DATA
from tests.factories import future_date
from tests.support import assert_queries_constant

pytestmark = pytest.mark.django_db


def test_local_official_files_through_the_web_forms(client, local, django_capture_on_commit_callbacks):
    client.force_login(local)
    assert client.get(reverse("agreements:agreement_create")).status_code == 200
    data = {**CASE_DATA, "intended_signing_date": future_date(40).isoformat()}
    response = client.post(reverse("agreements:agreement_create"), data)
    case = Agreement.objects.get()
    assert response.status_code == 302 and response.url == reverse("agreements:agreement_detail", args=[case.pk])
    upload_url = reverse("agreements:document_upload", args=[case.pk])
    client.post(upload_url, {"kind": "request_letter", "file": documents.pdf_upload()})
    client.post(upload_url, {"kind": "final_text", "file": documents.docx_upload()})
    page = client.get(reverse("agreements:agreement_detail", args=[case.pk])).content.decode()
    assert "Enviar solicitud a la DGCP" in page and "oficio.pdf" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("agreements:agreement_submit", args=[case.pk]))
    case.refresh_from_db()
    assert case.status == Status.IN_REVIEW


def test_form_errors_are_shown_next_to_the_field(client, local):
    client.force_login(local)
    data = {**CASE_DATA, "intended_signing_date": "2020-01-01"}
    response = client.post(reverse("agreements:agreement_create"), data)
    assert response.status_code == 400
    assert "no puede estar en el pasado" in response.content.decode()
    # A subdivision not of the chosen country is refused by the picker's list itself, by name.
    response = client.post(reverse("agreements:agreement_create"), {**CASE_DATA, "counterpart_subdivision": "XX-99"})
    assert response.status_code == 400
    assert "Elija un estado o provincia del país indicado, de la lista." in response.content.decode()
    assert not Agreement.objects.exists()


def test_a_renamed_executable_gets_a_message_not_a_crash(client, cases, local):
    case = cases.draft()
    client.force_login(local)
    response = client.post(
        reverse("agreements:document_upload", args=[case.pk]),
        {"kind": "request_letter", "file": documents.upload("oficio.pdf", b"MZ" + b"\0" * 100)},
        follow=True,
    )
    assert response.status_code == 200
    assert "no es un documento PDF" in response.content.decode()


def test_cja_issues_a_dictamen_with_observations_from_the_web(client, cases, cja, django_capture_on_commit_callbacks):
    case = cases.in_review()
    client.force_login(cja)
    assert 'id="dictamen-form"' in client.get(reverse("agreements:agreement_detail", args=[case.pk])).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("agreements:dictamen_issue", args=[case.pk]),
            {
                "outcome": "viable_with_observations",
                "summary": "Procedente con ajustes.",
                "observations": "Cláusula 2: precisar la vigencia\nAgregar cláusula de solución de controversias",
            },
        )
    dictamen = case.dictamenes.get()
    assert [(o.clause, o.text) for o in dictamen.observations.all()] == [
        ("Cláusula 2", "precisar la vigencia"),
        ("", "Agregar cláusula de solución de controversias"),
    ]


def test_second_dictamen_attempt_in_the_browser_gets_a_clear_message(client, cases, cja):
    case = cases.dictamen_issued()
    client.force_login(cja)
    response = client.post(
        reverse("agreements:dictamen_issue", args=[case.pk]), {"outcome": "viable", "summary": "Otra vez"}, follow=True
    )
    assert "cambió mientras usted trabajaba" in response.content.decode()


def test_buttons_follow_available_actions(client, cases, local, dgcp, cja):
    case = cases.dictamen_issued()
    url = reverse("agreements:agreement_detail", args=[case.pk])
    client.force_login(dgcp)
    html = client.get(url).content.decode()
    assert 'id="approve-form"' in html and 'id="dictamen-form"' not in html
    client.force_login(cja)
    html = client.get(url).content.decode()
    assert 'id="approve-form"' not in html and 'id="dictamen-form"' not in html
    client.force_login(local)
    html = client.get(url).content.decode()
    assert 'id="approve-form"' not in html and "Retirar la solicitud" in html


@pytest.mark.parametrize("name", ["inbox_cja", "inbox_dgcp", "dashboard"])
def test_reviewer_pages_are_closed_to_local_officials(client, local, name):
    client.force_login(local)
    assert client.get(reverse(f"agreements:{name}")).status_code == 403


def _make_cases(cases, n, state):
    return [getattr(cases, state)() for _ in range(n)]


@pytest.mark.parametrize(
    ("user_fixture", "url_name", "state"),
    [
        ("cja", "inbox_cja", "in_review"),
        ("dgcp", "inbox_dgcp", "dictamen_issued"),
        ("dgcp", "dashboard", "in_review"),
        ("local", "agreement_list", "draft"),
    ],
)
def test_query_count_does_not_grow_with_rows(
    request, client, cases, django_assert_max_num_queries, user_fixture, url_name, state
):
    client.force_login(request.getfixturevalue(user_fixture))
    url = reverse(f"agreements:{url_name}")
    _make_cases(cases, 2, state)

    def fetch():
        assert client.get(url).status_code == 200

    # The warm-up request records the new session's MFA check.
    assert_queries_constant(fetch, lambda: _make_cases(cases, 8, state))


def test_api_list_query_count_is_the_same_at_every_page_size(client, cases, dgcp):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _make_cases(cases, 12, "draft")
    client.force_login(dgcp)
    client.get("/api/v1/agreements/")  # warm up the session
    counts = []
    for size in (10, 25, 100):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/api/v1/agreements/?page_size={size}").status_code == 200
        counts.append(len(ctx))
    assert len(set(counts)) == 1, counts


def test_cja_inbox_is_sorted_by_deadline(client, cases, cja):
    late = cases.in_review(intended_signing_date=future_date(90))
    soon = cases.in_review(intended_signing_date=future_date(20))
    client.force_login(cja)
    rows = list(client.get(reverse("agreements:inbox_cja")).context["page"])
    assert rows.index(soon) < rows.index(late)
    rows = list(client.get(reverse("agreements:inbox_cja") + "?orden=-plazo").context["page"])
    assert rows.index(late) < rows.index(soon)


def test_dashboard_counts_cases_per_step(client, cases, dgcp):
    cases.in_review()
    cases.dictamen_issued()
    client.force_login(dgcp)
    rows = {c["step"].number: c for c in client.get(reverse("agreements:dashboard")).context["counts"]}
    assert rows[7]["total"] == 1 and rows[8]["total"] == 1 and rows[5]["total"] == 0
    assert rows[7]["oldest_days"] == 0 and rows[5]["oldest_days"] is None


def test_notifications_reach_the_next_actor_and_the_filer(client, cases, local, dgcp, cja):
    cases.in_review()
    assert cja.notifications.filter(subject__contains="turnado a la CJA").exists()
    assert dgcp.notifications.filter(subject__contains="Nueva solicitud").exists()
    assert local.notifications.exists()
    client.force_login(cja)
    html = client.get(reverse("notifications:list")).content.decode()
    assert "turnado a la CJA" in html


def test_the_timeline_names_people_with_their_office_and_the_system_once(client, cases, local):
    case = cases.in_review()
    client.force_login(local)
    html = client.get(reverse("agreements:agreement_detail", args=[case.pk])).content.decode()
    assert "(Oficina local)" in html  # the person who filed, with their office
    assert re.search(r"· sistema\s+·", html) and "sistema (sistema)" not in html  # the automatic steps, named once
