"""What keeps a profile's cost flat as the registry and the cases grow: bounded follow-up lists, the state's figures
from the registry's statistics summary, the per-state totals cached per registry version, and the same statements
for a rich government as for a poor one."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements import profiles as agreement_profiles
from agreements.followup import profiles as followup_profiles
from agreements.followup import selectors as followup
from agreements.registry import services as agreement_services
from agreements.registry.models import RegistryEntry
from agreements.registry.selectors import (
    cached_registry_counts_by_state,
    in_force_q,
    registry_counts_by_state,
    state_entries_ending,
    state_registry_figures,
)
from portal.geography.government import get_government
from portal.geography.models import Municipality, State
from tests.factories import RegistryEntryFactory
from tests.registry.test_registry import ROWS, csv_bytes

from .conftest import TODAY, make_entry, plan_for

pytestmark = pytest.mark.django_db

LIST_SIZE = followup_profiles.LIST_SIZE


def _jalisco_registry():
    """Entries of Jalisco over several years, regions and end dates; one with the US, one terminated."""
    for i, (years_ago, country, region, expires_in) in enumerate(
        [
            (1, "US", "north_america", None),
            (3, "BE", "europe", 100),
            (7, "BE", "europe", -30),
            (12, "JP", "asia", 400),
            (12, "US", "north_america", 10),
        ]
    ):
        signed_on = TODAY - dt.timedelta(days=365 * years_ago)
        RegistryEntryFactory(
            registry_number=f"PC-{i}",
            counterpart_country=country,
            region=region,
            signed_on=signed_on,
            expires_on=None if expires_in is None else TODAY + dt.timedelta(days=expires_in),
        )
    RegistryEntryFactory(registry_number="PC-T", terminated_on=TODAY - dt.timedelta(days=1))
    RegistryEntryFactory(registry_number="PC-OTHER", state_id="26", counterpart_country="US")


def test_state_registry_figures_are_the_live_counts():
    _jalisco_registry()
    entries = RegistryEntry.objects.filter(state_id="14").order_by()
    figures = state_registry_figures("14")
    assert figures["with_us"] == entries.filter(counterpart_country="US").count() == 2
    years = entries.annotate(year=ExtractYear("signed_on")).values("year").annotate(n=Count("id"))
    assert figures["years"] == {row["year"]: row["n"] for row in years}
    assert figures["regions"] == {r["region"]: r["n"] for r in entries.values("region").annotate(n=Count("id"))}
    assert state_registry_figures("04") == {"with_us": 0, "years": {}, "regions": {}}


@pytest.mark.parametrize("days", [0, 20, 200])
def test_state_entries_ending_is_the_live_count(days):
    _jalisco_registry()
    today = TODAY + dt.timedelta(days=days)
    until = today + dt.timedelta(days=365)
    live = RegistryEntry.objects.filter(in_force_q(today), state_id="14", expires_on__lte=until).count()
    assert state_entries_ending("14", until, today=today) == live
    assert live > 0


def test_state_page_figures_are_the_same_as_counting_the_registry(client):
    _jalisco_registry()
    section = next(s for s in client.get("/estados/14/").context["sections"] if "us_share" in s)
    entries = RegistryEntry.objects.filter(state_id="14")
    total = entries.count()
    assert (section["total"], section["in_force"]) == (total, entries.filter(in_force_q()).count())
    assert section["us_share"] == round(100 * entries.filter(counterpart_country="US").count() / total, 1)
    assert sum(p["count"] for p in section["periods"]) == total
    assert [(r["key"], r["count"]) for r in section["by_region"]] == [
        ("europe", 3),  # PC-T is from Valonia too
        ("north_america", 2),
        ("asia", 1),
    ]


def test_counts_by_state_are_cached_until_the_registry_changes_or_the_day_ends(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the import's commit bumps the registry version
        assert agreement_services.registry_import(content=csv_bytes()).ok
    counted = registry_counts_by_state()
    assert cached_registry_counts_by_state() == counted
    with CaptureQueriesContext(connection) as read:
        assert cached_registry_counts_by_state() == counted
    assert len(read) == 0  # read from the cache
    with django_capture_on_commit_callbacks(execute=True):
        assert agreement_services.registry_import(content=csv_bytes([r.replace("R-00", "S-00") for r in ROWS])).ok
    assert cached_registry_counts_by_state() == registry_counts_by_state() != counted  # a new registry version
    later = TODAY + dt.timedelta(days=3650)  # another day: counted on that day, not the cached one
    assert cached_registry_counts_by_state(later) == registry_counts_by_state(today=later) != registry_counts_by_state()


@pytest.fixture
def followed(office, local):
    """LIST_SIZE + 3 followed agreements of Jalisco without a plan (two ending within the year), one with an
    overdue report and one on track; and one of another state."""
    for i in range(LIST_SIZE + 3):
        make_entry(f"NP-{i:03d}", institution=office, expires_on=TODAY + dt.timedelta(days=30 + i) if i < 2 else None)
    plan_for(make_entry("PL-OVERDUE", institution=office), local, starts_on=TODAY - relativedelta(months=9))
    plan_for(make_entry("PL-OK", institution=office), local, starts_on=TODAY - relativedelta(months=1))
    make_entry("NP-SONORA", institution=office, state_id="26")


def test_follow_up_counts_are_the_status_of_every_followed_agreement(followed):
    jalisco = get_government("estado", "14")
    every = followup.with_followup_status(followup.followed_entries().filter(state_id="14"))
    result = followup.government_followup(jalisco, limit=5)
    assert result["counts"] == followup.status_counts(every)
    assert result["counts"]["no_plan"] == LIST_SIZE + 3 and result["total"] == LIST_SIZE + 5
    assert [e.registry_number for e in result["entries"]] == sorted(e.registry_number for e in every)[:5]
    assert [e.followup_status for e in result["entries"]] == [
        {e.registry_number: e.followup_status for e in every}[e.registry_number] for e in result["entries"]
    ]


def test_open_commitments_are_bounded_and_say_how_many_more(followed):
    jalisco = get_government("estado", "14")
    complete = followup.open_commitments(jalisco)
    bounded = followup.open_commitments(jalisco, limit=LIST_SIZE)
    assert len(complete["no_plan"]) == LIST_SIZE + 3
    assert bounded["no_plan"] == complete["no_plan"][:LIST_SIZE] and bounded["more"]["no_plan"] == 3
    assert [e.registry_number for e in bounded["overdue_reports"]] == ["PL-OVERDUE"]
    assert bounded["expiring"] == complete["expiring"] and len(complete["expiring"]) == 2
    assert bounded["more"] == {"overdue_reports": 0, "late": 0, "no_plan": 3, "expiring": 0}
    one = followup.open_commitments(jalisco, limit=1)
    assert [e.registry_number for e in one["expiring"]] == ["NP-000"] and one["more"]["expiring"] == 1


def test_the_profile_lists_at_most_list_size_commitments_of_each_kind(client, followed):
    html = client.get(reverse("geography:state_detail", args=["14"])).content.decode()
    assert html.count("Sin plan de trabajo: NP-") == LIST_SIZE
    assert f"Sin plan de trabajo: NP-{LIST_SIZE - 1:03d}" in html and f"NP-{LIST_SIZE:03d} ·" not in html
    assert "y 3 acuerdos más" in html  # the commitments without a plan not listed
    assert "y 5 acuerdos más" in html  # the followed agreements not listed (LIST_SIZE + 5 in all)
    assert "Informe semestral vencido: PL-OVERDUE" in html


def _statements(fetch) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        fetch()
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize("module", [agreement_profiles, followup_profiles])
def test_a_rich_government_costs_the_same_statements_as_a_poor_one(followed, module):
    """Jalisco (agreements, plans, commitments) against Campeche and Calkiní (nothing): the same statements."""
    _jalisco_registry()
    cached_registry_counts_by_state()  # as the registry's writes warm it
    jalisco, campeche = State.objects.get(code="14"), State.objects.get(code="04")
    rich = _statements(lambda: module.state_section(jalisco, AnonymousUser()))
    poor = _statements(lambda: module.state_section(campeche, AnonymousUser()))
    assert len(rich) == len(poor), "\n".join(rich + ["---"] + poor)
    guadalajara, calkini = Municipality.objects.get(inegi_code="14039"), Municipality.objects.get(inegi_code="04001")
    make_entry("NP-GDL", institution=None, state_id="14", municipality_id="14039")
    rich = _statements(lambda: module.municipality_section(guadalajara, AnonymousUser()))
    poor = _statements(lambda: module.municipality_section(calkini, AnonymousUser()))
    assert len(rich) == len(poor), "\n".join(rich + ["---"] + poor)


def test_the_handover_lists_every_open_commitment(client, followed):
    """The printable entrega-recepción is what a new administration inherits: no «y N más» in it."""
    html = client.get(reverse("geography:handover", args=["estado", "14"])).content.decode()
    assert html.count("Sin plan de trabajo: NP-") == LIST_SIZE + 3
    assert f"Sin plan de trabajo: NP-{LIST_SIZE + 2:03d}" in html
    assert "acuerdos más" not in html and "acuerdo más" not in html
