"""The follow-up's notices as template variables: plain parameters made into dates, no query."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from portal.notifications.choices import NoticeEvent

EVENTS = frozenset({NoticeEvent.FOLLOWUP_PLAN_MISSING, NoticeEvent.FOLLOWUP_REPORT_DUE})


def _date(value):
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def notice_context(event: str, params: dict, agreement) -> dict:
    if event not in EVENTS:
        return {}
    entry = params.get("entry", {})
    return {
        "entry": SimpleNamespace(**{**entry, "registered_on": _date(entry.get("registered_on"))}),
        "due_on": _date(params.get("due_on")),
        "period_end": _date(params.get("period_end")),
    }
