"""The append-only record of what happened on a case (``TimelineEvent``)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.audit.append_only import AppendOnlyEvent
from portal.core.limits import LONG_NOTE, bounded_text_field

from .. import events
from ..choices import ActorRole, TimelineAction, TimelineDecision
from .case import Agreement, _in


class TimelineEvent(AppendOnlyEvent):
    """Append-only record of every step attempt and decision on a case (PostgreSQL refuses UPDATE/DELETE too);
    ``params`` are rendered by ``events.py``."""

    agreement = models.ForeignKey(Agreement, models.CASCADE, related_name="timeline", verbose_name=_("expediente"))
    actor_role = models.CharField(_("función del actor"), max_length=20, choices=ActorRole.choices)
    action = models.CharField(_("acción"), max_length=40, choices=TimelineAction.choices)
    completed_step = models.PositiveSmallIntegerField(_("paso completado"), null=True, blank=True)
    from_step = models.PositiveSmallIntegerField(_("del paso"), null=True, blank=True)
    to_step = models.PositiveSmallIntegerField(_("al paso"), null=True, blank=True)
    from_status = models.CharField(_("estado anterior"), max_length=30)
    to_status = models.CharField(_("estado nuevo"), max_length=30)
    decision = models.CharField(_("decisión"), max_length=40, blank=True, choices=TimelineDecision.choices)
    # What a person wrote: a reason, a reply, a dictamen's summary (the longest), a file's name.
    comment = bounded_text_field(_("comentario"), max_length=LONG_NOTE, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("evento del expediente")
        verbose_name_plural = _("línea de tiempo")
        indexes = [models.Index(fields=["agreement", "created_at"], name="timeline_agreement_idx")]
        constraints = [
            models.CheckConstraint(
                condition=_in("action", TimelineAction), name="%(app_label)s_%(class)s_action_valid"
            ),
            models.CheckConstraint(
                condition=_in("actor_role", ActorRole), name="%(app_label)s_%(class)s_actor_role_valid"
            ),
            models.CheckConstraint(
                condition=_in("decision", TimelineDecision) | Q(decision=""),
                name="%(app_label)s_%(class)s_decision_valid",
            ),
        ]

    def __str__(self):
        return f"{self.agreement_id} {self.action}"

    @property
    def detail(self) -> str:
        """The event's facts as a sentence in the active language (``events.describe``)."""
        return events.describe(self.action, self.decision, self.params)
