"""Named reviewers: take / release / reassign rights per role, the «Míos» filter, delegates, timeline, notices."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from agreements import services
from agreements.choices import ReviewerMove
from agreements.models import Agreement, TimelineEvent
from agreements.permissions import Person, available_actions, available_reviewer_moves, reviewer_verdict
from agreements.workflow import Actor
from portal.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from portal.institutions.choices import Role
from portal.institutions.roles import group_for
from portal.notifications.models import Notification
from tests.factories import cja_head, cja_reviewer, dgcp_head, dgcp_reviewer, local_official

pytestmark = pytest.mark.django_db

CJA_INBOX = reverse("agreements:inbox_cja")
DGCP_INBOX = reverse("agreements:inbox_dgcp")


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- the pure rule ---------------------------------------------------------------

MEMBER = Person(pk=1, offices=frozenset({Actor.CJA}), perms=frozenset({"agreements.issue_dictamen"}))
HEAD = Person(
    pk=2,
    offices=frozenset({Actor.CJA}),
    perms=frozenset({"agreements.issue_dictamen", "agreements.assign_cja_reviewer"}),
)
OTHER_HEAD = Person(pk=3, offices=frozenset({Actor.DGCP}), perms=frozenset({"agreements.assign_dgcp_reviewer"}))


@pytest.mark.parametrize(
    ("person", "move", "status", "reviewer", "expected"),
    [
        (MEMBER, ReviewerMove.TAKE, "in_review", None, Actor.CJA),
        (MEMBER, ReviewerMove.TAKE, "in_review", 9, Conflict),  # someone else has it
        (MEMBER, ReviewerMove.TAKE, "in_review", 1, Conflict),  # already mine
        (MEMBER, ReviewerMove.TAKE, "dictamen_issued", None, PermissionDenied),  # a DGCP case
        (MEMBER, ReviewerMove.TAKE, "draft", None, Conflict),  # in no inbox
        (MEMBER, ReviewerMove.RELEASE, "in_review", 1, Actor.CJA),
        (MEMBER, ReviewerMove.RELEASE, "in_review", 9, PermissionDenied),
        (MEMBER, ReviewerMove.RELEASE, "in_review", None, Conflict),
        (MEMBER, ReviewerMove.ASSIGN, "in_review", None, PermissionDenied),  # a non-head never reassigns
        (HEAD, ReviewerMove.ASSIGN, "registration_requested", 9, Actor.CJA),
        (HEAD, ReviewerMove.TAKE, "in_review", 9, Actor.CJA),
        (HEAD, ReviewerMove.RELEASE, "in_review", 9, Actor.CJA),
        (OTHER_HEAD, ReviewerMove.ASSIGN, "in_review", None, PermissionDenied),  # head of the other office
        (OTHER_HEAD, ReviewerMove.ASSIGN, "dictamen_issued", None, Actor.DGCP),
        (Person(pk=5), ReviewerMove.TAKE, "in_review", None, PermissionDenied),
    ],
)
def test_reviewer_verdict(person, move, status, reviewer, expected):
    result = reviewer_verdict(person, move, status, reviewer)
    if isinstance(expected, type):
        assert isinstance(result, expected)
    else:
        assert result == expected


# --- services ----------------------------------------------------------------------


def test_a_reviewer_takes_and_releases_a_cja_case_and_the_timeline_names_them(cases, cja):
    case = cases.in_review()
    services.reviewer_take(user=cja, agreement_id=case.pk)
    assert Agreement.objects.get(pk=case.pk).cja_reviewer == cja
    services.reviewer_release(user=cja, agreement_id=case.pk)
    assert Agreement.objects.get(pk=case.pk).cja_reviewer is None
    events = list(TimelineEvent.objects.filter(agreement=case, action__startswith="reviewer_").order_by("id"))
    assert [(e.action, e.actor_id, e.actor_role) for e in events] == [
        (ReviewerMove.TAKE, cja.pk, "cja"),
        (ReviewerMove.RELEASE, cja.pk, "cja"),
    ]
    assert events[1].comment == cja.get_full_name()


def test_a_second_reviewer_cannot_take_a_taken_case_nor_release_it(cases, cja):
    case = cases.in_review()
    services.reviewer_take(user=cja, agreement_id=case.pk)
    other = cja_reviewer()
    with pytest.raises(Conflict):
        services.reviewer_take(user=other, agreement_id=case.pk)
    with pytest.raises(PermissionDenied):
        services.reviewer_release(user=other, agreement_id=case.pk)
    with pytest.raises(PermissionDenied):
        services.reviewer_assign(user=other, agreement_id=case.pk, reviewer_id=other.pk)
    assert Agreement.objects.get(pk=case.pk).cja_reviewer == cja


def test_a_cja_member_cannot_take_a_dgcp_case_and_a_dgcp_member_can(cases, cja, dgcp):
    case = cases.dictamen_issued()
    with pytest.raises(PermissionDenied):
        services.reviewer_take(user=cja, agreement_id=case.pk)
    services.reviewer_take(user=dgcp, agreement_id=case.pk)
    case.refresh_from_db()
    assert case.dgcp_reviewer == dgcp and case.cja_reviewer is None


def test_the_head_reassigns_and_the_person_assigned_is_told(cases, cja, run_on_commit):
    case = cases.in_review()
    head, second = cja_head(), cja_reviewer()
    services.reviewer_take(user=cja, agreement_id=case.pk)
    run_on_commit(services.reviewer_assign, user=head, agreement_id=case.pk, reviewer_id=second.pk)
    assert Agreement.objects.get(pk=case.pk).cja_reviewer == second
    notice = Notification.objects.get(recipient=second)
    assert "Expediente asignado a usted" in notice.subject and case.folio in notice.subject
    event = TimelineEvent.objects.filter(agreement=case, action=ReviewerMove.ASSIGN).get()
    assert event.actor == head and event.comment == second.get_full_name()


def test_the_head_cannot_assign_to_someone_outside_the_office(cases):
    case = cases.in_review()
    head = cja_head()
    for outsider in (dgcp_reviewer(), local_official()):
        with pytest.raises(Exception) as caught:
            services.reviewer_assign(user=head, agreement_id=case.pk, reviewer_id=outsider.pk)
        assert "no es revisora" in str(caught.value.message)
    assert Agreement.objects.get(pk=case.pk).cja_reviewer is None


def test_taking_a_case_does_not_count_as_acting_for_the_separation_of_duties(cases, cja, run_on_commit):
    """Who took the case for the CJA but decided nothing there may still approve its dictamen for the DGCP."""
    case = cases.in_review()
    both = dgcp_reviewer()
    both.groups.add(group_for(Role.CJA))
    services.reviewer_take(user=both, agreement_id=case.pk)
    assert TimelineEvent.objects.get(agreement=case, action=ReviewerMove.TAKE).actor_role == "cja"
    run_on_commit(
        services.dictamen_issue,
        user=cja,
        agreement_id=case.pk,
        outcome="viable",
        summary="El instrumento es procedente.",
        observations=[],
    )
    assert "approve_dictamen" in available_actions(both, Agreement.objects.get(pk=case.pk))


# --- the «Míos / Sin asignar / Todos» filter and delegates ---------------------------


def _folios(response):
    return {a.folio for a in response.context["page"].object_list}


def test_the_mine_filter_of_the_cja_inbox(client, cases, cja):
    mine, free, others = cases.in_review(), cases.in_review(), cases.in_review()
    services.reviewer_take(user=cja, agreement_id=mine.pk)
    services.reviewer_take(user=cja_reviewer(), agreement_id=others.pk)
    client.force_login(cja)
    assert _folios(client.get(CJA_INBOX, {"asignado": "mios"})) == {mine.folio}
    assert _folios(client.get(CJA_INBOX, {"asignado": "sin_asignar"})) == {free.folio}
    assert _folios(client.get(CJA_INBOX, {"asignado": "todos"})) == {mine.folio, free.folio, others.folio}
    assert _folios(client.get(CJA_INBOX)) == {mine.folio, free.folio, others.folio}


def test_the_mine_filter_of_the_dgcp_inbox(client, cases, dgcp):
    mine, free = cases.dictamen_issued(), cases.dictamen_issued()
    services.reviewer_take(user=dgcp, agreement_id=mine.pk)
    client.force_login(dgcp)
    response = client.get(DGCP_INBOX, {"asignado": "mios"})
    assert {d.agreement.folio for d in response.context["page"].object_list} == {mine.folio}
    response = client.get(DGCP_INBOX, {"asignado": "sin_asignar"})
    assert {d.agreement.folio for d in response.context["page"].object_list} == {free.folio}


def test_an_unknown_assigned_value_is_a_clear_message_not_a_500(client, cja):
    client.force_login(cja)
    response = client.get(CJA_INBOX, {"asignado": "<x>"})
    assert response.status_code == 200
    assert "Asignación" in response.content.decode()


def test_an_absent_reviewers_cases_show_in_the_delegates_mine(client, cases, cja):
    delegate = cja_reviewer()
    case = cases.in_review()
    services.reviewer_take(user=cja, agreement_id=case.pk)
    today = timezone.localdate()
    services.reviewer_absence_record(
        user=cja, reviewer_id=cja.pk, delegate_id=delegate.pk, starts_on=today, ends_on=today + dt.timedelta(days=3)
    )
    client.force_login(delegate)
    assert _folios(client.get(CJA_INBOX, {"asignado": "mios"})) == {case.folio}
    event = TimelineEvent.objects.get(agreement=case, action=ReviewerMove.ABSENCE)
    assert event.actor == cja and delegate.get_full_name() in event.comment


def test_a_past_or_future_absence_does_not_delegate(client, cases, cja):
    delegate = cja_reviewer()
    case = cases.in_review()
    services.reviewer_take(user=cja, agreement_id=case.pk)
    start = timezone.localdate() + dt.timedelta(days=5)
    services.reviewer_absence_record(
        user=cja, reviewer_id=cja.pk, delegate_id=delegate.pk, starts_on=start, ends_on=start + dt.timedelta(days=1)
    )
    client.force_login(delegate)
    assert _folios(client.get(CJA_INBOX, {"asignado": "mios"})) == set()


def test_only_the_reviewer_or_the_head_records_an_absence_and_the_delegate_is_of_the_office(cases, cja):
    today = timezone.localdate()
    other = cja_reviewer()
    with pytest.raises(PermissionDenied):
        services.reviewer_absence_record(
            user=other, reviewer_id=cja.pk, delegate_id=other.pk, starts_on=today, ends_on=today
        )
    with pytest.raises(Exception) as caught:
        services.reviewer_absence_record(
            user=cja, reviewer_id=cja.pk, delegate_id=dgcp_reviewer().pk, starts_on=today, ends_on=today
        )
    assert "suplente" in str(caught.value.message).lower()
    head = cja_head()
    absence = services.reviewer_absence_record(
        user=head, reviewer_id=cja.pk, delegate_id=other.pk, starts_on=today, ends_on=today
    )
    assert absence.delegate == other and absence.created_by == head


def test_the_absence_page_records_one_and_refuses_reversed_dates(client, cja):
    other = cja_reviewer()
    client.force_login(cja)
    url = reverse("agreements:reviewer_absences")
    today = timezone.localdate()
    bad = client.post(
        url,
        {
            "reviewer": cja.pk,
            "delegate": other.pk,
            "starts_on": today.isoformat(),
            "ends_on": (today - dt.timedelta(days=1)).isoformat(),
        },
    )
    assert bad.status_code == 400 and "anterior a la inicial" in bad.content.decode()
    ok = client.post(
        url, {"reviewer": cja.pk, "delegate": other.pk, "starts_on": today.isoformat(), "ends_on": today.isoformat()}
    )
    assert ok.status_code == 302
    assert other.get_full_name() in client.get(url).content.decode()


def test_the_absence_page_is_for_reviewers_only(client):
    client.force_login(local_official())
    assert client.get(reverse("agreements:reviewer_absences")).status_code == 403


# --- pages and API -------------------------------------------------------------------


def test_the_detail_page_draws_the_buttons_each_role_may_use(client, cases, cja):
    case = cases.in_review()
    url = reverse("agreements:agreement_detail", args=[case.pk])
    client.force_login(cja)
    html = client.get(url).content.decode()
    assert reverse("agreements:reviewer_take", args=[case.pk]) in html
    assert reverse("agreements:reviewer_assign", args=[case.pk]) not in html
    client.force_login(cja_head())
    html = client.get(url).content.decode()
    assert reverse("agreements:reviewer_assign", args=[case.pk]) in html
    client.force_login(dgcp_reviewer())
    html = client.get(url).content.decode()
    assert reverse("agreements:reviewer_take", args=[case.pk]) not in html


def test_take_through_the_page_and_reassign_refused_in_english(client, cases, cja):
    case = cases.in_review()
    client.force_login(cja)
    response = client.post(reverse("agreements:reviewer_take", args=[case.pk]), follow=True)
    assert "Tomó el expediente" in response.content.decode()
    assert Agreement.objects.get(pk=case.pk).cja_reviewer == cja
    response = client.post(
        reverse("agreements:reviewer_assign", args=[case.pk]),
        {"reviewer": cja.pk},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = response.content.decode()
    assert "Only the head of the office reassigns cases." in html
    timeline = client.get(reverse("agreements:agreement_detail", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Took the case" in timeline.content.decode()


def test_the_inbox_reads_in_english(client, cases, cja):
    cases.in_review()
    client.force_login(cja)
    html = client.get(CJA_INBOX, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Mine" in html and "Unassigned" in html and "Reviewer" in html


def test_api_take_release_assign(cases, cja, dgcp):
    case = cases.in_review()
    url = f"/api/v1/agreements/{case.pk}/"
    body = api(cja).post(url + "take/").json()
    assert body["cja_reviewer"] == cja.pk and body["reviewer_moves"] == ["reviewer_release"]
    assert api(cja_reviewer()).post(url + "take/").status_code == 409
    assert api(dgcp).post(url + "take/").status_code == 403
    refused = api(cja).post(url + "assign/", {"reviewer": cja.pk}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 403
    second = cja_reviewer()
    assigned = api(cja_head()).post(url + "assign/", {"reviewer": second.pk}, format="json")
    assert assigned.status_code == 200 and assigned.json()["cja_reviewer"] == second.pk
    assert api(cja_head()).post(url + "assign/", {"reviewer": "x"}, format="json").status_code == 400
    assert api(second).post(url + "release/").json()["cja_reviewer"] is None
    assert api(local_official()).post(url + "take/").status_code == 404


def test_the_api_schema_lists_the_moves(client, cja):
    client.force_login(cja)
    schema = client.get("/api/v1/schema/").content.decode()
    assert "/api/v1/agreements/{id}/take/" in schema and "/api/v1/agreements/{id}/assign/" in schema


def test_the_dgcp_head_reassigns_dgcp_cases_and_the_cja_head_cannot(cases, dgcp):
    case = cases.dictamen_issued()
    second = dgcp_reviewer()
    with pytest.raises(PermissionDenied):
        services.reviewer_assign(user=cja_head(), agreement_id=case.pk, reviewer_id=second.pk)
    services.reviewer_assign(user=dgcp_head(), agreement_id=case.pk, reviewer_id=second.pk)
    assert Agreement.objects.get(pk=case.pk).dgcp_reviewer == second


# --- inbox search ----------------------------------------------------------------------


def test_the_inboxes_search_accent_insensitive_and_by_folio_fragment(client, cases, cja, dgcp):
    tecun = cases.in_review(title="Acuerdo con Tecún Umán")
    other = cases.in_review(title="Acuerdo con Quetzaltenango")
    client.force_login(cja)
    assert _folios(client.get(CJA_INBOX, {"q": "TECUN"})) == {tecun.folio}
    assert _folios(client.get(CJA_INBOX, {"q": other.folio[-6:]})) == {other.folio}
    assert _folios(client.get(CJA_INBOX, {"q": "tecún umán", "asignado": "sin_asignar"})) == {tecun.folio}
    page = client.get(CJA_INBOX, {"q": "tecun", "orden": "-plazo"}).content.decode()
    assert 'value="tecun"' in page and 'name="orden" value="-plazo"' in page
    issued = cases.dictamen_issued()
    client.force_login(dgcp)
    response = client.get(DGCP_INBOX, {"q": issued.folio[-6:]})
    assert [d.agreement.folio for d in response.context["page"].object_list] == [issued.folio]
    assert list(client.get(DGCP_INBOX, {"q": "zzzz-no-existe"}).context["page"].object_list) == []


def test_the_inbox_api_shares_the_pages_filters(cases, cja, dgcp):
    mine, free = cases.in_review(title="Acuerdo con Tecún Umán"), cases.in_review()
    services.reviewer_take(user=cja, agreement_id=mine.pk)
    client = api(cja)
    ids = lambda response: [row["id"] for row in response.json()["results"]]  # noqa: E731
    assert ids(client.get("/api/v1/inbox/cja/", {"asignado": "mios"})) == [mine.pk]
    assert ids(client.get("/api/v1/inbox/cja/", {"asignado": "sin_asignar"})) == [free.pk]
    assert ids(client.get("/api/v1/inbox/cja/", {"q": "tecun"})) == [mine.pk]
    assert client.get("/api/v1/inbox/cja/", {"asignado": "nadie"}).status_code == 400
    assert client.get("/api/v1/inbox/cja/").json()["results"][0]["cja_reviewer"] in (cja.pk, None)
    assert api(dgcp).get("/api/v1/inbox/cja/").status_code == 403
    issued = cases.dictamen_issued()
    services.reviewer_take(user=dgcp, agreement_id=issued.pk)
    rows = api(dgcp).get("/api/v1/inbox/dgcp/", {"asignado": "mios"}).json()["results"]
    assert [row["agreement"]["id"] for row in rows] == [issued.pk]
    assert rows[0]["agreement"]["dgcp_reviewer"] == dgcp.pk
    assert api(cja).get("/api/v1/inbox/dgcp/").status_code == 403
    assert api(local_official()).get("/api/v1/inbox/cja/").status_code == 403


def test_who_issued_the_dictamen_is_neither_given_nor_takes_its_dgcp_review(cases, run_on_commit):
    """Separation of duties reaches the named reviewer: the DGCP's reviewer must be able to approve."""
    case = cases.in_review()
    both = cja_reviewer()
    both.groups.add(group_for(Role.DGCP))
    run_on_commit(
        services.dictamen_issue,
        user=both,
        agreement_id=case.pk,
        outcome="viable",
        summary="El instrumento es procedente.",
        observations=[],
    )
    with pytest.raises(PermissionDenied) as refused:
        services.reviewer_take(user=both, agreement_id=case.pk)
    assert refused.value.code == "separation_of_duties"
    with pytest.raises(ValidationFailed) as refused_assignment:
        services.reviewer_assign(user=dgcp_head(), agreement_id=case.pk, reviewer_id=both.pk)
    assert "separación de funciones" in str(refused_assignment.value.message)
    assert ReviewerMove.TAKE not in available_reviewer_moves(both, Agreement.objects.get(pk=case.pk))
    assert Agreement.objects.get(pk=case.pk).dgcp_reviewer is None
