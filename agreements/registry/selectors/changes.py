"""What changed in the public registry, newest first: the Atom feed's entries and the dataset's modified date.

Each change is one :class:`RegistryChange` of a kind (:class:`~agreements.choices.RegistryChangeKind`). Today
the registry records inscriptions; amendments, extensions and terminations become further kinds, each read
from its own table by one more ``_<kind>_changes`` function merged in :func:`registry_changes`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max
from django.urls import reverse

from agreements.choices import RegistryChangeKind, TerminationStatus

from ..models import RegistryEntry, Termination

__all__ = ["FEED_SIZE", "RegistryChange", "registry_changes", "registry_last_modified"]

FEED_SIZE = 50


@dataclass(frozen=True)
class RegistryChange:
    kind: RegistryChangeKind
    registry_number: str
    title: str
    government: str
    counterpart: str
    happened_on: dt.date  # the date of the change in the registry (inscription, amendment, ...)
    recorded_at: dt.datetime  # when the portal recorded it
    path: str  # the registry entry's page

    @property
    def key(self) -> str:
        """Stable and unique per change: the entry, the kind and the date."""
        return f"{self.registry_number}/{self.kind}/{self.happened_on.isoformat()}"


def _inscriptions(limit: int) -> list[RegistryChange]:
    entries = (
        RegistryEntry.objects.select_related("state", "municipality")
        .only(
            "registry_number",
            "title",
            "counterpart_name",
            "registered_on",
            "created_at",
            "state__name",
            "municipality__name",
        )
        .order_by("-registered_on", "-id")[:limit]
    )
    prefix = reverse("agreements:registry_detail", args=["0"])[:-2]
    return [
        RegistryChange(
            kind=RegistryChangeKind.INSCRIPTION,
            registry_number=entry.registry_number,
            title=entry.title,
            government=entry.municipality.name if entry.municipality_id else entry.state.name,
            counterpart=entry.counterpart_name,
            happened_on=entry.registered_on,
            recorded_at=entry.created_at,
            path=f"{prefix}{entry.registry_number}/",
        )
        for entry in entries
    ]


def _terminations(limit: int) -> list[RegistryChange]:
    confirmed = (
        Termination.objects.filter(status=TerminationStatus.CONFIRMED)
        .select_related("entry", "entry__state", "entry__municipality")
        .order_by("-decided_at", "-id")[:limit]
    )
    prefix = reverse("agreements:registry_detail", args=["0"])[:-2]
    return [
        RegistryChange(
            kind=RegistryChangeKind.TERMINATION,
            registry_number=t.entry.registry_number,
            title=t.entry.title,
            government=t.entry.municipality.name if t.entry.municipality_id else t.entry.state.name,
            counterpart=t.entry.counterpart_name,
            happened_on=t.decided_at.date(),
            recorded_at=t.decided_at,
            path=f"{prefix}{t.entry.registry_number}/",
        )
        for t in confirmed
    ]


def registry_changes(limit: int = FEED_SIZE) -> list[RegistryChange]:
    """The latest ``limit`` changes of every kind, newest first."""
    changes = _inscriptions(limit) + _terminations(limit)
    return sorted(changes, key=lambda c: (c.happened_on, c.recorded_at), reverse=True)[:limit]


def registry_last_modified() -> dt.datetime | None:
    """When the registry's published data last changed (None while it is empty)."""
    return RegistryEntry.objects.aggregate(last=Max("updated_at"))["last"]
