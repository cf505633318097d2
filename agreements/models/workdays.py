"""Dates the deadlines and inboxes count with: reviewers' absences (``ReviewerAbsence``) and published non-working
days (``NonWorkingDay``)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReviewerAbsence(models.Model):
    """A reviewer away from ``starts_on`` to ``ends_on`` (inclusive): their cases show in the delegate's «Míos»."""

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="absences", verbose_name=_("revisor")
    )
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="delegations", verbose_name=_("suplente")
    )
    starts_on = models.DateField(_("desde"))
    ends_on = models.DateField(_("hasta"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("registrada por")
    )
    created_at = models.DateTimeField(_("registrada"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("ausencia de revisor")
        verbose_name_plural = _("ausencias de revisores")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="%(app_label)s_%(class)s_dates_in_order"
            ),
            models.CheckConstraint(
                condition=~Q(delegate=models.F("reviewer")), name="%(app_label)s_%(class)s_delegate_is_another"
            ),
        ]
        indexes = [models.Index(fields=["delegate", "ends_on"], name="absence_delegate_idx")]

    def __str__(self):
        return f"{self.reviewer} {self.starts_on}–{self.ends_on}"

    def clean(self):
        """Someone else stands in (a delegate the recording service found among the office's reviewers), and the
        absence ends on or after the day it starts."""
        errors = {}
        if self.delegate_id is None or self.delegate_id == self.reviewer_id:
            errors["delegate"] = [_("El suplente debe ser otra persona revisora de la misma oficina.")]
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = [_("La fecha final no puede ser anterior a la inicial.")]
        if errors:
            raise ValidationError(errors)


class NonWorkingDay(models.Model):
    """A *día inhábil* the SRE published in the DOF, added by administrators."""

    date = models.DateField(_("fecha"), unique=True)
    description = models.CharField(_("descripción"), max_length=200)

    class Meta:
        ordering = ["date"]
        verbose_name = _("día inhábil")
        verbose_name_plural = _("días inhábiles")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} · {self.description}"
