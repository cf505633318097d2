"""Modifications and extensions of a registered agreement walk the same twelve steps and are inscribed against
the original entry: its own number and date in the entry's history, the original's validity following it."""

import pytest
from django.urls import reverse

from agreements import services, validity
from agreements.registry.models import RegistryAmendment, RegistryEntry
from portal.core.exceptions import PermissionDenied, ValidationFailed
from tests.cases import CASE_DATA
from tests.factories import future_date, local_official

pytestmark = pytest.mark.django_db


def test_an_extension_walked_through_the_twelve_steps_extends_the_original(client, cases):
    original = cases.closed("RAII-2026-0042")
    entry = RegistryEntry.objects.get(registry_number="RAII-2026-0042")
    first_end = entry.expires_on
    assert first_end == validity.end_date(starts_on=original.signed_on, term="fixed", years=3, months=0)

    cases.defaults = {"case_kind": "extension", "amends": "RAII-2026-0042", "term_years": 6}
    extension = cases.closed("RAII-2026-0099")
    assert extension.case_kind == "extension" and extension.amends_id == entry.pk

    assert RegistryEntry.objects.count() == 1  # never counted twice
    amendment = RegistryAmendment.objects.get()
    assert (amendment.entry_id, amendment.kind, amendment.registry_number) == (entry.pk, "extension", "RAII-2026-0099")
    entry.refresh_from_db()
    assert entry.expires_on == amendment.expires_on > first_end
    assert entry.expires_on == validity.end_date(starts_on=extension.signed_on, term="fixed", years=6, months=0)

    own_number = client.get(reverse("agreements:registry_detail", args=["RAII-2026-0099"]))
    assert own_number.status_code == 302 and own_number.url.endswith("/RAII-2026-0042/")
    page = client.get(own_number.url).content.decode()
    assert "Historial del acuerdo" in page and "Prórroga: registro RAII-2026-0099" in page
    english = client.get(own_number.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Extension: registry RAII-2026-0099" in english

    detail = client.get("/api/v1/registry/RAII-2026-0042/").json()
    assert [(a["kind"], a["registry_number"]) for a in detail["amendments"]] == [("extension", "RAII-2026-0099")]
    assert detail["expires_on"] == entry.expires_on.isoformat()
    listed = client.get("/api/v1/registry/").json()["results"]
    assert listed[0]["amendments"][0]["registry_number"] == "RAII-2026-0099"
    csv_text = client.get(reverse("agreements:registry_export")).getvalue().decode("utf-8-sig")
    header, row = csv_text.strip().splitlines()
    assert header.endswith(",status,amendments,last_amendment") and row.endswith(",in_force,1,RAII-2026-0099")


def test_only_the_signing_office_may_change_an_agreement_in_force(client, cases, local):
    cases.closed("RAII-2026-0042")
    stranger = local_official()
    data = {**CASE_DATA, "intended_signing_date": future_date(60), "case_kind": "modification"}
    with pytest.raises(PermissionDenied):
        services.agreement_create(user=stranger, data={**data, "amends": "RAII-2026-0042"})
    with pytest.raises(ValidationFailed):
        services.agreement_create(user=local, data={**data, "amends": "NO-EXISTE"})
    client.force_login(stranger)
    url = reverse("agreements:agreement_create")
    assert client.get(url, {"modifica": "RAII-2026-0042", "tipo": "modification"}).status_code == 403

    client.force_login(local)
    form = client.get(url, {"modifica": "RAII-2026-0042", "tipo": "modification"})
    assert form.status_code == 200
    html = form.content.decode()
    assert "modifica o prorroga el acuerdo inscrito con el número RAII-2026-0042" in html
    assert form.context["form"].initial["title"].startswith("Modificación — ")
    assert "Case kind" not in html and "Amends" not in html  # hidden, never labelled with a key

    RegistryEntry.objects.filter(registry_number="RAII-2026-0042").update(terminated_on=services.today())
    with pytest.raises(PermissionDenied):
        services.agreement_create(user=local, data={**data, "amends": "RAII-2026-0042"})


def test_an_amendment_cannot_take_a_number_already_in_the_registry(cases):
    cases.closed("RAII-2026-0042")
    cases.defaults = {"case_kind": "modification", "amends": "RAII-2026-0042"}
    case = cases.registration_requested()
    with pytest.raises(ValidationFailed, match="ya está asignado"):
        services.agreement_register(
            user=cases.cja,
            agreement_id=case.pk,
            registry_number="RAII-2026-0042",
            registered_on=services.today(),
            recommendations_incorporated=True,
        )
