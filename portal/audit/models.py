from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .append_only import AppendOnlyModel, AppendOnlyQuerySet


class AuditEventQuerySet(AppendOnlyQuerySet):
    def for_object(self, obj):
        return self.filter(target_type=obj._meta.label_lower, target_id=str(obj.pk))


class AuditEvent(AppendOnlyModel):
    """Append-only record of who changed what, when. Rows are never updated or deleted.

    Kept readable for the events written before offices, focal points and partnerships moved to
    django-simple-history (their ``history`` tables); nothing writes here any more.
    """

    created_at = models.DateTimeField(_("fecha"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("autor"),
    )
    action = models.CharField(_("acción"), max_length=60)
    target_type = models.CharField(_("tipo de objeto"), max_length=100)
    target_id = models.CharField(_("identificador"), max_length=64)
    target_repr = models.CharField(_("objeto"), max_length=250)
    changes = models.JSONField(_("cambios"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("evento de auditoría")
        verbose_name_plural = _("eventos de auditoría")
        indexes = [models.Index(fields=["target_type", "target_id", "-created_at"], name="audit_target_idx")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"
