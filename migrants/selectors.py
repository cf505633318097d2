"""Reads of migrant-attention offices and migration profiles (used by profiles and the API)."""

from django.db.models import Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from portal.audit.history import HistoryEntry, history_entries
from portal.audit.models import AuditEvent

from .choices import Population, Service
from .models import MigrantOffice, MigrationProfile


def office_list():
    return MigrantOffice.objects.with_related().prefetch_related("offices_abroad")


def office_directory():
    """The offices as the public list orders them: by level, state and name. ``state_key`` is the state's code
    ("" for none), so that a page's cursor never holds a NULL."""
    return office_list().annotate(state_key=Coalesce("institution__state_id", Value("")))


def office_detail(*, pk: int) -> MigrantOffice:
    return get_object_or_404(office_list(), pk=pk)


def office_history(*, office: MigrantOffice, limit: int = 50) -> list[HistoryEntry]:
    """Who changed what and when, newest first (django-simple-history rows; two queries whatever the length)."""
    return history_entries(
        office.history.select_related("history_user").order_by("-history_date", "-history_id"),
        limit=limit,
        vocabularies={"populations": Population, "services": Service},
    )


def office_legacy_audit(office: MigrantOffice):
    """Events written by the hand-made audit before the history existed (read-only, kept for the record)."""
    return AuditEvent.objects.for_object(office).select_related("actor")


def offices_for_state(state_code: str) -> list[MigrantOffice]:
    return list(
        office_list().filter(institution__state_id=state_code).order_by("institution__level", "institution__name")
    )


def offices_for_municipality(inegi_code: str) -> list[MigrantOffice]:
    return list(office_list().filter(institution__municipality_id=inegi_code))


def profile_for(*, state_code: str | None = None, inegi_code: str | None = None) -> MigrationProfile | None:
    if state_code:
        return MigrationProfile.objects.filter(state_id=state_code).first()
    return MigrationProfile.objects.filter(municipality_id=inegi_code).first()


def state_profiles() -> dict[str, MigrationProfile]:
    return {p.state_id: p for p in MigrationProfile.objects.filter(state__isnull=False)}
