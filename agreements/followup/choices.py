"""Vocabularies of the follow-up (keys are stable: the database, the API and the filters use them)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FollowupStatus(models.TextChoices):
    """Where an agreement's implementation stands today; derived (``selectors.followup_status_expression``),
    never stored."""

    ON_TRACK = "on_track", _("En tiempo")
    LATE = "late", _("Con actividades atrasadas")
    REPORT_OVERDUE = "report_overdue", _("Informe vencido")
    NO_PLAN = "no_plan", _("Sin plan de trabajo")


class IndicatorKind(models.TextChoices):
    """The indicators the sources recommend, and the office's own."""

    AGREEMENTS_SIGNED = "agreements_signed", _("Acuerdos firmados")
    FOREIGN_INVESTMENT = "foreign_investment", _("Inversión extranjera atraída")
    PROJECTS_EXECUTED = "projects_executed", _("Proyectos de cooperación ejecutados")
    NETWORK_PARTICIPATION = "network_participation", _("Participación en redes")
    SCHOLARSHIPS = "scholarships", _("Becas internacionales")
    TOURISTS = "tourists", _("Turistas")
    CUSTOM = "custom", _("Indicador propio")


# The unit each recommended indicator is counted in (the office may write another).
DEFAULT_UNITS = {
    IndicatorKind.AGREEMENTS_SIGNED: _("acuerdos"),
    IndicatorKind.FOREIGN_INVESTMENT: _("millones de dólares"),
    IndicatorKind.PROJECTS_EXECUTED: _("proyectos"),
    IndicatorKind.NETWORK_PARTICIPATION: _("redes"),
    IndicatorKind.SCHOLARSHIPS: _("becas"),
    IndicatorKind.TOURISTS: _("turistas"),
}


class ReminderKind(models.TextChoices):
    PLAN_MISSING = "plan_missing", _("Plan de trabajo pendiente")
    REPORT_DUE = "report_due", _("Informe semestral por presentar")


class FollowupAction(models.TextChoices):
    """What the follow-up timeline records."""

    PLAN_CREATED = "plan_created", _("Plan de trabajo registrado")
    PLAN_UPDATED = "plan_updated", _("Plan de trabajo modificado")
    ACTIVITY_ADDED = "activity_added", _("Actividad agregada")
    INDICATOR_ADDED = "indicator_added", _("Indicador agregado")
    REPORT_FILED = "report_filed", _("Informe semestral presentado")
    EVIDENCE_ADDED = "evidence_added", _("Evidencia adjuntada")
    REMINDER_SENT = "reminder_sent", _("Recordatorio enviado")
