"""Writes of the follow-up: the signing office records its plan and files reports; the daily task reminds.

Every service checks the one permission function (``permissions``), validates through the model's ``clean()``
(``full_clean``: the messages forms, the API and imports share), writes in one transaction and appends to the
follow-up timeline. Reminders claim their row (unique per entry, kind and due date) before notifying, so a second
run of the task, or two at once, never sends one twice.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.registry.models import RegistryEntry
from portal.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed, full_clean_or_fail
from portal.core.uploads import PDF, check_upload
from portal.institutions.selectors import permission_holders
from portal.notifications.choices import NoticeEvent
from portal.notifications.services import notification_send

from . import selectors
from .choices import DEFAULT_UNITS, FollowupAction, IndicatorKind, ReminderKind
from .models import (
    Activity,
    ActivityProgress,
    Evidence,
    FollowupEvent,
    Indicator,
    IndicatorValue,
    Reminder,
    Report,
    WorkPlan,
)
from .permissions import user_can_edit_followup, user_can_view_followup

MAX_EVIDENCE_PER_REPORT = 10


def _record(entry_id: int, user, action: str, **params) -> None:
    FollowupEvent.objects.create(entry_id=entry_id, actor=user, action=action, params=params)


def _editable_entry(user, entry_id: int) -> RegistryEntry:
    """The entry, locked, if ``user`` may edit its follow-up: 404 when they may not even see it, else 403."""
    entry = selectors.followed_entries().select_for_update(of=("self",)).filter(pk=entry_id).first()
    if entry is None or not user_can_view_followup(user, entry):
        raise NotFound()
    if not user_can_edit_followup(user, entry):
        raise PermissionDenied(_("Solo la oficina de la dependencia que firmó el acuerdo registra su seguimiento."))
    return entry


def _editable_plan(user, plan_id: int) -> WorkPlan:
    entry_id = WorkPlan.objects.filter(pk=plan_id).values_list("entry_id", flat=True).first()
    if entry_id is None:
        raise NotFound()
    entry = _editable_entry(user, entry_id)
    plan = WorkPlan.objects.get(pk=plan_id)
    plan.entry = entry
    return plan


def _required_dates(**values) -> None:
    missing = {name: [_("Indique la fecha.")] for name, value in values.items() if value is None}
    if missing:
        raise ValidationFailed(_("Indique las fechas del periodo."), field_errors=missing)


@transaction.atomic
def work_plan_create(*, user, entry_id: int, starts_on: dt.date, ends_on: dt.date, objectives: str = "") -> WorkPlan:
    entry = _editable_entry(user, entry_id)
    _required_dates(starts_on=starts_on, ends_on=ends_on)
    if WorkPlan.objects.filter(entry=entry).exists():
        raise Conflict(_("Este acuerdo ya tiene un plan de trabajo."))
    plan = WorkPlan(entry=entry, starts_on=starts_on, ends_on=ends_on, objectives=(objectives or "").strip())
    plan.created_by = user
    full_clean_or_fail(plan, exclude=["entry", "created_by"])
    plan.save()
    _record(entry.pk, user, FollowupAction.PLAN_CREATED, starts_on=starts_on.isoformat(), ends_on=ends_on.isoformat())
    return plan


@transaction.atomic
def work_plan_update(*, user, plan_id: int, starts_on: dt.date, ends_on: dt.date, objectives: str = "") -> WorkPlan:
    plan = _editable_plan(user, plan_id)
    _required_dates(starts_on=starts_on, ends_on=ends_on)
    plan.starts_on, plan.ends_on, plan.objectives = starts_on, ends_on, (objectives or "").strip()
    full_clean_or_fail(plan, exclude=["entry", "created_by"])
    outside = plan.activities.filter(Q(starts_on__lt=plan.starts_on) | Q(ends_on__gt=plan.ends_on)).first()
    if outside is not None:
        msg = _("La actividad «%(a)s» quedaría fuera del periodo del plan.") % {"a": outside.name}
        raise ValidationFailed(msg, field_errors={"starts_on": [msg]})
    plan.save()
    _record(
        plan.entry_id, user, FollowupAction.PLAN_UPDATED, starts_on=starts_on.isoformat(), ends_on=ends_on.isoformat()
    )
    return plan


@transaction.atomic
def activity_add(
    *,
    user,
    plan_id: int,
    name: str,
    responsible_name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    responsible_email: str = "",
    budget: Decimal | None = None,
) -> Activity:
    plan = _editable_plan(user, plan_id)
    _required_dates(starts_on=starts_on, ends_on=ends_on)
    activity = Activity(
        plan=plan,
        name=(name or "").strip(),
        responsible_name=(responsible_name or "").strip(),
        responsible_email=(responsible_email or "").strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        budget=budget,
    )
    full_clean_or_fail(activity)
    activity.save()
    _record(plan.entry_id, user, FollowupAction.ACTIVITY_ADDED, name=activity.name)
    return activity


@transaction.atomic
def indicator_add(
    *,
    user,
    plan_id: int,
    kind: str,
    target: Decimal,
    baseline: Decimal | None = None,
    name: str = "",
    unit: str = "",
) -> Indicator:
    plan = _editable_plan(user, plan_id)
    if kind not in IndicatorKind.values:
        msg = _("Elija un indicador de la lista.")
        raise ValidationFailed(msg, field_errors={"kind": [msg]})
    unit = (unit or "").strip() or str(DEFAULT_UNITS.get(kind, ""))
    indicator = Indicator(
        plan=plan,
        kind=kind,
        name=(name or "").strip() if kind == IndicatorKind.CUSTOM else "",
        unit=unit,
        baseline=baseline if baseline is not None else Decimal(0),
        target=target,
    )
    if kind != IndicatorKind.CUSTOM and plan.indicators.filter(kind=kind).exists():
        raise Conflict(_("El plan ya tiene el indicador «%(k)s».") % {"k": IndicatorKind(kind).label})
    full_clean_or_fail(indicator)
    indicator.save()
    _record(plan.entry_id, user, FollowupAction.INDICATOR_ADDED, kind=kind, name=indicator.name)
    return indicator


def _report_period_errors(plan: WorkPlan, period_start, period_end, today: dt.date) -> dict[str, list[str]]:
    """The period must continue the reports already filed, span at most six months, stay within the plan and have
    ended."""
    expected = selectors.next_report(plan, selectors.plan_covered_until(plan), today)
    if expected is None:
        return {"period_start": [_("El plan ya tiene informes de todo su periodo.")]}
    errors: dict[str, list[str]] = {}
    if period_start != expected.period_start:
        errors["period_start"] = [
            _("El periodo debe comenzar el %(d)s: el día siguiente al último periodo informado (o el inicio del plan).")
            % {"d": f"{expected.period_start:%d/%m/%Y}"}
        ]
    if period_end < period_start:
        errors["period_end"] = [_("El fin del periodo no puede ser anterior a su inicio.")]
    elif period_end > expected.period_end:
        errors["period_end"] = [
            _("Un informe cubre a lo sumo seis meses dentro del plan: el periodo debe terminar a más tardar el %(d)s.")
            % {"d": f"{expected.period_end:%d/%m/%Y}"}
        ]
    elif period_end > today:
        errors["period_end"] = [_("El periodo informado aún no termina: no puede terminar después de hoy.")]
    return errors


def _decimal(value, field: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        msg = _("Escriba un número.")
        raise ValidationFailed(msg, field_errors={field: [msg]}) from None
    if not number.is_finite() or number < 0:
        msg = _("El valor no puede ser negativo.")
        raise ValidationFailed(msg, field_errors={field: [msg]})
    return number


@transaction.atomic
def report_file(
    *,
    user,
    plan_id: int,
    period_start: dt.date,
    period_end: dt.date,
    summary: str,
    progress: dict[int, dict] | None = None,
    values: dict[int, object] | None = None,
    evidence: list | None = None,
    today: dt.date | None = None,
) -> Report:
    """File the six-monthly report of ``plan_id``: ``progress`` ``{activity_id: {"percent", "note"}}``,
    ``values`` ``{indicator_id: value}``, ``evidence`` a list of uploaded PDFs."""
    today = today or timezone.localdate()
    plan = _editable_plan(user, plan_id)
    _required_dates(period_start=period_start, period_end=period_end)
    errors = _report_period_errors(plan, period_start, period_end, today)
    if not (summary or "").strip():
        errors["summary"] = [_("Resuma los avances del periodo.")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], field_errors=errors)
    progress, values, evidence = progress or {}, values or {}, list(evidence or [])
    activities = {a.pk: a for a in plan.activities.all()}
    indicators = {i.pk: i for i in plan.indicators.all()}
    unknown = (set(map(int, progress)) - set(activities)) | (set(map(int, values)) - set(indicators))
    if unknown:
        msg = _("El informe menciona actividades o indicadores que no son de este plan.")
        raise ValidationFailed(msg, field_errors={"progress": [msg]})
    if len(evidence) > MAX_EVIDENCE_PER_REPORT:
        msg = _("Adjunte como máximo %(n)s documentos de evidencia por informe.") % {"n": MAX_EVIDENCE_PER_REPORT}
        raise ValidationFailed(msg, field_errors={"evidence": [msg]})
    report = Report(plan=plan, period_start=period_start, period_end=period_end, summary=summary.strip())
    report.submitted_by = user
    full_clean_or_fail(report, exclude=["plan", "submitted_by"])
    checked = [check_upload(upload, allowed=(PDF,), field="evidence") for upload in evidence]
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise Conflict(_("Ya hay un informe de este periodo.")) from None
    rows = []
    for activity_id, item in progress.items():
        percent = item.get("percent") if isinstance(item, dict) else item
        note = (item.get("note") or "").strip() if isinstance(item, dict) else ""
        row = ActivityProgress(report=report, activity=activities[int(activity_id)], percent=percent, note=note)
        try:
            row.full_clean(exclude=["report", "activity"])
        except ValidationError:
            msg = _("El avance de «%(a)s» debe ser un porcentaje entre 0 y 100.") % {"a": activities[int(activity_id)]}
            raise ValidationFailed(msg, field_errors={"progress": [msg]}) from None
        rows.append(row)
    ActivityProgress.objects.bulk_create(rows)
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(report=report, indicator=indicators[int(i)], value=_decimal(v, "values"))
            for i, v in values.items()
        ]
    )
    for file in checked:
        _evidence_save(report, file, user)
    _record(
        plan.entry_id,
        user,
        FollowupAction.REPORT_FILED,
        period_start=period_start.isoformat(),
        period_end=period_end.isoformat(),
        evidence=len(checked),
    )
    return report


def _evidence_save(report: Report, checked, user) -> Evidence:
    evidence = Evidence(report=report, name=checked.name, sha256=checked.sha256, size=checked.size, uploaded_by=user)
    evidence.file.save(checked.name, ContentFile(checked.content), save=False)
    evidence.save()
    return evidence


@transaction.atomic
def evidence_add(*, user, report_id: int, upload) -> Evidence:
    plan_id = Report.objects.filter(pk=report_id).values_list("plan_id", flat=True).first()
    if plan_id is None:
        raise NotFound()
    plan = _editable_plan(user, plan_id)
    report = Report.objects.get(pk=report_id)
    if report.evidence.count() >= MAX_EVIDENCE_PER_REPORT:
        msg = _("Adjunte como máximo %(n)s documentos de evidencia por informe.") % {"n": MAX_EVIDENCE_PER_REPORT}
        raise ValidationFailed(msg, field_errors={"file": [msg]})
    evidence = _evidence_save(report, check_upload(upload, allowed=(PDF,)), user)
    _record(plan.entry_id, user, FollowupAction.EVIDENCE_ADDED, name=evidence.name)
    return evidence


# --- reminders ---------------------------------------------------------------------------------------------------


def _office_staff(entry: RegistryEntry) -> list:
    """The signing office's active local staff: the only ones reminded."""
    return list(permission_holders("agreements.file_agreement", institution_id=entry.institution_id).order_by("pk"))


def _remind(entry: RegistryEntry, kind: str, due_on: dt.date, event: str, **params) -> bool:
    """Claim the reminder (entry, kind, due date), then notify the office; False if it was already sent."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(entry=entry, kind=kind, due_on=due_on)
        except IntegrityError:
            return False
        staff = _office_staff(entry)
        notification_send(
            recipients=staff,
            event=event,
            params={
                "entry": {
                    "title": entry.title,
                    "registry_number": entry.registry_number,
                    "counterpart_name": entry.counterpart_name,
                    "registered_on": entry.registered_on.isoformat(),
                },
                "due_on": due_on.isoformat(),
                **params,
            },
            agreement=entry.agreement,
            url=reverse("followup:entry_detail", args=[entry.registry_number]),
        )
        reminder.recipients = len(staff)
        reminder.save(update_fields=["recipients"])
        _record(entry.pk, None, FollowupAction.REMINDER_SENT, kind=kind, due_on=due_on.isoformat())
    return True


def followup_reminders_send(*, today: dt.date | None = None) -> int:
    """Daily: remind the signing office of a plan still missing 60 days after registration and of each six-monthly
    report once its period has ended. Each reminder once (``Reminder`` rows); returns how many went out."""
    today = today or timezone.localdate()
    sent = 0
    entries = selectors.with_followup_status(
        selectors.followed_entries(today).select_related("agreement", "work_plan"), today
    ).order_by("pk")
    plan_cutoff = today - dt.timedelta(days=selectors.PLAN_GRACE_DAYS)
    for entry in entries.filter(work_plan__isnull=True, registered_on__lte=plan_cutoff):
        due_on = entry.registered_on + dt.timedelta(days=selectors.PLAN_GRACE_DAYS)
        sent += _remind(entry, ReminderKind.PLAN_MISSING, due_on, NoticeEvent.FOLLOWUP_PLAN_MISSING)
    for entry in entries.filter(work_plan__isnull=False):
        expected = selectors.next_report(entry.work_plan, entry.followup_covered_until, today)
        if expected is None or expected.period_end >= today:
            continue
        sent += _remind(
            entry,
            ReminderKind.REPORT_DUE,
            expected.due_on,
            NoticeEvent.FOLLOWUP_REPORT_DUE,
            period_start=expected.period_start.isoformat(),
            period_end=expected.period_end.isoformat(),
        )
    return sent
