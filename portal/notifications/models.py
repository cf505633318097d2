from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """An in-app notification; the same event is e-mailed to the recipient."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications", verbose_name=_("destinatario")
    )
    subject = models.CharField(_("asunto"), max_length=250)
    body = models.TextField(_("mensaje"))
    url = models.CharField(_("enlace"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)
    read_at = models.DateTimeField(_("leída"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("enviada por correo"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notificación")
        verbose_name_plural = _("notificaciones")
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            # the e-mail outbox: only the few notices not yet e-mailed
            models.Index(fields=["id"], condition=models.Q(emailed_at=None), name="notification_outbox_idx"),
        ]

    def __str__(self):
        return self.subject
