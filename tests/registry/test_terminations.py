"""Registered agreements end: in force, expired or terminated by one rule, and terminations notified by the
office that signed, confirmed or returned by the CJA, counted the same way on every page."""

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agreements.choices import EntryStatus, TerminationStatus
from agreements.registry import selectors, services
from agreements.registry.models import RegistryEntry, Termination
from portal.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from portal.notifications.models import Notification
from tests import documents
from tests.factories import InstitutionFactory, RegistryEntryFactory, analyst, local_official

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def entry(number, *, institution=None, expires_on=None, terminated_on=None, signed_on=dt.date(2020, 3, 1)):
    return RegistryEntryFactory(
        registry_number=number,
        source="workflow",
        signed_on=signed_on,
        registered_on=signed_on,
        expires_on=expires_on,
        terminated_on=terminated_on,
        institution=institution,
    )


def test_one_rule_says_in_force_expired_or_terminated():
    day = dt.timedelta(days=1)
    entry("OPEN")
    entry("LATER", expires_on=TODAY + day)
    entry("LASTDAY", expires_on=TODAY)
    entry("PAST", expires_on=TODAY - day)
    entry("ENDED", expires_on=TODAY + 300 * day, terminated_on=TODAY - day)
    entry("ENDSTODAY", terminated_on=TODAY)
    entry("ENDSLATER", terminated_on=TODAY + day)
    entry("BOTH", expires_on=TODAY - 10 * day, terminated_on=TODAY - 20 * day)
    status = dict(selectors.registered_agreements().values_list("registry_number", "status"))
    assert status == {
        "OPEN": "in_force",
        "LATER": "in_force",
        "LASTDAY": "in_force",
        "PAST": "expired",
        "ENDED": "terminated",
        "ENDSTODAY": "terminated",
        "ENDSLATER": "in_force",
        "BOTH": "terminated",
    }
    for value in EntryStatus.values:
        matched = set(
            RegistryEntry.objects.filter(selectors.entry_status_q(value)).values_list("registry_number", flat=True)
        )
        assert matched == {n for n, s in status.items() if s == value}


def test_the_status_is_shown_filtered_exported_and_counted(client):
    entry("OPEN")
    entry("PAST", expires_on=TODAY - dt.timedelta(days=3))
    entry("ENDED", terminated_on=TODAY - dt.timedelta(days=3))
    api = client.get("/api/v1/registry/").json()["results"]
    assert {r["registry_number"]: r["status"] for r in api} == {
        "OPEN": "in_force",
        "PAST": "expired",
        "ENDED": "terminated",
    }
    only = client.get("/api/v1/registry/", {"status": ["expired", "terminated"]}).json()["results"]
    assert {r["registry_number"] for r in only} == {"PAST", "ENDED"}
    assert client.get("/api/v1/registry/", {"status": "nonsense"}).status_code == 400
    assert [r["registry_number"] for r in client.get("/api/v1/registry/", {"in_force": "true"}).json()["results"]] == [
        "OPEN"
    ]
    stats = client.get("/api/v1/registry/stats/", {"by": "status"}).json()
    assert {r["key"]: (r["label"], r["count"]) for r in stats["results"]} == {
        "in_force": ("Vigente", 1),
        "expired": ("Vencido", 1),
        "terminated": ("Terminado", 1),
    }
    csv_text = client.get(reverse("agreements:registry_export")).getvalue().decode("utf-8-sig")
    header, *rows = csv_text.strip().splitlines()
    assert header.endswith(",terminated_on,status,amendments,last_amendment")
    assert any(r.startswith("ENDED,") and r.endswith(",terminated,0,") for r in rows)
    page = client.get(reverse("agreements:registry_list")).content.decode()
    assert "Terminado" in page
    detail = client.get(reverse("agreements:registry_detail", args=["ENDED"])).content.decode()
    assert "Terminado el" in detail
    english = client.get(reverse("agreements:registry_detail", args=["ENDED"]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Terminated on" in english.content.decode()


def _notify_form(local, client, number, **overrides):
    client.force_login(local)
    data = {
        "terminated_on": (TODAY - dt.timedelta(days=2)).isoformat(),
        "reason": "Las partes acordaron darlo por terminado por mutuo consentimiento.",
        "notice_letter": documents.pdf_upload("nota-terminacion.pdf", "Nota de terminación firmada por ambas partes."),
    } | overrides
    return client.post(reverse("agreements:termination_create", args=[number]), data)


def test_only_the_signing_office_may_notify_a_termination(client, office, local, cja):
    entry("OWN", institution=office)
    entry("OTHER", institution=InstitutionFactory(state_id="14"))
    url = reverse("agreements:termination_create", args=["OWN"])
    assert client.get(url).status_code == 302  # to the login page
    for user in (local_official(), cja, analyst()):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(local)
    assert client.get(url).status_code == 200
    assert client.get(reverse("agreements:termination_create", args=["OTHER"])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.termination_request(
            user=local,
            entry=RegistryEntry.objects.get(registry_number="OTHER"),
            terminated_on=TODAY,
            reason="x",
            notice_letter=documents.pdf_upload(),
        )
    assert client.get(reverse("agreements:termination_queue")).status_code == 403


def test_a_confirmed_termination_stops_counting_as_in_force_everywhere(client, office, local, cja, run_on_commit):
    entry("KEEP", institution=office)
    entry("END", institution=office)

    def figures():
        state = client.get(reverse("api:state-detail", args=["14"])).json()["agreements"]["in_force"]
        # The comparison's CSV: the page's rows, without its HTML (which anonymous visitors get from the page cache).
        comparison = client.get(reverse("geography:state_comparison"), {"formato": "csv"})
        comparison = b"".join(comparison.streaming_content).decode("utf-8-sig")
        row = next(r for r in csv.DictReader(io.StringIO(comparison)) if r["state_code"] == "14")
        stats = client.get("/api/v1/registry/stats/", {"by": "status", "state": "14"}).json()
        in_force_stat = next((r["count"] for r in stats["results"] if r["key"] == "in_force"), 0)
        api = len(client.get("/api/v1/registry/", {"in_force": "true", "state": "14"}).json()["results"])
        return state, int(row["in_force"]), in_force_stat, api

    assert figures() == (2, 2, 2, 2)
    response = _notify_form(local, client, "END")
    assert response.status_code == 302
    termination = Termination.objects.get()
    assert termination.status == TerminationStatus.REQUESTED and len(termination.notice_sha256) == 64
    assert Notification.objects.filter(recipient=cja, subject__contains="END").exists()
    assert not Notification.objects.filter(recipient=local).exists()
    client.logout()
    assert figures() == (2, 2, 2, 2)  # not before the CJA confirms

    client.force_login(cja)
    queue = client.get(reverse("agreements:termination_queue")).content.decode()
    assert "Confirmar la terminación" in queue and "END" in queue
    assert client.get(reverse("agreements:termination_notice", args=[termination.pk])).status_code == 200
    assert (
        run_on_commit(client.post, reverse("agreements:termination_confirm", args=[termination.pk])).status_code == 302
    )
    client.logout()
    assert figures() == (1, 1, 1, 1)
    assert RegistryEntry.objects.get(registry_number="END").terminated_on == TODAY - dt.timedelta(days=2)
    told = Notification.objects.get(recipient=local)
    assert "Terminación inscrita" in told.subject and "confirmó la terminación" in told.body
    assert termination.history.count() == 2  # requested, confirmed: who and when kept

    with pytest.raises(Conflict):
        services.termination_confirm(user=cja, termination_id=termination.pk)


def test_a_returned_termination_says_why_and_changes_nothing(client, office, local, cja):
    entry("END", institution=office)
    _notify_form(local, client, "END")
    termination = Termination.objects.get()
    with pytest.raises(Conflict):
        services.termination_request(
            user=local,
            entry=termination.entry,
            terminated_on=TODAY,
            reason="otra vez",
            notice_letter=documents.pdf_upload(),
        )
    with pytest.raises(ValidationFailed):
        services.termination_return(user=cja, termination_id=termination.pk, reason="  ")
    with pytest.raises(PermissionDenied):
        services.termination_return(user=local, termination_id=termination.pk, reason="no")
    client.force_login(cja)
    client.post(
        reverse("agreements:termination_return", args=[termination.pk]),
        {"return_reason": "La nota no está firmada por la contraparte."},
    )
    termination.refresh_from_db()
    assert termination.status == TerminationStatus.RETURNED
    assert RegistryEntry.objects.get(registry_number="END").terminated_on is None
    told = Notification.objects.get(recipient=local)
    assert "devolvió" in told.body and "no está firmada por la contraparte" in told.body
    client.force_login(local)
    page = client.get(reverse("agreements:registry_detail", args=["END"])).content.decode()
    assert "Devuelta" in page and "Notificar la terminación" in page  # may notify again


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"terminated_on": "2019-01-01"}, "terminated_on", "no puede ser anterior a la firma"),
        ({"reason": ""}, "reason", "requerido"),
        ({"notice_letter": documents.docx_upload()}, "notice_letter", "no es un documento PDF válido"),
        ({"terminated_on": "31/02/2026"}, "terminated_on", "fecha válida"),
    ],
)
def test_bad_input_gets_a_message_and_leaves_nothing_behind(client, office, local, overrides, field, message):
    entry("END", institution=office)
    response = _notify_form(local, client, "END", **overrides)
    assert response.status_code == 400
    assert any(message in e for e in response.context["form"].errors[field]), response.context["form"].errors
    assert not Termination.objects.exists()


def test_the_queue_reads_in_english(client, cja):
    client.force_login(cja)
    page = client.get(reverse("agreements:termination_queue"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Terminations to confirm" in page and "Terminaciones por confirmar" not in page


def test_a_confirmed_termination_joins_the_atom_feed(client, office, local, cja):
    import xml.etree.ElementTree as ET

    entry("END", institution=office)
    _notify_form(local, client, "END")
    services.termination_confirm(user=cja, termination_id=Termination.objects.get().pk)
    client.logout()
    feed = ET.fromstring(client.get(reverse("agreements:registry_feed")).content)
    atom = "{http://www.w3.org/2005/Atom}"
    titles = [e.findtext(f"{atom}title") for e in feed.iter(f"{atom}entry")]
    assert any("Terminación" in t and "END" in t for t in titles), titles


def _model_errors(termination, *fields):
    with pytest.raises(ValidationError) as refused:
        termination.full_clean(exclude=[f.name for f in Termination._meta.fields if f.name not in fields])
    return {field: [str(m) for m in messages] for field, messages in refused.value.message_dict.items()}


@pytest.mark.parametrize(
    ("terminated_on", "reason", "fields"),
    [
        (None, "  ", ["reason", "terminated_on"]),
        (dt.date(2019, 1, 1), "Mutuo acuerdo.", ["terminated_on"]),
        (TODAY, "r" * 2001, ["reason"]),
    ],
)
def test_a_termination_notice_is_refused_with_the_models_words(local, office, terminated_on, reason, fields):
    """Issue 12: the rules are ``Termination``'s (field messages and ``clean()``); the service says the same."""
    signed = entry("END", institution=office)
    model = _model_errors(
        Termination(entry=signed, terminated_on=terminated_on, reason=reason.strip()), "reason", "terminated_on"
    )
    with pytest.raises(ValidationFailed) as refused:
        services.termination_request(
            user=local, entry=signed, terminated_on=terminated_on, reason=reason, notice_letter=documents.pdf_upload()
        )
    assert refused.value.field_errors == model and list(refused.value.field_errors) == fields
    assert refused.value.message == model[fields[0]][0]
    assert not Termination.objects.exists()


def test_a_returned_notice_needs_its_reason_in_the_model_and_the_service(client, office, local, cja):
    entry("END", institution=office)
    _notify_form(local, client, "END")
    termination = Termination.objects.get()
    model = _model_errors(Termination(status=TerminationStatus.RETURNED, return_reason=""), "return_reason")
    with pytest.raises(ValidationFailed) as refused:
        services.termination_return(user=cja, termination_id=termination.pk, reason="  ")
    assert refused.value.field_errors == model == {"return_reason": ["Indique el motivo de la devolución."]}
    termination.refresh_from_db()
    assert termination.status == TerminationStatus.REQUESTED
