"""The agreements section of state and municipal profiles, with internationalisation indicators."""

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from agreements.registry.models import RegistryEntry, RegistryStat
from agreements.registry.selectors.entries import in_force_q
from portal.geography.government import government_of
from portal.geography.models import State

from . import visibility, workflow
from .choices import Region, StatDimension
from .models import Agreement

KEY = "agreements"
ORDER = 30
COMPARISON_COLUMNS = [
    ("agreements", _("Acuerdos registrados")),
    ("in_force", _("Acuerdos vigentes")),
]
LIST_SIZE = 10


def registry_counts_by_state(codes=None, *, today=None) -> dict[str, dict[str, int]]:
    """``{state code: {"total", "in_force"}}`` for every state (0 where the registry has none).

    The one source of these figures: the state page, the 32-state comparison, the state map and the API read
    it, so they cannot disagree (the registry is complete: no entry means 0, not "sin datos"). Read from the
    statistics summary the database keeps per state (``RegistryStat``: each state's entries by end and
    termination dates), not by counting the registry; ``in_force`` by the one rule, on ``today``."""
    rows = RegistryStat.objects.filter(dimension=StatDimension.VALIDITY, year=0).exclude(state_code="").order_by()
    states = State.objects.order_by("code")
    if codes is not None:
        rows, states = rows.filter(state_code__in=codes), states.filter(code__in=codes)
    counts = {code: {"total": 0, "in_force": 0} for code in states.values_list("code", flat=True)}
    rows = rows.values("state_code").annotate(
        total=Sum("entries"), in_force=Sum("entries", filter=in_force_q(today), default=0)
    )
    for row in rows:
        if row["state_code"] in counts:
            counts[row["state_code"]] = {"total": row["total"], "in_force": row["in_force"]}
    return counts


def _section(government, entries, cases, user) -> dict:
    totals = entries.order_by().aggregate(
        total=Count("id"),
        in_force=Count("id", filter=in_force_q()),
        with_us=Count("id", filter=Q(counterpart_country="US")),
    )
    if government.kind == "state":
        totals.update(registry_counts_by_state([government.code])[government.code])
    periods: dict[int, int] = {}
    for row in entries.order_by().annotate(year=ExtractYear("signed_on")).values("year").annotate(n=Count("id")):
        start = row["year"] - row["year"] % 5
        periods[start] = periods.get(start, 0) + row["n"]
    regions = dict(Region.choices)
    by_region = [
        {"key": r["region"], "label": regions.get(r["region"], r["region"]), "count": r["n"]}
        for r in entries.order_by().values("region").annotate(n=Count("id")).order_by("-n", "region")
    ]
    # Only the cases this reader may open are counted: a public page never reveals non-public cases (nor drafts,
    # which are not before the SRE at all).
    open_cases = cases.filter(status__in=workflow.SENT_OPEN_STATUSES)
    visible = visibility.reader_view(Agreement.objects.visible_to(user), user).filter(pk__in=open_cases.values("pk"))
    return {
        "template": "agreements/includes/_profile_section.html",
        "government": government,
        "total": totals["total"],
        "in_force": totals["in_force"],
        "us_share": round(100 * totals["with_us"] / totals["total"], 1) if totals["total"] else None,
        "periods": [{"label": f"{start}–{start + 4}", "count": periods[start]} for start in sorted(periods)],
        "by_region": by_region,
        "entries": list(
            entries.filter(in_force_q())
            .select_related("state", "municipality")
            .order_by("-signed_on", "-id")[:LIST_SIZE]
        ),
        "in_review": visible.count(),
        "visible_cases": list(visible.select_related("institution").order_by("-created_at")[:LIST_SIZE]),
    }


def state_section(state, user) -> dict:
    return _section(
        government_of(state),
        RegistryEntry.objects.filter(state_id=state.code),
        Agreement.objects.filter(institution__state_id=state.code),
        user,
    )


def municipality_section(municipality, user) -> dict:
    return _section(
        government_of(municipality),
        RegistryEntry.objects.filter(municipality_id=municipality.inegi_code),
        Agreement.objects.filter(institution__municipality_id=municipality.inegi_code),
        user,
    )


def comparison_values() -> dict[str, dict]:
    return {
        code: {"agreements": c["total"], "in_force": c["in_force"]} for code, c in registry_counts_by_state().items()
    }


def state_data(state, request) -> dict:
    section = state_section(state, request.user)
    return {
        "agreements": {key: section[key] for key in ("total", "in_force", "in_review", "us_share", "periods")}
        | {"by_region": [{"key": r["key"], "count": r["count"]} for r in section["by_region"]]}
    }
