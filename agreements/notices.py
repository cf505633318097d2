"""The agreements' notices: their parameters as template variables and the files their e-mails carry.

Registered with ``portal.notifications.events`` by ``AgreementsConfig.ready``. Parameters are plain JSON
(codes, ISO dates, numbers, what people wrote); turning them into template variables needs no query, so a list
of notices renders in a constant number of queries. Only the filer's receipt (step 4) and the dictamen's
delivery (step 8) carry a file: the acuse de recibo and the reply letter.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from portal.notifications.choices import NoticeEvent
from portal.notifications.events import Attachment

from .choices import DictamenOutcome, DocumentKind
from .models import Document

DATE_PARAMS = ("cja_deadline", "registered_on", "signed_on", "expires_on")
DATETIME_PARAMS = ("submitted_at",)
# The events whose e-mail carries the documents named in ``params["attachments"]`` (the filer's, only).
ATTACHING_EVENTS = frozenset({NoticeEvent.RECEIPT, NoticeEvent.DICTAMEN_DELIVERED})
TERMINATION_EVENTS = frozenset(
    {NoticeEvent.TERMINATION_REQUESTED, NoticeEvent.TERMINATION_CONFIRMED, NoticeEvent.TERMINATION_RETURNED}
)


def _date(value):
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _datetime(value):
    try:
        return timezone.localtime(dt.datetime.fromisoformat(value))
    except (TypeError, ValueError):
        return None


def notice_context(event: str, params: dict, agreement) -> dict:
    context = {}
    for key in DATE_PARAMS:
        if key in params:
            context[key] = _date(params[key])
    for key in DATETIME_PARAMS:
        if key in params:
            context[key] = _datetime(params[key])
    if params.get("outcome") in DictamenOutcome.values:
        context["outcome_label"] = DictamenOutcome(params["outcome"]).label
    if "documents" in params:
        labels = dict(DocumentKind.choices)
        context["documents"] = [
            {**d, "kind_label": labels.get(d.get("kind"), d.get("kind"))} for d in params["documents"]
        ]
    if event == NoticeEvent.EXPIRY_REMINDER:
        context["entry"] = SimpleNamespace(
            **{**params.get("entry", {}), "expires_on": _date(params.get("entry", {}).get("expires_on"))}
        )
    if event in TERMINATION_EVENTS:
        context["entry"] = SimpleNamespace(**params.get("entry", {}))
        termination = params.get("termination", {})
        context["termination"] = SimpleNamespace(
            **{**termination, "terminated_on": _date(termination.get("terminated_on"))}
        )
    return context


def notice_attachments(event: str, params: dict) -> list[Attachment]:
    ids = params.get("attachments") or []
    if event not in ATTACHING_EVENTS or not ids:
        return []
    found = []
    for document in Document.objects.filter(pk__in=ids).order_by("pk"):
        with document.file.open("rb") as f:
            found.append(Attachment(document.original_name, f.read(), document.content_type))
    return found
