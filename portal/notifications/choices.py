from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeEvent(models.TextChoices):
    """What a notice tells its reader. Each event has its wording, for that reader, in
    ``templates/agreements/notices/<event>_subject.txt`` and ``<event>_body.txt``."""

    RECEIPT = "receipt", _("Acuse de recibo de la solicitud")
    SUBMITTED = "submitted", _("Nueva solicitud de dictamen")
    INCOMPLETE = "incomplete", _("Solicitud incompleta")
    IN_REVIEW = "in_review", _("Solicitud turnada a la CJA")
    DICTAMEN_ISSUED = "dictamen_issued", _("Dictamen por aprobar")
    DICTAMEN_RETURNED = "dictamen_returned", _("Dictamen devuelto por la DGCP")
    DICTAMEN_DELIVERED = "dictamen_delivered", _("Respuesta de la SRE")
    REVISION_SUBMITTED = "revision_submitted", _("Texto revisado por dictaminar")
    REVISION_INFORMED = "revision_informed", _("Texto revisado enviado a la CJA")
    REGISTRATION_REQUESTED = "registration_requested", _("Inscripción por hacer")
    SIGNED_COPY_RETURNED = "signed_copy_returned", _("Copia firmada devuelta")
    CLOSED = "closed", _("Acuerdo inscrito y expediente concluido")
    CLOSED_INFORMED = "closed_informed", _("Expediente concluido")
    RETURNED = "returned", _("Expediente devuelto para correcciones")
    NOT_ADMISSIBLE = "not_admissible", _("Expediente no admitido")
    WITHDRAWN = "withdrawn", _("Solicitud retirada")
    EXPIRY_REMINDER = "expiry_reminder", _("Fin de vigencia próximo")
    REVIEWER_ASSIGNED = "reviewer_assigned", _("Expediente asignado a usted")
    TERMINATION_REQUESTED = "termination_requested", _("Terminación por confirmar")
    TERMINATION_CONFIRMED = "termination_confirmed", _("Terminación inscrita")
    TERMINATION_RETURNED = "termination_returned", _("Terminación devuelta")
    FOLLOWUP_PLAN_MISSING = "followup_plan_missing", _("Plan de trabajo pendiente")
    FOLLOWUP_REPORT_DUE = "followup_report_due", _("Informe semestral por presentar")
