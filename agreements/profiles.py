"""The agreements section of state and municipal profiles, with internationalisation indicators."""

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.geography.government import government_of

from . import workflow
from .choices import Region
from .models import Agreement, RegistryEntry

COMPARISON_COLUMNS = [
    ("agreements", _("Acuerdos registrados")),
    ("in_force", _("Acuerdos vigentes")),
]
LIST_SIZE = 10


def _in_force_q():
    return Q(expires_on__isnull=True) | Q(expires_on__gte=timezone.localdate())


def _section(government, entries, cases, user) -> dict:
    totals = entries.order_by().aggregate(
        total=Count("id"),
        in_force=Count("id", filter=_in_force_q()),
        with_us=Count("id", filter=Q(counterpart_country="US")),
    )
    periods: dict[int, int] = {}
    for row in entries.order_by().annotate(year=ExtractYear("signed_on")).values("year").annotate(n=Count("id")):
        start = row["year"] - row["year"] % 5
        periods[start] = periods.get(start, 0) + row["n"]
    regions = dict(Region.choices)
    by_region = [
        {"key": r["region"], "label": regions.get(r["region"], r["region"]), "count": r["n"]}
        for r in entries.order_by().values("region").annotate(n=Count("id")).order_by("-n", "region")
    ]
    open_cases = cases.filter(status__in=workflow.OPEN_STATUSES)
    visible = Agreement.objects.visible_to(user).filter(pk__in=open_cases.values("pk"))
    return {
        "template": "agreements/includes/_profile_section.html",
        "government": government,
        "total": totals["total"],
        "in_force": totals["in_force"],
        "us_share": round(100 * totals["with_us"] / totals["total"], 1) if totals["total"] else None,
        "periods": [{"label": f"{start}–{start + 4}", "count": periods[start]} for start in sorted(periods)],
        "by_region": by_region,
        "entries": list(
            entries.filter(_in_force_q())
            .select_related("state", "municipality")
            .order_by("-signed_on", "-id")[:LIST_SIZE]
        ),
        "in_review": open_cases.count(),
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
    rows = RegistryEntry.objects.values("state_id").annotate(n=Count("id"), in_force=Count("id", filter=_in_force_q()))
    return {r["state_id"]: {"agreements": r["n"], "in_force": r["in_force"]} for r in rows}


def state_data(state, request) -> dict:
    section = state_section(state, request.user)
    return {
        "agreements": {key: section[key] for key in ("total", "in_force", "in_review", "us_share", "periods")}
        | {"by_region": [{"key": r["key"], "count": r["count"]} for r in section["by_region"]]}
    }
