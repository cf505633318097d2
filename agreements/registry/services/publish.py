"""Step 12 of the case workflow publishes through :func:`registry_publish`, with plain values only: the registry
never reads the case (``agreements.Agreement``), it keeps its id (a string foreign key) to link back."""

from __future__ import annotations

from typing import Any

from agreements.choices import CaseKind, RegistrySource
from portal.core.queueing import enqueue_on_commit
from portal.core.statements import InsertRows, KeyedRows
from portal.institutions.choices import Level
from portal.institutions.models import Institution

from ..columns import PUBLISHED_FIELDS
from ..models import RegistryAmendment, RegistryEntry
from .certificates import registry_certificate_issue_task
from .entries import _derived, _registry_changed_on_commit, _set_themes

__all__ = ["registry_publish"]

# Published fields that are relations (many-to-many): written after the entry is saved.
_RELATIONS = frozenset(field.name for field in RegistryEntry._meta.many_to_many)


def registry_publish(
    *,
    agreement_id: int,
    case_kind: str,
    amends_entry_id: int | None,
    institution: Institution,
    **published: Any,
) -> None:
    """Publish a closed case: an original becomes a public entry, its certificate of inscription issued by a task
    queued on commit (``certificates``: rendering the PDF does not hold the case's lock; the beat catches up a lost
    one); a modification or extension is inscribed with its own number against the entry it amends
    (``amends_entry_id``), whose validity becomes the amendment's. Runs in the caller's transaction (step 12).

    ``published`` holds the case's value of every field of ``columns.PUBLISHED_FIELDS`` (``themes``: their keys),
    no more and no fewer; the signing office, its state and municipality and the level come from ``institution``
    (the case's, loaded with the locked case).
    """
    missing, unknown = set(PUBLISHED_FIELDS) - published.keys(), published.keys() - set(PUBLISHED_FIELDS)
    if missing or unknown:
        raise TypeError(f"registry_publish(): missing {sorted(missing)}, unknown {sorted(unknown)}")
    if case_kind == CaseKind.ORIGINAL:
        entry = _entry_publish(agreement_id=agreement_id, institution=institution, published=published)
        enqueue_on_commit(registry_certificate_issue_task, entry.pk, catch_up="the certificates' beat catch-up")
    else:
        _amendment_publish(
            agreement_id=agreement_id,
            entry_id=amends_entry_id,
            kind=case_kind,
            registry_number=published["registry_number"],
            signed_on=published["signed_on"],
            registered_on=published["registered_on"],
            expires_on=published["expires_on"],
            automatic_renewal=published["automatic_renewal"],
        )
    _registry_changed_on_commit()


# The entry already published under a number (its key only: a new number, every close but a re-publication, costs
# no entry's columns to build), the statement built once (``KeyedRows``); unique: no ORDER BY nor LIMIT.
_ENTRY_BY_NUMBER = KeyedRows(
    RegistryEntry.objects.order_by().values_list("pk"), key_field="registry_number", text_key=True
)


_ENTRY_INSERT = InsertRows(RegistryEntry)
_THEME_ROW = RegistryEntry.themes.through
_THEMES_INSERT = InsertRows(_THEME_ROW)


def _entry_publish(*, agreement_id: int, institution: Institution, published: dict[str, Any]) -> RegistryEntry:
    """The public data of the case only; a re-publication under the same number updates the entry.

    Not ``full_clean``'d: the values are a case's that ``Agreement.full_clean`` (its counterpart place and country,
    the same validators), step 11 (inscribed after signing) and its institution (level and geography, also a
    database check here) already validated, and ``full_clean`` would cost some 25 statements (each foreign key,
    each uniqueness, each check constraint) at a step nobody can correct input in.
    """
    level = Level.MUNICIPAL if institution.level == Level.MUNICIPAL else Level.STATE
    registry_number = published["registry_number"]
    found = _ENTRY_BY_NUMBER(registry_number)
    existing = RegistryEntry.objects.get(pk=found[0][0]) if found else None
    entry = existing or RegistryEntry(registry_number=registry_number)
    for name in PUBLISHED_FIELDS:
        if name in _RELATIONS:  # kept beside their rows: the themes' keys (``_set_themes``)
            continue
        setattr(entry, name, published[name])
    entry.theme_keys = sorted(set(published["themes"]))
    entry.level = level
    entry.state_id = institution.state_id
    entry.municipality_id = institution.municipality_id if level == Level.MUNICIPAL else None
    entry.signing_office = institution.name
    entry.institution = institution
    entry.expiry_reminder_stage = None
    entry.agreement_id = agreement_id
    entry.source = RegistrySource.WORKFLOW
    _derived(entry)
    if existing is None:  # every close but a re-publication: the entry's and its themes' INSERTs built once
        _ENTRY_INSERT.save_new(entry)
        _THEMES_INSERT([_THEME_ROW(registryentry_id=entry.pk, theme_id=key) for key in entry.theme_keys])
    else:
        entry.save()
        _set_themes([entry])
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
