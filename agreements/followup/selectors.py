"""Reads of the follow-up: the derived status of each agreement, plans and reports scoped to the reader, the
DGCP's dashboard, and what profiles, annual reports and handovers show.

The status rule, once (``followup_status_expression`` in SQL, :func:`plan_facts` in Python, same thresholds):

- **no plan**: a followed agreement (registered by a portal institution, in force) without a work plan;
- **report overdue**: the six-month period after the last report (or after the plan's start) ended more than
  ``REPORT_GRACE_DAYS`` ago — or the plan ended that long ago — and that period is not reported;
- **late**: an activity ended and no report says it reached 100 %;
- **on track**: otherwise.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Case, CharField, Count, Exists, F, Max, OuterRef, Prefetch, Q, Subquery, Value, When
from django.utils import timezone

from agreements.choices import EntryStatus
from agreements.registry.models import RegistryAmendment, RegistryEntry
from agreements.registry.selectors.entries import entry_status_q, in_force_q
from agreements.registry.selectors.stats import state_entries_ending

from .choices import FollowupStatus
from .models import Activity, ActivityProgress, Evidence, FollowupEvent, Indicator, IndicatorValue, Report, WorkPlan
from .permissions import visible_entry_ids_filter

REPORT_PERIOD_MONTHS = 6
REPORT_GRACE_DAYS = 30  # a report is due within this many days after its period ends
PLAN_GRACE_DAYS = 60  # a plan is expected within this many days after registration
EXPIRING_WITHIN_DAYS = 365  # the handover lists agreements ending within a year


def _today(today):
    return today or timezone.localdate()


def overdue_threshold(today: dt.date) -> dt.date:
    """A period following ``base`` (last day reported) is overdue once ``base`` falls before this date."""
    return today - dt.timedelta(days=REPORT_GRACE_DAYS) - relativedelta(months=REPORT_PERIOD_MONTHS)


def followed_entries(today: dt.date | None = None):
    """The agreements followed up: registered by an institution of the portal and in force today."""
    return RegistryEntry.objects.filter(in_force_q(today), institution__isnull=False)


def _late_activities(today: dt.date):
    done = ActivityProgress.objects.filter(activity=OuterRef("pk"), percent__gte=100)
    return Activity.objects.filter(ends_on__lt=today).filter(~Exists(done))


def with_followup_status(queryset, today: dt.date | None = None):
    """``queryset`` of entries annotated with ``followup_status`` (a :class:`FollowupStatus` value),
    ``followup_covered_until`` (last day reported) and ``followup_late`` (an activity is late)."""
    today = _today(today)
    threshold = overdue_threshold(today)
    long_ended = today - dt.timedelta(days=REPORT_GRACE_DAYS)
    covered = Report.objects.filter(plan__entry=OuterRef("pk")).order_by("-period_end").values("period_end")[:1]
    queryset = queryset.annotate(
        followup_covered_until=Subquery(covered),
        followup_late=Exists(_late_activities(today).filter(plan__entry=OuterRef("pk"))),
    )
    unreported = Q(followup_covered_until__isnull=True) & (
        Q(work_plan__starts_on__lte=threshold) | Q(work_plan__ends_on__lt=long_ended)
    )
    behind = Q(followup_covered_until__lt=F("work_plan__ends_on")) & (
        Q(followup_covered_until__lt=threshold) | Q(work_plan__ends_on__lt=long_ended)
    )
    return queryset.annotate(
        followup_status=Case(
            When(work_plan__isnull=True, then=Value(FollowupStatus.NO_PLAN.value)),
            When(unreported | behind, then=Value(FollowupStatus.REPORT_OVERDUE.value)),
            When(followup_late=True, then=Value(FollowupStatus.LATE.value)),
            default=Value(FollowupStatus.ON_TRACK.value),
            output_field=CharField(),
        )
    )


@dataclass(frozen=True)
class NextReport:
    period_start: dt.date
    period_end: dt.date
    due_on: dt.date
    overdue: bool


def next_report(plan: WorkPlan, covered_until: dt.date | None, today: dt.date | None = None) -> NextReport | None:
    """The period the next report must cover and when it is due (``None`` once the whole plan is reported)."""
    today = _today(today)
    base = covered_until or plan.starts_on - dt.timedelta(days=1)
    if base >= plan.ends_on:
        return None
    end = min(base + relativedelta(months=REPORT_PERIOD_MONTHS), plan.ends_on)
    overdue = base < overdue_threshold(today) or plan.ends_on < today - dt.timedelta(days=REPORT_GRACE_DAYS)
    return NextReport(base + dt.timedelta(days=1), end, end + dt.timedelta(days=REPORT_GRACE_DAYS), overdue)


def status_counts(queryset) -> dict[str, int]:
    """``{status: n}`` for every status (0 where none) over entries annotated by :func:`with_followup_status`."""
    counts = {s.value: 0 for s in FollowupStatus}
    for row in queryset.order_by().values("followup_status").annotate(n=Count("id")):
        counts[row["followup_status"]] = row["n"]
    return counts


# --- one agreement -------------------------------------------------------------------------------------------


def followup_entry(*, registry_number: str, today: dt.date | None = None) -> RegistryEntry | None:
    """A followed entry (with its status), or ``None``."""
    return (
        with_followup_status(followed_entries(today).select_related("state", "municipality", "institution"), today)
        .filter(registry_number=registry_number)
        .first()
    )


def plan_detail(entry: RegistryEntry) -> WorkPlan | None:
    """The entry's plan with its activities (and their reported progress), indicators (and values) and reports."""
    return (
        WorkPlan.objects.filter(entry=entry)
        .select_related("created_by")
        .prefetch_related(
            Prefetch("activities", queryset=Activity.objects.prefetch_related("progress")),
            Prefetch("indicators", queryset=Indicator.objects.prefetch_related("values")),
            Prefetch(
                "reports",
                queryset=Report.objects.select_related("submitted_by").prefetch_related(
                    Prefetch("activity_progress", queryset=ActivityProgress.objects.select_related("activity")),
                    Prefetch("indicator_values", queryset=IndicatorValue.objects.select_related("indicator")),
                    "evidence",
                ),
            ),
        )
        .first()
    )


def plan_covered_until(plan: WorkPlan) -> dt.date | None:
    """The last day the plan's reports cover."""
    return plan.reports.aggregate(last=Max("period_end"))["last"]


def plan_facts(plan: WorkPlan, today: dt.date | None = None) -> dict:
    """What a prefetched plan shows: each activity's latest progress and lateness, each indicator's latest value,
    the next report due."""
    today = _today(today)
    reports = list(plan.reports.all())
    covered_until = max((r.period_end for r in reports), default=None)
    by_report = {r.pk: r.period_end for r in reports}
    activities = []
    for activity in plan.activities.all():
        progress = sorted(activity.progress.all(), key=lambda p: by_report.get(p.report_id, dt.date.min))
        latest = progress[-1].percent if progress else 0
        done = any(p.percent >= 100 for p in progress)
        activities.append({"activity": activity, "percent": latest, "late": activity.ends_on < today and not done})
    indicators = []
    for indicator in plan.indicators.all():
        values = sorted(indicator.values.all(), key=lambda v: by_report.get(v.report_id, dt.date.min))
        indicators.append({"indicator": indicator, "value": values[-1].value if values else None})
    return {
        "activities": activities,
        "indicators": indicators,
        "reports": reports,
        "covered_until": covered_until,
        "next_report": next_report(plan, covered_until, today),
        "budget": sum((a.budget or 0) for a in plan.activities.all()),
    }


def entry_timeline(entry: RegistryEntry):
    return FollowupEvent.objects.filter(entry=entry).select_related("actor").order_by("created_at", "id")


def evidence_get(pk: int) -> Evidence | None:
    return Evidence.objects.select_related("report__plan__entry").filter(pk=pk).first()


# --- lists: the dashboard and the API ------------------------------------------------------------------------


def followup_list(*, user, today: dt.date | None = None):
    """Followed entries the user may read, with their status (the DGCP's dashboard and the API's ``entries``)."""
    scope = visible_entry_ids_filter(user)
    if scope is None:
        return RegistryEntry.objects.none()
    return with_followup_status(
        followed_entries(today).filter(**scope).select_related("state", "municipality", "institution"), today
    ).order_by("state_id", "registry_number")


def dashboard_by_state(queryset) -> list[dict]:
    """One row per state: how many followed agreements in each status (``queryset`` from :func:`followup_list`)."""
    rows: dict[str, dict] = {}
    for row in queryset.order_by().values("state_id", "state__short_name", "followup_status").annotate(n=Count("id")):
        state = rows.setdefault(
            row["state_id"],
            {"code": row["state_id"], "name": row["state__short_name"], "total": 0}
            | {s.value: 0 for s in FollowupStatus},
        )
        state[row["followup_status"]] = row["n"]
        state["total"] += row["n"]
    return [rows[code] for code in sorted(rows)]


def dashboard_table(queryset) -> dict:
    """The dashboard's state × status table: each state's cells in status order, each status's total and the
    grand total (what the template draws, counted here rather than in the view)."""
    statuses = list(FollowupStatus)
    by_state = dashboard_by_state(queryset)
    return {
        "statuses": statuses,
        "by_state": [{**row, "cells": [row[s.value] for s in statuses]} for row in by_state],
        "totals": [sum(row[s.value] for row in by_state) for s in statuses],
        "grand_total": sum(row["total"] for row in by_state),
    }


def plans_visible_to(user):
    scope = visible_entry_ids_filter(user)
    if scope is None:
        return WorkPlan.objects.none()
    return WorkPlan.objects.filter(**{f"entry__{k}": v for k, v in scope.items()})


def plan_list(*, user):
    return plans_visible_to(user).select_related("entry").prefetch_related("activities", "indicators").order_by("-id")


def indicator_list(*, user):
    return Indicator.objects.filter(plan__in=plans_visible_to(user)).select_related("plan__entry").order_by("-id")


def report_list(*, user):
    return (
        Report.objects.filter(plan__in=plans_visible_to(user))
        .select_related("plan__entry")
        .prefetch_related("activity_progress", "indicator_values", "evidence")
        .order_by("-id")
    )


# --- governments: profiles, annual reports, handovers --------------------------------------------------------


def government_entries(government):
    """Every registry entry of a state (its municipalities' too, as the state profile counts) or municipality."""
    return RegistryEntry.objects.filter(_government_q(government))


def _government_q(government) -> Q:
    return Q(state_id=government.code) if government.kind == "state" else Q(municipality_id=government.code)


def government_followup(government, today: dt.date | None = None, *, limit: int | None = None) -> dict:
    """The followed agreements of a government: ``counts`` by status, their ``total`` and the first ``limit``
    of them by registry number with their status (``entries``; all of them when ``limit`` is None).

    Only the entries with a work plan get their status computed: the others are *no plan* by the rule, so their
    count is the total less the planned ones, and the page's cost does not grow with the registry."""
    today = _today(today)
    followed = _government_followed(government, today)
    planned = _planned(followed, today)
    total = followed.order_by().count()
    counts = {s.value: 0 for s in FollowupStatus}
    for entry in planned:
        counts[entry.followup_status] += 1
    counts[FollowupStatus.NO_PLAN.value] = total - len(planned)
    entries = with_followup_status(followed, today).order_by("registry_number")
    entries = entries.only("registry_number", "title", "institution_id")
    return {
        "counts": counts,
        "total": total,
        "entries": list(entries if limit is None else entries[:limit]),
        "planned": planned,
    }


def open_commitments(
    government, today: dt.date | None = None, *, limit: int | None = None, followup: dict | None = None
) -> dict:
    """What a new administration inherits: plans with late activities, overdue reports, plans still missing and
    agreements in force that end within a year. With ``limit``, each list holds at most that many (by registry
    number; the expiring ones by date) and ``more`` says how many each leaves out. ``followup``, the
    government's :func:`government_followup` of the same day, saves reading its planned entries again."""
    today = _today(today)
    followed = _government_followed(government, today)
    if followup is None:
        followup = {"planned": _planned(followed, today), "total": None}
    planned = followup["planned"]
    total = followed.order_by().count() if followup["total"] is None and limit is not None else followup["total"]
    late_activities = {}
    late = _late_activities(today).filter(plan__entry__in=followed.values("pk"))
    for activity in late.select_related("plan").only("name", "ends_on", "plan__entry_id"):
        late_activities.setdefault(activity.plan.entry_id, []).append(activity)
    fields = ("registry_number", "title", "counterpart_name", "expires_on")
    # ``NOT EXISTS`` rather than the reverse one-to-one's ``LEFT JOIN … IS NULL``, which PostgreSQL estimates at
    # one row and answers by sorting all the government's followed entries instead of reading its index in order.
    no_plan = (
        followed.filter(~Exists(WorkPlan.objects.filter(entry=OuterRef("pk"))))
        .order_by("registry_number")
        .only(*fields)
    )
    until = today + dt.timedelta(EXPIRING_WITHIN_DAYS)
    # ``expires_on >= today`` is implied by ``in_force_q`` and not null; stated, it bounds the index range.
    expiring = (
        government_entries(government)
        .filter(in_force_q(today), expires_on__gte=today, expires_on__lte=until)
        .order_by("expires_on", "registry_number")
        .only(*fields)
    )
    overdue_reports = [e for e in planned if e.followup_status == FollowupStatus.REPORT_OVERDUE]
    late_plans = [
        {"entry": e, "activities": late_activities.get(e.pk, [])}
        for e in planned
        if e.followup_status == FollowupStatus.LATE
    ]
    if limit is None:
        no_plan, expiring = list(no_plan), list(expiring)
        more = {"overdue_reports": 0, "late": 0, "no_plan": 0, "expiring": 0}
    else:
        more = {
            "overdue_reports": max(0, len(overdue_reports) - limit),
            "late": max(0, len(late_plans) - limit),
            "no_plan": max(0, total - len(planned) - limit),
            "expiring": max(0, _count_ending(government, expiring, until, today) - limit),
        }
        overdue_reports, late_plans = overdue_reports[:limit], late_plans[:limit]
        no_plan, expiring = list(no_plan[:limit]), list(expiring[:limit])
    return {
        "overdue_reports": overdue_reports,
        "late": late_plans,
        "no_plan": no_plan,
        "expiring": expiring,
        "more": more,
    }


def _count_ending(government, expiring, until: dt.date, today: dt.date) -> int:
    """How many of ``expiring`` there are: a state's from the registry's statistics summary (its entries grow
    with the registry), a municipality's counted."""
    if government.kind == "state":
        return state_entries_ending(government.code, until, today=today)
    return expiring.order_by().count()


def _government_followed(government, today: dt.date):
    """The followed agreements of ``government`` (:func:`followed_entries` filtered on its own columns, which
    the partial indexes of followed entries serve, rather than by a subquery of the government's entries)."""
    return followed_entries(today).filter(_government_q(government))


def _planned(followed, today: dt.date) -> list[RegistryEntry]:
    """The followed agreements that have a work plan, by registry number, with their status."""
    planned = with_followup_status(followed.filter(work_plan__isnull=False), today).order_by("registry_number")
    return list(planned.only("registry_number", "title", "counterpart_name", "expires_on", "institution_id"))


def annual_figures(government, year: int, today: dt.date | None = None) -> dict:
    """The accountability figures of ``government`` for ``year``. Signed/amended/terminated/expired count what
    happened within the year; *in force* is counted on the year's last day (today for the current year), with the
    registry's one rule, so the current year's figure is the profile's."""
    today = _today(today)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    as_of = min(today, last)
    entries = government_entries(government).order_by()
    in_year = {"gte": first, "lte": last}
    return {
        "as_of": as_of,
        "signed": entries.filter(signed_on__range=(first, last)).count(),
        "in_force": (
            entries.filter(entry_status_q(EntryStatus.IN_FORCE, as_of))
            if as_of == today
            else entries.filter(entry_status_q(EntryStatus.IN_FORCE, as_of), signed_on__lte=as_of)
        ).count(),
        "amended": RegistryAmendment.objects.filter(
            entry__in=entries, registered_on__gte=in_year["gte"], registered_on__lte=in_year["lte"]
        )
        .values("entry")
        .distinct()
        .count(),
        "terminated": entries.filter(terminated_on__range=(first, min(last, today))).count(),
        "expired": entries.filter(expires_on__range=(first, min(last, today - dt.timedelta(days=1))))
        .exclude(terminated_on__lte=F("expires_on"))
        .count(),
        "signed_entries": list(
            entries.filter(signed_on__range=(first, last))
            .order_by("signed_on", "registry_number")
            .only("registry_number", "title", "counterpart_name", "signed_on")
        ),
    }
