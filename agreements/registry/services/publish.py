"""Step 12 of the case workflow publishes through :func:`registry_publish`, with plain values only: the registry
never reads the case (``agreements.Agreement``), it keeps its id (a string foreign key) to link back."""

from __future__ import annotations

import datetime as dt

from agreements.choices import CaseKind, RegistrySource
from portal.core.queueing import on_commit
from portal.institutions.choices import Level
from portal.institutions.models import Institution

from ..models import RegistryAmendment, RegistryEntry
from .entries import _derived, _registry_changed, _set_themes, registry_certificate_issue

__all__ = ["registry_publish"]


def registry_publish(
    *,
    agreement_id: int,
    case_kind: str,
    amends_entry_id: int | None,
    registry_number: str,
    title: str,
    kind: str,
    institution_id: int,
    counterpart_name: str,
    counterpart_type: str,
    counterpart_country: str,
    counterpart_subdivision: str,
    signed_on: dt.date,
    signed_place: str,
    registered_on: dt.date,
    expires_on: dt.date | None,
    automatic_renewal: bool,
    themes: list[str],
    is_demo: bool,
) -> None:
    """Publish a closed case: an original becomes a public entry with its certificate of inscription; a
    modification or extension is inscribed with its own number against the entry it amends (``amends_entry_id``),
    whose validity becomes the amendment's. Runs in the caller's transaction (the case's step 12)."""
    if case_kind == CaseKind.ORIGINAL:
        entry = _entry_publish(
            agreement_id=agreement_id,
            registry_number=registry_number,
            title=title,
            kind=kind,
            institution=Institution.objects.get(pk=institution_id),
            counterpart_name=counterpart_name,
            counterpart_type=counterpart_type,
            counterpart_country=counterpart_country,
            counterpart_subdivision=counterpart_subdivision,
            signed_on=signed_on,
            signed_place=signed_place,
            registered_on=registered_on,
            expires_on=expires_on,
            automatic_renewal=automatic_renewal,
            themes=themes,
            is_demo=is_demo,
        )
        registry_certificate_issue(entry_id=entry.pk)
    else:
        _amendment_publish(
            agreement_id=agreement_id,
            entry_id=amends_entry_id,
            kind=case_kind,
            registry_number=registry_number,
            signed_on=signed_on,
            registered_on=registered_on,
            expires_on=expires_on,
            automatic_renewal=automatic_renewal,
        )
    on_commit(_registry_changed)


def _entry_publish(*, agreement_id, registry_number, institution, themes, **values) -> RegistryEntry:
    """The public data of the case only; a re-publication under the same number updates the entry."""
    level = Level.MUNICIPAL if institution.level == Level.MUNICIPAL else Level.STATE
    entry = RegistryEntry.objects.filter(registry_number=registry_number).first() or RegistryEntry(
        registry_number=registry_number
    )
    for name, value in values.items():
        setattr(entry, name, value)
    entry.level = level
    entry.state_id = institution.state_id
    entry.municipality_id = institution.municipality_id if level == Level.MUNICIPAL else None
    entry.signing_office = institution.name
    entry.institution = institution
    entry.expiry_reminder_stage = None
    entry.agreement_id = agreement_id
    entry.source = RegistrySource.WORKFLOW
    _derived(entry, themes)
    entry.save()
    _set_themes([(entry, themes)])
    return entry


def _amendment_publish(
    *, agreement_id, entry_id, kind, registry_number, signed_on, registered_on, expires_on, automatic_renewal
) -> RegistryAmendment:
    entry = RegistryEntry.objects.select_for_update().get(pk=entry_id)
    amendment, _created = RegistryAmendment.objects.update_or_create(
        agreement_id=agreement_id,
        defaults={
            "entry": entry,
            "kind": kind,
            "registry_number": registry_number,
            "signed_on": signed_on,
            "registered_on": registered_on,
            "expires_on": expires_on,
        },
    )
    entry.expires_on = expires_on
    entry.automatic_renewal = automatic_renewal
    entry.expiry_reminder_stage = None
    entry.save(update_fields=["expires_on", "automatic_renewal", "expiry_reminder_stage", "updated_at"])
    return amendment
