"""Every count a page shows comes from one selector: state page, 32-state comparison, map and API agree."""

import re

import pytest
from django.urls import reverse

from agreements.choices import Status
from agreements.registry import services as agreement_services
from tests.factories import local_official
from tests.registry.test_registry import csv_bytes

pytestmark = pytest.mark.django_db


def _column(response, key):
    keys = [k for k, _label in response.context["columns"]]
    return {row["state"].code: row["values"][keys.index(key)] for row in response.context["rows"]}


def test_registered_agreements_are_zero_not_sin_datos_in_the_comparison(client):
    assert agreement_services.registry_import(content=csv_bytes()).ok
    comparison = client.get(reverse("geography:state_comparison"))
    agreements, in_force = _column(comparison, "agreements"), _column(comparison, "in_force")
    assert agreements["04"] == 0 and in_force["04"] == 0  # Campeche: the registry has none, which is a fact
    assert agreements["26"] == 3 and agreements["14"] == 2
    for code in ("04", "14", "26", "07"):
        page = client.get(reverse("geography:state_detail", args=[code]))
        section = next(s for s in page.context["sections"] if "in_force" in s)
        assert (section["total"], section["in_force"]) == (agreements[code], in_force[code])
        api = client.get(reverse("api:state-detail", args=[code])).json()
        assert (api["agreements"]["total"], api["agreements"]["in_force"]) == (agreements[code], in_force[code])
    directory = client.get(reverse("geography:state_list"))
    assert {s["state"].code: s["count"] for s in directory.context["shapes"] if s["state"]}["26"] == 3


def test_un_partnerships_agree_between_comparison_and_state_page(client):
    comparison = client.get(reverse("geography:state_comparison"))
    un = _column(comparison, "un_partnerships")
    assert un["07"] == 2  # Tapachula's two agreements with UNHCR
    chiapas = client.get(reverse("geography:state_detail", args=["07"]))
    section = next(s for s in chiapas.context["sections"] if "partnership_count" in s)
    assert section["un_partnership_count"] == un["07"]
    html = chiapas.content.decode()
    assert "Alianzas con organismos (0)" not in html and "Acuerdo Tapachula–ACNUR 2017" in html
    assert "2 con agencias de la ONU." in html
    nuevo_leon = client.get(reverse("geography:state_detail", args=["19"]))
    section = next(s for s in nuevo_leon.context["sections"] if "partnership_count" in s)
    assert section["un_partnership_count"] == _column(comparison, "un_partnerships")["19"] == 4
    assert [m.network.acronym for m in section["memberships"]] == ["ICC"]  # Guadalupe's, as the comparison counts
    assert _column(comparison, "networks")["19"] == 1


def test_public_pages_do_not_count_cases_the_reader_cannot_see(client):
    from agreements.models import Agreement

    official = local_official()
    Agreement.objects.bulk_create(
        [
            Agreement(
                title=f"Caso {status}",
                kind="twinning",
                institution=official.institution,
                created_by=official,
                counterpart_name="Ciudad X",
                counterpart_type="government",
                intended_signing_date="2030-01-01",
                intended_signing_place="X",
                status=status,
            )
            for status in (Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW)
        ]
    )
    code = official.institution.state_id
    html = client.get(reverse("geography:state_detail", args=[code])).content.decode()
    assert "en trámite ante la SRE" not in html
    assert client.get(reverse("api:state-detail", args=[code])).json()["agreements"]["in_review"] == 0
    client.force_login(official)
    html = client.get(reverse("geography:state_detail", args=[code])).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "2 en trámite ante la SRE" in text  # the filer's own sent cases; never the draft
