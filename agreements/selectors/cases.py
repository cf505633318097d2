"""Every read of cases and registry entries; views and API views go through these."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from agreements.registry.models import RegistryEntry
from portal.core.text import fold

from .. import visibility, workflow
from ..choices import DictamenStatus, Status
from ..models import Agreement, Dictamen, Document, Observation, ReviewerAbsence, TimelineEvent

__all__ = [
    "COUNT_CAP",
    "OVERDUE_STEP",
    "agreement_detail",
    "agreement_list",
    "agreement_steps",
    "assigned_to_q",
    "case_search",
    "cja_inbox",
    "dashboard_counts",
    "dashboard_rows",
    "dgcp_inbox",
    "home_context",
    "home_summary",
    "latest_dictamen",
    "open_cases",
    "signed_text_comparison",
    "stalled_automatic_cases",
    "step_completions",
]

# The case lists count at most this many rows («más de 1,000» past it).
COUNT_CAP = 1_000


def agreement_list(*, user):
    return (
        visibility.reader_view(Agreement.objects.visible_to(user), user)
        .select_related("institution", "institution__state", "institution__municipality")
        .prefetch_related("themes")
    )


def case_search(queryset, text: str, *, prefix: str = ""):
    """Cases whose folio, title or counterpart contain every word of ``text``, accents and case aside:
    «tecun» finds «Tecún», «000006» finds AII-2026-000006. The same folded column on SQLite and PostgreSQL
    (where a trigram index serves the substring), as the registry's search does."""
    for word in fold(text).split():
        queryset = queryset.filter(**{f"{prefix}search_text__contains": word})
    return queryset


def assigned_to_q(user, field: str) -> Q:
    """Rows whose reviewer in ``field`` is ``user``, or a reviewer away today who named ``user`` delegate."""
    today = timezone.localdate()
    away = ReviewerAbsence.objects.filter(delegate=user, starts_on__lte=today, ends_on__gte=today)
    return Q(**{field: user}) | Q(**{f"{field}__in": away.values("reviewer_id")})


def agreement_detail(*, user, pk: int) -> Agreement:
    """One case with everything its page and API detail show; 404 when not visible to ``user``.

    The documents, dictámenes (with their observations) and timeline are prefetched as ``user`` may see them
    (``visibility``): whatever reads ``agreement.documents.all()`` and the like shows no more than that.
    """
    queryset = (
        visibility.reader_view(Agreement.objects.visible_to(user), user)
        .select_related("institution", "institution__state", "institution__municipality", "created_by")
        .prefetch_related(
            "themes",
            Prefetch(
                "documents",
                queryset=Document.objects.filter(visibility.document_q(user))
                .select_related("uploaded_by")
                .order_by("kind", "version", "id"),
            ),
            Prefetch(
                "dictamenes",
                queryset=Dictamen.objects.filter(visibility.dictamen_q(user))
                .select_related("issued_by", "reviewed_by", "final_text", "reply_letter")
                .prefetch_related("observations"),
            ),
            Prefetch(
                "timeline",
                queryset=TimelineEvent.objects.filter(visibility.timeline_q(user))
                .select_related("actor")
                .order_by("created_at", "id"),
            ),
        )
    )
    return get_object_or_404(queryset, pk=pk)


def step_completions(agreement: Agreement) -> dict[int, tuple]:
    """``{step: (completed_at, actor label)}`` from the (prefetched) timeline: the latest completion wins."""
    result = {}
    for event in agreement.timeline.all():
        if event.completed_step:
            label = (
                event.actor.get_full_name() or event.actor.email
                if event.actor
                else str(workflow.ACTOR_LABELS[workflow.Actor.SYSTEM])
            )
            result[event.completed_step] = (event.created_at, label)
    return result


def agreement_steps(agreement: Agreement) -> list[workflow.StepState]:
    """The 12 steps as the reader of ``agreement_detail`` sees them (its status, step and timeline)."""
    return workflow.step_states(agreement.reader_step, agreement.reader_status, step_completions(agreement))


def latest_dictamen(agreement: Agreement) -> Dictamen | None:
    """The newest dictamen not returned to the CJA (uses the prefetched list)."""
    for dictamen in agreement.dictamenes.all():
        if dictamen.status != DictamenStatus.RETURNED:
            return dictamen
    return None


def signed_text_comparison(agreement: Agreement) -> dict | None:
    """Evidence for step 11: the signed PDF's text against the text that received the dictamen; ``None`` before
    step 11 (``workflow.SIGNED_TEXT_COMPARED_STATUSES``) or without both texts."""
    if agreement.status not in workflow.SIGNED_TEXT_COMPARED_STATUSES:
        return None
    documents = list(agreement.documents.all())
    signed = [d for d in documents if d.kind == "signed_copy"]
    dictamen = next((d for d in agreement.dictamenes.all() if d.status == DictamenStatus.APPROVED), None)
    if not signed or dictamen is None:
        return None
    similarity, changes = workflow.text_match(dictamen.final_text.extracted_text, signed[-1].extracted_text)
    observations = list(dictamen.observations.all())
    return {
        "similarity": similarity,
        "changes": [{"tag": tag, "reviewed": a[:400], "signed": b[:400]} for tag, a, b in changes[:50]],
        "change_count": len(changes),
        "signed_has_text": bool(signed[-1].extracted_text.split()),
        "low": similarity < workflow.SIGNED_TEXT_MATCH_THRESHOLD,
        "threshold": workflow.SIGNED_TEXT_MATCH_THRESHOLD,
        "note": agreement.signed_text_note,
        "observations": observations,
        "signed": signed[-1],  # its PDF signature check sits beside the comparison
    }


def cja_inbox(*, user):
    """Cases awaiting a CJA decision: dictamen (step 7) or registration (step 11), by deadline."""
    return (
        Agreement.objects.visible_to(user)
        .filter(status__in=[Status.IN_REVIEW, Status.REGISTRATION_REQUESTED])
        .select_related("institution", "institution__state", "cja_reviewer")
    )


def dgcp_inbox(*, user):
    """Dictámenes the CJA issued that wait for a DGCP reviewer (step 8).

    The observation count is a correlated subquery (not JOIN + GROUP BY) so PostgreSQL can walk
    the partial ``dictamen_issued_idx`` and stop after one page.
    """
    observations = (
        Observation.objects.filter(dictamen_id=OuterRef("pk"))
        .order_by()
        .values("dictamen_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    # A dictamen waits only while its case does: a withdrawn case's dictamen is voided (and leaves the inbox).
    # The case's status is checked by a subquery (``IS NOT NULL``) rather than a condition of the join: PostgreSQL
    # estimates a join's two status conditions as independent (2.5 % of 2.5 % of the rows at a million cases,
    # where every issued dictamen's case waits), so it counted with a parallel bitmap scan (25-39 ms) and, on a
    # ``?despues=`` page, hash-joined and sorted every waiting dictamen (0.5 s); a subquery's test it takes as
    # true of nearly every row, and walks ``dictamen_issued_idx`` in order, probing
    # ``agreement_dictamen_issued_idx`` (index-only) per row: 1 ms for the capped count, the page's 26 rows.
    waiting = Agreement.objects.filter(pk=OuterRef("agreement_id"), status=Status.DICTAMEN_ISSUED)
    queryset = (
        Dictamen.objects.filter(status=DictamenStatus.ISSUED)
        .alias(waiting_case=Subquery(waiting.order_by().values("pk")[:1]))
        .filter(waiting_case__isnull=False)
    )
    if not user.has_perm("agreements.view_all_agreements"):
        queryset = queryset.filter(agreement__in=Agreement.objects.visible_to(user))
    return queryset.select_related(
        "agreement", "agreement__institution", "agreement__institution__state", "agreement__dgcp_reviewer", "issued_by"
    ).annotate(observation_count=Coalesce(Subquery(observations), 0))


def open_cases(*, user):
    """The cases a dashboard shows: sent and not concluded (never a draft, ``workflow.SENT_OPEN_STATUSES``)."""
    return (
        Agreement.objects.visible_to(user)
        .filter(status__in=workflow.SENT_OPEN_STATUSES)
        .select_related("institution", "institution__state")
    )


# The dashboard's step whose cases can be overdue (the CJA's dictamen deadline).
OVERDUE_STEP = 7
_STEP_ENTERED_AT = Agreement._meta.get_field("step_entered_at")


def dashboard_counts(*, user, non_working_days=frozenset()) -> list[dict]:
    """The cases of ``open_cases`` per step (automatic steps included): how many, how many overdue at step 7,
    and the business days the oldest case has waited in that step.

    The counts are capped at ``COUNT_CAP`` («más de 1,000», as the case lists say): one statement that probes
    ``agreement_sent_step_idx`` for each step (at most ``COUNT_CAP + 1`` index entries, and the step's first
    entry for the oldest), so the dashboard costs the same whatever the number of open cases. The grouped count
    it replaced read every open case: 30,000 index entries at 100,000 cases, ten times that at a million. The
    probes are subqueries correlated with a list of the steps, planned once rather than once per step (25
    separate subqueries took 30 ms to plan and 3 ms to run)."""
    today = timezone.localdate()
    in_step = open_cases(user=user).select_related(None).order_by().filter(current_step=RawSQL("steps.step", ()))
    probes = [
        ("(SELECT COUNT(*) FROM ({}) AS capped)", in_step.values("pk")[: COUNT_CAP + 1]),
        ("({})", in_step.order_by("step_entered_at").values("step_entered_at")[:1]),
        (
            f"CASE WHEN steps.step = {OVERDUE_STEP:d} THEN (SELECT COUNT(*) FROM ({{}}) AS capped) ELSE 0 END",
            in_step.filter(cja_deadline__lt=today).values("pk")[: COUNT_CAP + 1],
        ),
    ]
    columns, params = [], []
    for template, queryset in probes:
        sql, values = queryset.query.sql_with_params()
        columns.append(template.format(sql))
        params.extend(values)
    steps = " UNION ALL ".join(f"SELECT {step.number:d} AS step" for step in workflow.STEPS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT steps.step, {', '.join(columns)} FROM ({steps}) AS steps", params)  # noqa: S608 - ours
        found = {row[0]: row[1:] for row in cursor.fetchall()}
    result = []
    for step in workflow.STEPS:
        total, oldest, overdue = found[step.number]
        oldest = _aware(_STEP_ENTERED_AT.to_python(oldest))
        result.append(
            {
                "step": step,
                "total": min(total, COUNT_CAP),
                "capped": total > COUNT_CAP,
                "overdue": min(overdue, COUNT_CAP),
                "overdue_capped": overdue > COUNT_CAP,
                "oldest_days": workflow.business_days_between(timezone.localdate(oldest), today, non_working_days)
                if oldest
                else None,
            }
        )
    return result


def _aware(value):
    """A datetime read by a raw cursor: SQLite gives the ORM's naive UTC text, PostgreSQL an aware datetime."""
    return timezone.make_aware(value, dt.UTC) if value and timezone.is_naive(value) else value


def dashboard_rows(agreements, *, non_working_days=frozenset(), today=None) -> list[dict]:
    """Each open case with the business days it has waited in its step and whether step 7 is overdue."""
    today = today or timezone.localdate()
    return [
        {
            "agreement": a,
            "days": workflow.business_days_between(timezone.localdate(a.step_entered_at), today, non_working_days),
            "overdue": a.current_step == OVERDUE_STEP and a.cja_deadline is not None and a.cja_deadline < today,
        }
        for a in agreements
    ]


def stalled_automatic_cases(*, entered_before) -> list[tuple[int, int]]:
    return list(
        Agreement.objects.filter(
            status__in=list(workflow.AUTOMATIC_NEXT), step_entered_at__lt=entered_before
        ).values_list("id", "current_step")[:1000]
    )


def home_summary(user) -> dict:
    if not user.is_authenticated:
        return {"registered": RegistryEntry.objects.count()}
    summary = {"registered": RegistryEntry.objects.count()}
    if user.has_perm("agreements.file_agreement"):
        mine = Agreement.objects.visible_to(user)
        summary["own_open"] = mine.filter(status__in=workflow.OPEN_STATUSES).count()
        summary["own_waiting"] = mine.filter(
            status__in=[Status.DRAFT, Status.RETURNED, Status.AWAITING_SIGNATURE]
        ).count()
    if user.has_perm("agreements.issue_dictamen"):
        summary["cja_inbox"] = cja_inbox(user=user).count()
    if user.has_perm("agreements.approve_dictamen"):
        summary["dgcp_inbox"] = dgcp_inbox(user=user).count()
        summary["open_cases"] = open_cases(user=user).count()
    return summary


def home_context(user) -> dict:
    """What the landing page shows: the user's next work and the 12 steps."""
    steps = [
        {"number": s.number, "name": s.name, "automatic": s.automatic, "actor_label": workflow.ACTOR_LABELS[s.actor]}
        for s in workflow.STEPS
    ]
    return {"summary": home_summary(user), "steps": steps}
