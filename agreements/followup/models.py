"""Work plans of registered agreements, their activities and indicators, six-monthly reports with progress and
evidence, the reminders sent and the follow-up timeline.

The rules a row must meet live in ``clean()`` (services call ``full_clean``) and, where the database can say
them, in named constraints. An agreement's status is never stored: ``selectors.followup_status_expression``.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from portal.audit.append_only import AppendOnlyEvent
from portal.core.limits import NOTE, bounded_text_field

from .choices import FollowupAction, IndicatorKind, ReminderKind

MONEY = {"max_digits": 16, "decimal_places": 2}
QUANTITY = {"max_digits": 16, "decimal_places": 2}


def _in(field, choices):
    return Q(**{f"{field}__in": choices.values})


def _date(value) -> str:
    return f"{value:%d/%m/%Y}"


class WorkPlan(models.Model):
    """The annual operating programme (POA) of one registered agreement, recorded by its signing office."""

    entry = models.OneToOneField(
        "registry.RegistryEntry", models.PROTECT, related_name="work_plan", verbose_name=_("acuerdo registrado")
    )
    starts_on = models.DateField(_("inicio del plan"))
    ends_on = models.DateField(_("fin del plan"))
    objectives = bounded_text_field(_("objetivos"), max_length=NOTE, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("registrado por")
    )
    created_at = models.DateTimeField(_("registrado"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)
    is_demo = models.BooleanField(_("dato de demostración"), default=False)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("plan de trabajo")
        verbose_name_plural = _("planes de trabajo")
        permissions = [
            ("view_all_followup", _("Puede consultar el seguimiento de todos los acuerdos")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="%(app_label)s_%(class)s_dates_in_order"
            ),
        ]

    def __str__(self):
        return f"{self.entry.registry_number} · {_date(self.starts_on)}–{_date(self.ends_on)}"

    def clean(self):
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            errors["ends_on"] = [_("El fin del plan debe ser posterior a su inicio.")]
        entry = self.entry if self.entry_id else None
        if entry is not None and self.starts_on and self.starts_on < entry.signed_on:
            errors["starts_on"] = [
                _("El plan no puede comenzar antes de la firma del acuerdo (%(d)s).") % {"d": _date(entry.signed_on)}
            ]
        if errors:
            raise ValidationError(errors)


class Activity(models.Model):
    plan = models.ForeignKey(WorkPlan, models.CASCADE, related_name="activities", verbose_name=_("plan de trabajo"))
    name = models.CharField(_("actividad"), max_length=200)
    responsible_name = models.CharField(_("persona responsable"), max_length=150)
    responsible_email = models.EmailField(_("correo de la persona responsable"), blank=True)
    starts_on = models.DateField(_("inicio"))
    ends_on = models.DateField(_("fin"))
    budget = models.DecimalField(_("presupuesto (MXN)"), null=True, blank=True, **MONEY)

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("actividad")
        verbose_name_plural = _("actividades")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="%(app_label)s_%(class)s_dates_in_order"
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0), name="%(app_label)s_%(class)s_budget_not_negative"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = [_("La actividad no puede terminar antes de comenzar.")]
        if self.budget is not None and self.budget < 0:
            errors["budget"] = [_("El presupuesto no puede ser negativo.")]
        plan = self.plan if self.plan_id else None
        if (
            plan is not None
            and self.starts_on
            and self.ends_on
            and (self.starts_on < plan.starts_on or self.ends_on > plan.ends_on)
        ):
            errors.setdefault("starts_on", []).append(
                _("La actividad debe quedar dentro del periodo del plan (%(a)s a %(b)s).")
                % {"a": _date(plan.starts_on), "b": _date(plan.ends_on)}
            )
        if errors:
            raise ValidationError(errors)


class Indicator(models.Model):
    plan = models.ForeignKey(WorkPlan, models.CASCADE, related_name="indicators", verbose_name=_("plan de trabajo"))
    kind = models.CharField(_("indicador"), max_length=30, choices=IndicatorKind.choices)
    # The office's own wording: required for a custom indicator, empty for a recommended one (its label is shown).
    name = models.CharField(_("nombre del indicador propio"), max_length=150, blank=True)
    unit = models.CharField(_("unidad"), max_length=60)
    baseline = models.DecimalField(_("línea base"), default=0, **QUANTITY)
    target = models.DecimalField(_("meta"), **QUANTITY)

    class Meta:
        ordering = ["id"]
        verbose_name = _("indicador")
        verbose_name_plural = _("indicadores")
        constraints = [
            models.CheckConstraint(condition=_in("kind", IndicatorKind), name="%(app_label)s_%(class)s_kind_valid"),
            models.CheckConstraint(
                condition=~Q(kind="custom") | ~Q(name=""), name="%(app_label)s_%(class)s_custom_has_name"
            ),
            models.CheckConstraint(
                condition=Q(baseline__gte=0, target__gte=0), name="%(app_label)s_%(class)s_values_not_negative"
            ),
            models.UniqueConstraint(
                fields=["plan", "kind"],
                condition=~Q(kind="custom"),
                name="%(app_label)s_%(class)s_one_recommended_each",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return self.name if self.kind == IndicatorKind.CUSTOM else str(IndicatorKind(self.kind).label)

    def clean(self):
        errors = {}
        if self.kind == IndicatorKind.CUSTOM and not (self.name or "").strip():
            errors["name"] = [_("Escriba el nombre del indicador propio.")]
        if not (self.unit or "").strip():
            errors["unit"] = [_("Indique la unidad de medida.")]
        for field in ("baseline", "target"):
            value = getattr(self, field)
            if value is not None and value < 0:
                errors[field] = [_("El valor no puede ser negativo.")]
        if errors:
            raise ValidationError(errors)


class Report(models.Model):
    """A six-monthly report on a plan: the period it covers, the progress of each activity and indicator."""

    plan = models.ForeignKey(WorkPlan, models.CASCADE, related_name="reports", verbose_name=_("plan de trabajo"))
    period_start = models.DateField(_("inicio del periodo"))
    period_end = models.DateField(_("fin del periodo"))
    summary = bounded_text_field(_("resumen de avances"), max_length=NOTE)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("presentado por")
    )
    submitted_at = models.DateTimeField(_("presentado"), auto_now_add=True)

    class Meta:
        ordering = ["period_start", "id"]
        verbose_name = _("informe semestral")
        verbose_name_plural = _("informes semestrales")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="%(app_label)s_%(class)s_dates_in_order"
            ),
            models.UniqueConstraint(fields=["plan", "period_start"], name="%(app_label)s_%(class)s_one_per_period"),
        ]
        indexes = [models.Index(fields=["plan", "-period_end"], name="followup_report_latest_idx")]

    def __str__(self):
        return f"{_date(self.period_start)}–{_date(self.period_end)}"


class ActivityProgress(models.Model):
    report = models.ForeignKey(Report, models.CASCADE, related_name="activity_progress", verbose_name=_("informe"))
    activity = models.ForeignKey(Activity, models.CASCADE, related_name="progress", verbose_name=_("actividad"))
    percent = models.PositiveSmallIntegerField(
        _("avance (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    note = models.CharField(_("comentario"), max_length=300, blank=True)

    class Meta:
        ordering = ["activity_id"]
        verbose_name = _("avance de actividad")
        verbose_name_plural = _("avances de actividades")
        constraints = [
            models.CheckConstraint(condition=Q(percent__lte=100), name="%(app_label)s_%(class)s_percent_valid"),
            models.UniqueConstraint(fields=["report", "activity"], name="%(app_label)s_%(class)s_once_per_report"),
        ]
        indexes = [models.Index(fields=["activity", "percent"], name="followup_progress_done_idx")]

    def __str__(self):
        return f"{self.activity_id}: {self.percent} %"


class IndicatorValue(models.Model):
    report = models.ForeignKey(Report, models.CASCADE, related_name="indicator_values", verbose_name=_("informe"))
    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="values", verbose_name=_("indicador"))
    value = models.DecimalField(_("valor alcanzado"), **QUANTITY)

    class Meta:
        ordering = ["indicator_id"]
        verbose_name = _("valor de indicador")
        verbose_name_plural = _("valores de indicadores")
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="%(app_label)s_%(class)s_not_negative"),
            models.UniqueConstraint(fields=["report", "indicator"], name="%(app_label)s_%(class)s_once_per_report"),
        ]

    def __str__(self):
        return f"{self.indicator_id}: {self.value}"


def evidence_upload_path(instance, filename):
    return f"followup/{instance.report.plan_id}/{uuid.uuid4().hex}.pdf"


class Evidence(models.Model):
    """A PDF that supports a report (minutes, photographs, lists of participants); private to the office and
    the SRE."""

    report = models.ForeignKey(Report, models.CASCADE, related_name="evidence", verbose_name=_("informe"))
    file = models.FileField(_("archivo"), upload_to=evidence_upload_path, max_length=200)
    name = models.CharField(_("nombre del archivo"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("tamaño (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("cargado por")
    )
    uploaded_at = models.DateTimeField(_("cargado"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("evidencia")
        verbose_name_plural = _("evidencias")

    def __str__(self):
        return self.name


class Reminder(models.Model):
    """A reminder sent to the signing office, recorded so that each is sent once (``due_on`` names which)."""

    entry = models.ForeignKey(
        "registry.RegistryEntry", models.CASCADE, related_name="followup_reminders", verbose_name=_("acuerdo")
    )
    kind = models.CharField(_("recordatorio"), max_length=20, choices=ReminderKind.choices)
    due_on = models.DateField(_("fecha de vencimiento"))
    sent_at = models.DateTimeField(_("enviado"), auto_now_add=True)
    recipients = models.PositiveSmallIntegerField(_("destinatarios"), default=0)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("recordatorio de seguimiento")
        verbose_name_plural = _("recordatorios de seguimiento")
        constraints = [
            models.CheckConstraint(condition=_in("kind", ReminderKind), name="%(app_label)s_%(class)s_kind_valid"),
            models.UniqueConstraint(fields=["entry", "kind", "due_on"], name="%(app_label)s_%(class)s_sent_once"),
        ]

    def __str__(self):
        return f"{self.entry_id} {self.kind} {self.due_on}"


class FollowupEvent(AppendOnlyEvent):
    """Append-only record of what was done on an agreement's follow-up, by whom and when."""

    entry = models.ForeignKey(
        "registry.RegistryEntry", models.CASCADE, related_name="followup_timeline", verbose_name=_("acuerdo")
    )
    action = models.CharField(_("acción"), max_length=30, choices=FollowupAction.choices)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("evento del seguimiento")
        verbose_name_plural = _("línea de tiempo del seguimiento")
        indexes = [models.Index(fields=["entry", "created_at"], name="followup_timeline_entry_idx")]
        constraints = [
            models.CheckConstraint(
                condition=_in("action", FollowupAction), name="%(app_label)s_%(class)s_action_valid"
            ),
        ]

    def __str__(self):
        return f"{self.entry_id} {self.action}"
