"""The agreements section of state and municipal profiles, with internationalisation indicators."""

from django.utils.translation import gettext_lazy as _

from agreements.registry.models import RegistryEntry
from agreements.registry.selectors.entries import in_force_q
from agreements.registry.selectors.stats import (
    cached_registry_counts_by_state,
    municipality_registry_figures,
    state_registry_figures,
)
from portal.geography.government import government_of
from portal.geography.profiles import cached_section_data

from . import visibility, workflow
from .choices import Region
from .models import Agreement

KEY = "agreements"
ORDER = 30
COMPARISON_COLUMNS = [
    ("agreements", _("Acuerdos registrados")),
    ("in_force", _("Acuerdos vigentes")),
]
LIST_SIZE = 10


def _state_figures(code: str) -> dict:
    """A state's figures from the statistics summary the database keeps (``RegistryStat``), not by counting its
    entries: the page costs the same whatever the registry's size."""
    return state_registry_figures(code) | cached_registry_counts_by_state()[code]


def _registry_part(government, figures, entries) -> tuple[dict, list]:
    """The government's registry figures and latest entries in force, kept under the profiles' version (every
    registry write bumps it) and today's date (what is in force depends on the day)."""

    def read():
        latest = entries.filter(in_force_q()).select_related("state", "municipality").order_by("-signed_on", "-id")
        return figures(), list(latest[:LIST_SIZE])

    return cached_section_data(KEY, government, read)


def _section(government, figures, entries, cases, user) -> dict:
    figures, latest = _registry_part(government, figures, entries)
    periods: dict[int, int] = {}
    for year, n in figures["years"].items():
        start = year - year % 5
        periods[start] = periods.get(start, 0) + n
    regions = dict(Region.choices)
    by_region = [
        {"key": key, "label": regions.get(key, key), "count": n}
        for key, n in sorted(figures["regions"].items(), key=lambda item: (-item[1], item[0]))
    ]
    # Only the cases this reader may open are counted: a public page never reveals non-public cases (nor drafts,
    # which are not before the SRE at all).
    open_cases = cases.filter(status__in=workflow.SENT_OPEN_STATUSES)
    visible = visibility.reader_view(Agreement.objects.visible_to(user), user).filter(pk__in=open_cases.values("pk"))
    total = figures["total"]
    return {
        "template": "agreements/includes/_profile_section.html",
        "government": government,
        "total": total,
        "in_force": figures["in_force"],
        "us_share": round(100 * figures["with_us"] / total, 1) if total else None,
        "periods": [{"label": f"{start}–{start + 4}", "count": periods[start]} for start in sorted(periods)],
        "by_region": by_region,
        "entries": latest,
        "in_review": visible.count(),
        "visible_cases": list(visible.select_related("institution").order_by("-created_at")[:LIST_SIZE]),
    }


def state_section(state, user, *, complete: bool = False) -> dict:
    # Figures and the latest cases, not a list to inherit (the registry itself is public): the same for ``complete``.
    return _section(
        government_of(state),
        lambda: _state_figures(state.code),
        RegistryEntry.objects.filter(state_id=state.code),
        Agreement.objects.filter(institution__state_id=state.code),
        user,
    )


def municipality_section(municipality, user, *, complete: bool = False) -> dict:
    entries = RegistryEntry.objects.filter(municipality_id=municipality.inegi_code)
    return _section(
        government_of(municipality),
        lambda: municipality_registry_figures(municipality.inegi_code),
        entries,
        Agreement.objects.filter(institution__municipality_id=municipality.inegi_code),
        user,
    )


def comparison_values() -> dict[str, dict]:
    return {
        code: {"agreements": c["total"], "in_force": c["in_force"]}
        for code, c in cached_registry_counts_by_state().items()
    }


def state_data(state, request) -> dict:
    section = state_section(state, request.user)
    return {
        "agreements": {key: section[key] for key in ("total", "in_force", "in_review", "us_share", "periods")}
        | {"by_region": [{"key": r["key"], "count": r["count"]} for r in section["by_region"]]}
    }
