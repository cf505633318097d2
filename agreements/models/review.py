"""The CJA's review: the dictamen de procedencia (``Dictamen``) and its observations (``Observation``)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.core.limits import LONG_NOTE, NOTE, OBSERVATIONS, bounded_text_field

from ..choices import DictamenOutcome, DictamenStatus, ObservationAnswer
from .case import Agreement, _in
from .documents import Document

_OUTCOME_MISSING = _("Elija el sentido del dictamen: procedente, procedente con observaciones o no procedente.")
_ANSWER_MISSING = _("Indique si la observación fue atendida o no.")


class Dictamen(models.Model):
    """The CJA's *dictamen de procedencia* on one version of the final text.

    Its rules (the outcome, a summary, a reason to return it, the observations) are here, in field messages,
    ``clean()`` and ``clean_observations``; the services ``full_clean`` a dictamen before writing."""

    agreement = models.ForeignKey(Agreement, models.CASCADE, related_name="dictamenes", verbose_name=_("expediente"))
    final_text = models.ForeignKey(
        Document, models.PROTECT, related_name="dictamenes", verbose_name=_("versión dictaminada")
    )
    outcome = models.CharField(
        _("sentido"),
        max_length=30,
        choices=DictamenOutcome.choices,
        error_messages={"invalid_choice": _OUTCOME_MISSING, "blank": _OUTCOME_MISSING, "null": _OUTCOME_MISSING},
    )
    summary = bounded_text_field(
        _("resumen"), max_length=LONG_NOTE, error_messages={"blank": _("Escriba el resumen del dictamen.")}
    )
    status = models.CharField(_("estado"), max_length=20, choices=DictamenStatus.choices, default=DictamenStatus.ISSUED)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("emitido por")
    )
    issued_at = models.DateTimeField(_("emitido"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revisado por"),
    )
    reviewed_at = models.DateTimeField(_("revisado"), null=True, blank=True)
    cover_note = bounded_text_field(_("nota de envío"), max_length=NOTE, blank=True)
    return_comment = bounded_text_field(_("motivo de devolución"), max_length=NOTE, blank=True)
    reply_letter = models.OneToOneField(
        Document, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("oficio de respuesta")
    )

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("dictamen")
        verbose_name_plural = _("dictámenes")
        constraints = [
            models.CheckConstraint(
                condition=_in("outcome", DictamenOutcome), name="%(app_label)s_%(class)s_outcome_valid"
            ),
            models.CheckConstraint(
                condition=_in("status", DictamenStatus), name="%(app_label)s_%(class)s_status_valid"
            ),
            # No second dictamen on the same version: a returned one may be replaced, nothing else.
            models.UniqueConstraint(
                fields=["final_text"],
                condition=~Q(status="returned"),
                name="%(app_label)s_%(class)s_one_per_final_text",
            ),
        ]
        indexes = [
            # DGCP inbox: dictámenes waiting for approval, oldest first; with the case, for an index-only capped count.
            models.Index(
                fields=["issued_at", "id"],
                include=["agreement"],
                condition=Q(status="issued"),
                name="dictamen_issued_idx",
            ),
        ]

    def __str__(self):
        return f"{self.agreement.folio} · {self.get_outcome_display()}"

    def clean(self):
        """A dictamen returned to the CJA says why (step 8)."""
        if self.status == DictamenStatus.RETURNED and not (self.return_comment or "").strip():
            raise ValidationError({"return_comment": _("Explique a la CJA por qué se devuelve el dictamen.")})

    @staticmethod
    def clean_observations(outcome: str, observations: list[dict]) -> None:
        """The observations a dictamen is issued with (rows still to create): at least one when it is viable with
        observations, and the list's own rules (``Observation.check_list``)."""
        if outcome == DictamenOutcome.VIABLE_WITH_OBSERVATIONS and not observations:
            raise ValidationError(
                {"observations": [_("Un dictamen con observaciones debe incluir al menos una observación.")]}
            )
        Observation.check_list(observations)


class Observation(models.Model):
    dictamen = models.ForeignKey(Dictamen, models.CASCADE, related_name="observations", verbose_name=_("dictamen"))
    number = models.PositiveSmallIntegerField(_("número"))
    text = bounded_text_field(_("observación"), max_length=NOTE)
    clause = models.CharField(_("cláusula"), max_length=100, blank=True)
    answer = models.CharField(
        _("respuesta"),
        max_length=20,
        choices=ObservationAnswer.choices,
        default=ObservationAnswer.PENDING,
        error_messages={"invalid_choice": _ANSWER_MISSING, "blank": _ANSWER_MISSING, "null": _ANSWER_MISSING},
    )
    reply = bounded_text_field(_("comentario de la oficina local"), max_length=NOTE, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("respondida por"),
    )
    answered_at = models.DateTimeField(_("respondida"), null=True, blank=True)

    class Meta:
        ordering = ["dictamen", "number"]
        verbose_name = _("observación")
        verbose_name_plural = _("observaciones")
        constraints = [
            models.UniqueConstraint(fields=["dictamen", "number"], name="%(app_label)s_%(class)s_unique_number"),
            models.CheckConstraint(
                condition=_in("answer", ObservationAnswer), name="%(app_label)s_%(class)s_answer_valid"
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.text[:60]}"

    def clean(self):
        """An answered observation (step 9) was addressed or not; one not addressed says why."""
        if self.answered_at is not None and self.answer == ObservationAnswer.PENDING:
            raise ValidationError({"answer": _ANSWER_MISSING})
        if self.answer == ObservationAnswer.NOT_ADDRESSED and not (self.reply or "").strip():
            raise ValidationError({"reply": _("Explique por qué la observación no fue atendida.")})

    @classmethod
    def check_list(cls, observations: list[dict]) -> None:
        """Refuse more than ``OBSERVATIONS`` observations, or one longer than its fields allow (form, API, service)."""
        if len(observations) > OBSERVATIONS:
            msg = gettext("Un dictamen admite como máximo %(max)s observaciones (hay %(n)s).") % {
                "max": OBSERVATIONS,
                "n": len(observations),
            }
            raise ValidationError({"observations": [msg]})
        for number, observation in enumerate(observations, start=1):
            try:
                cls(text=observation.get("text"), clause=observation.get("clause") or "").clean_fields(
                    exclude=[f.name for f in cls._meta.fields if f.name not in ("text", "clause")]
                )
            except ValidationError as exc:
                error = next(iter(exc.message_dict.values()))[0]
                msg = gettext("Observación %(n)s: %(error)s") % {"n": number, "error": error}
                raise ValidationError({"observations": [msg]}) from None
