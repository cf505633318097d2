"""GET /api/v1/notifications/: the caller's notices (event, case, date, read, text in the caller's language),
filtered by ``read``, marked read one by one or all at once; another person's notices are invisible."""

import pytest
from django.urls import reverse

from portal.notifications import services
from portal.notifications.models import Notification
from tests.factories import local_official
from tests.support import assert_queries_constant

pytestmark = pytest.mark.django_db


def _params(number="R-0100"):
    return {
        "days": 30,
        "entry": {
            "title": "Hermanamiento",
            "counterpart_name": "Ciudad de Kraków",
            "registry_number": number,
            "expires_on": "2027-06-01",
            "automatic_renewal": False,
        },
    }


def _send(user, n=1):
    for i in range(n):
        services.notification_send(recipients=[user], event="expiry_reminder", params=_params(f"R-{i:04d}"))
    return list(Notification.objects.filter(recipient=user).order_by("id"))


def test_the_list_gives_the_caller_s_notices_in_the_caller_s_language(client):
    me, other = local_official(), local_official()
    (mine,) = _send(me)
    _send(other, 2)
    client.force_login(me)
    response = client.get(reverse("api:notification-list"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row["id"] == mine.pk and row["event"] == "expiry_reminder" and row["agreement"] is None
    assert row["read"] is False and row["created_at"]
    assert row["subject"] == "Agreement R-0000 expires on 01/06/2027"
    assert row["text"].startswith("The agreement “Hermanamiento” with Ciudad de Kraków (registry R-0000) ends its")
    assert "vigencia" not in row["text"]
    spanish = client.get(reverse("api:notification-list"), HTTP_ACCEPT_LANGUAGE="es-MX").json()["results"][0]
    assert spanish["subject"] == "El acuerdo R-0000 concluye su vigencia el 01/06/2027"


def test_a_case_notice_names_its_case(cases_notice):
    user, case = cases_notice
    assert {n.agreement_id for n in Notification.objects.filter(recipient=user)} == {case.pk}


@pytest.fixture
def cases_notice(run_on_commit):
    from agreements import services as agreement_services
    from tests import documents
    from tests.cases import CASE_DATA
    from tests.factories import future_date

    user = local_official()
    case = agreement_services.agreement_create(user=user, data={**CASE_DATA, "intended_signing_date": future_date(60)})
    for kind, upload in (("request_letter", documents.pdf_upload()), ("final_text", documents.docx_upload())):
        agreement_services.document_upload(user=user, agreement_id=case.pk, kind=kind, upload=upload)
    run_on_commit(agreement_services.agreement_submit, user=user, agreement_id=case.pk)
    return user, case


def test_the_read_filter_and_marking_read(client):
    me = local_official()
    first, second, third = _send(me, 3)
    client.force_login(me)
    url = reverse("api:notification-list")
    assert len(client.get(url, {"read": "false"}).json()["results"]) == 3
    response = client.post(reverse("api:notification-read", args=[second.pk]))
    assert response.status_code == 200 and response.json()["read"] is True and response.json()["id"] == second.pk
    assert [r["id"] for r in client.get(url, {"read": "true"}).json()["results"]] == [second.pk]
    assert {r["id"] for r in client.get(url, {"read": "false"}).json()["results"]} == {first.pk, third.pk}
    response = client.post(reverse("api:notification-read-all"))
    assert response.status_code == 200 and response.json() == {"marked": 2}
    assert client.get(url, {"read": "false"}).json()["results"] == []


def test_another_person_s_notice_is_invisible_and_cannot_be_marked(client):
    me, other = local_official(), local_official()
    (theirs,) = _send(other)
    client.force_login(me)
    assert client.post(reverse("api:notification-read", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("api:notification-list")).json()["results"] == []
    assert client.post(reverse("api:notification-read-all")).json() == {"marked": 0}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_anonymous_callers_are_refused(client):
    assert client.get(reverse("api:notification-list")).status_code in (401, 403)
    assert client.post(reverse("api:notification-read-all")).status_code in (401, 403)


def test_a_bad_filter_value_is_a_clear_400_or_ignored_never_a_500(client):
    me = local_official()
    _send(me)
    client.force_login(me)
    assert client.get(reverse("api:notification-list"), {"read": "maybe"}).status_code == 200  # no filter
    assert client.get(reverse("api:notification-list"), {"event": "bogus"}).status_code == 400
    assert client.post("/api/v1/notifications/abc/read/").status_code == 404


def test_the_list_costs_the_same_queries_for_many_notices(client):
    me = local_official()
    _send(me, 2)
    client.force_login(me)
    url = reverse("api:notification-list")
    assert_queries_constant(lambda: client.get(url), lambda: _send(me, 20), warm_up=False)


def test_the_operations_are_in_the_schema(client):
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    paths = schema["paths"]
    assert "get" in paths["/api/v1/notifications/"] and "post" in paths["/api/v1/notifications/{id}/read/"]
    assert "post" in paths["/api/v1/notifications/read-all/"]
    names = {p["name"] for p in paths["/api/v1/notifications/"]["get"]["parameters"]}
    assert {"read", "event", "agreement"} <= names


def test_the_notices_page_uses_the_same_read_filter(client):
    me = local_official()
    first, second = _send(me, 2)
    services.notification_mark_read(user=me, notification_id=first.pk)
    client.force_login(me)
    html = client.get(reverse("notifications:list"), {"read": "false"}).content.decode()
    assert "R-0001" in html and "R-0000" not in html
    html = client.get(reverse("notifications:list")).content.decode()
    assert "R-0001" in html and "R-0000" in html
