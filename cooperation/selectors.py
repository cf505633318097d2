"""Reads of organisations, partnerships, networks, focal points and administrations."""

from __future__ import annotations

from django.db.models import Count, Q

from migrants.models import MigrantOffice  # cooperation reads migrants (never the reverse)
from portal.geography.government import Government

from .choices import OrganisationKind
from .models import CityNetwork, FocalPoint, GovernmentTerm, NetworkMembership, Organisation, Partnership


def partnership_list():
    return Partnership.objects.select_related(
        "institution", "institution__state", "institution__municipality", "organisation"
    )


def _partnerships_of(government: Government):
    """A state's partnerships are its government's and its municipalities' (as the comparison counts them)."""
    return Partnership.objects.filter(**{f"institution__{k}": v for k, v in government.lookup.items()})


def _memberships_of(government: Government):
    if government.kind == "state":
        return NetworkMembership.objects.filter(Q(state_id=government.code) | Q(municipality__state_id=government.code))
    return NetworkMembership.objects.filter(municipality_id=government.code)


def partnerships_for(government: Government, *, with_values: bool = False) -> list[Partnership]:
    """A government's partnerships by organisation and year; ``with_values``: with their themes and populations
    (two more queries; the API shows them, the profile page and the annual report do not)."""
    partnerships = partnership_list().filter(pk__in=_partnerships_of(government).values("pk"))
    if with_values:
        partnerships = partnerships.with_values()
    return list(partnerships.order_by("organisation__name", "year"))


def memberships_for(government: Government) -> list[NetworkMembership]:
    return list(
        _memberships_of(government).select_related("network", "municipality").order_by("network__name", "joined_year")
    )


def focal_point_for(government: Government) -> FocalPoint | None:
    return FocalPoint.objects.filter(**government.lookup, is_current=True).select_related("institution").first()


def current_focal_point(*, institution) -> FocalPoint | None:
    """The liaison of ``institution``: its own current focal point, else its government's."""
    own = FocalPoint.objects.filter(institution=institution, is_current=True).order_by("-designated_on", "-id").first()
    if own is not None or not institution.state_id:
        return own
    if institution.municipality_id:
        lookup = {"municipality_id": institution.municipality_id}
    else:
        lookup = {"state_id": institution.state_id, "municipality__isnull": True}
    return FocalPoint.objects.filter(**lookup, is_current=True).order_by("-designated_on", "-id").first()


def focal_point_history(government: Government) -> list[FocalPoint]:
    return list(FocalPoint.objects.filter(**government.lookup).order_by("-designated_on", "-id"))


def organisation_list():
    return Organisation.objects.annotate(partnership_count=Count("partnerships"))


def network_list():
    return CityNetwork.objects.prefetch_related("memberships__state", "memberships__municipality__state")


def focal_point_list():
    return FocalPoint.objects.select_related("state", "municipality", "municipality__state", "institution")


def current_term(government: Government) -> GovernmentTerm | None:
    return GovernmentTerm.objects.filter(**government.lookup).order_by("-started_on").first()


def state_counts() -> dict[str, dict[str, int]]:
    """Per state (its government and its municipalities): ``{"partnerships", "un_partnerships", "networks"}``.

    The one source of these figures for the comparison; a state's page counts the very rows it lists with the
    same lookups (``partnerships_for``, ``memberships_for``), so both say the same."""
    counts: dict[str, dict[str, int]] = {}

    def row(code):
        return counts.setdefault(code, {"partnerships": 0, "un_partnerships": 0, "networks": 0})

    for r in (
        Partnership.objects.order_by()
        .values("institution__state_id")
        .annotate(n=Count("id"), un=Count("id", filter=Q(organisation__kind=OrganisationKind.UN_AGENCY)))
    ):
        row(r["institution__state_id"]).update(partnerships=r["n"], un_partnerships=r["un"])
    for r in NetworkMembership.objects.order_by().values("state_id", "municipality__state_id").annotate(n=Count("id")):
        row(r["state_id"] or r["municipality__state_id"])["networks"] += r["n"]
    return counts


def handover_pending() -> list[dict]:
    """Governments whose focal point or office data was not confirmed since their administration began.

    Three queries whatever the number of governments (terms, current focal points, offices).
    """
    latest: dict[tuple, GovernmentTerm] = {}
    for term in GovernmentTerm.objects.select_related("state", "municipality", "municipality__state").order_by(
        "-started_on"
    ):
        latest.setdefault((term.state_id, term.municipality_id), term)
    states = [s for s, m in latest if s]
    municipalities = [m for s, m in latest if m]
    focal = {
        (f.state_id, f.municipality_id): f
        for f in FocalPoint.objects.filter(is_current=True).filter(
            Q(state_id__in=states) | Q(municipality_id__in=municipalities)
        )
    }
    offices: dict[tuple, list] = {}
    for office in MigrantOffice.objects.select_related("institution").filter(
        Q(institution__state_id__in=states, institution__municipality__isnull=True)
        | Q(institution__municipality_id__in=municipalities)
    ):
        key = (
            (None, office.institution.municipality_id)
            if office.institution.municipality_id
            else (office.institution.state_id, None)
        )
        offices.setdefault(key, []).append(office)
    rows = []

    def order(item):
        (_state, municipality), term = item
        return (term.state_id or term.municipality.state_id, municipality or "")

    for key, term in sorted(latest.items(), key=order):
        point = focal.get(key)
        focal_ok = point is not None and point.confirmed_at is not None and point.confirmed_at.date() >= term.started_on
        stale = [o for o in offices.get(key, []) if not o.confirmed_at or o.confirmed_at.date() < term.started_on]
        if not focal_ok or stale:
            rows.append(
                {
                    "term": term,
                    "government": term.place,
                    "focal_point": point,
                    "focal_ok": focal_ok,
                    "stale_offices": stale,
                }
            )
    return rows
