from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import events
from .choices import NoticeEvent


class Notification(models.Model):
    """An in-app notification; the same event is e-mailed to the recipient."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications", verbose_name=_("destinatario")
    )
    # What the notice says: an event code (choices) with its parameters, rendered in the reader's language.
    # Notices written before events were codes have none ("") and are shown as they were stored.
    event = models.CharField(_("evento"), max_length=40, choices=NoticeEvent.choices, blank=True)
    params = models.JSONField(_("datos del evento"), default=dict, blank=True)
    agreement = models.ForeignKey(
        "agreements.Agreement",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("expediente"),
    )
    # The Spanish (es-MX) text as it was rendered when the notice was written: the record of what was said.
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
        constraints = [
            models.CheckConstraint(
                condition=models.Q(event__in=NoticeEvent.values) | models.Q(event=""),
                name="%(app_label)s_%(class)s_event_valid",
            ),
        ]

    def __str__(self):
        return self.subject

    def rendered(self, language: str | None = None) -> tuple[str, str]:
        """``(subject, body)`` in ``language`` (default: the active one); stored notices without an event as
        they were written."""
        if not self.event:
            return self.subject, self.body
        return events.render(self.event, self.params, self.agreement, language=language)
