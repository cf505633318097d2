"""The follow-up section of state and municipal profiles (and so of the handover report, which shows the same
sections): implementation status of each followed agreement and the open commitments a new administration
inherits. Statuses are public; plans, contacts and evidence stay behind the follow-up pages' permissions."""

from django.urls import reverse
from django.utils import timezone

from portal.geography.government import government_of
from portal.geography.profiles import cached_section_data

from . import selectors
from .choices import FollowupStatus
from .permissions import visible_entry_ids_filter

KEY = "followup"
ORDER = 40
COMPARISON_COLUMNS = []
LIST_SIZE = 20


def _section(government, user, *, complete: bool = False) -> dict:
    limit = None if complete else LIST_SIZE  # the handover lists every open commitment; the page its first ones

    def read():
        followup = selectors.government_followup(government, limit=limit)
        return followup, selectors.open_commitments(government, limit=limit, followup=followup)

    followup, commitments = cached_section_data(KEY, government, read, variant=f"limit={limit}")
    labels = dict(FollowupStatus.choices)
    scope = visible_entry_ids_filter(user)  # one decision for the whole list (no query per entry)

    def readable(entry):
        return scope == {} or (bool(scope) and entry.institution_id == scope["institution_id"])

    entries = [
        {
            "entry": entry,
            "status": entry.followup_status,
            "status_label": labels[entry.followup_status],
            "url": reverse("followup:entry_detail", args=[entry.registry_number]) if readable(entry) else "",
        }
        for entry in followup["entries"]
    ]
    return {
        "template": "followup/includes/_profile_section.html",
        "government": government,
        "counts": [(s.value, s.label, followup["counts"][s.value]) for s in FollowupStatus],
        "total": followup["total"],
        "entries": entries,
        "more": max(0, followup["total"] - len(entries)),
        "commitments": commitments,
        "annual_report_url": annual_report_url(government),
    }


def annual_report_url(government, year=None) -> str:
    kind = "estado" if government.kind == "state" else "municipio"
    return reverse("followup:annual_report", args=[kind, government.code, year or timezone.localdate().year])


def state_section(state, user, *, complete: bool = False) -> dict:
    return _section(government_of(state), user, complete=complete)


def municipality_section(municipality, user, *, complete: bool = False) -> dict:
    return _section(government_of(municipality), user, complete=complete)


def comparison_values() -> dict[str, dict]:
    return {}


def state_data(state, request) -> dict:
    counts = selectors.government_followup(government_of(state), limit=0)["counts"]
    return {"followup": {"status_counts": counts}}
