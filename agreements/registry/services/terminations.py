"""Terminations of registered agreements: the local office notifies, the CJA confirms or returns.

A confirmed termination sets ``RegistryEntry.terminated_on``; from that day the entry counts as terminated
everywhere (``selectors.entries.entry_status_q``). Each change is kept in ``Termination.history``.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.choices import TerminationStatus
from agreements.permissions import may_decide_termination, may_request_termination
from portal.core.exceptions import Conflict, NotFound, PermissionDenied, full_clean_or_fail
from portal.core.queueing import on_commit
from portal.core.uploads import PDF, check_upload
from portal.institutions.selectors import permission_holders
from portal.notifications.choices import NoticeEvent
from portal.notifications.services import notification_send

from ..models import RegistryEntry, Termination
from .entries import _registry_changed

__all__ = ["termination_confirm", "termination_request", "termination_return"]


def _holders(permission: str, **filters) -> list:
    return list(permission_holders(permission, **filters).order_by("pk"))


def _notify(termination: Termination, event: str, recipients: list) -> None:
    entry = termination.entry
    notification_send(
        recipients=recipients,
        event=event,
        params={
            "entry": {
                "title": entry.title,
                "counterpart_name": entry.counterpart_name,
                "registry_number": entry.registry_number,
            },
            "termination": {
                "terminated_on": termination.terminated_on.isoformat(),
                "reason": termination.reason,
                "return_reason": termination.return_reason,
            },
        },
        agreement=entry.agreement,
        url=reverse("agreements:termination_queue")
        if event == NoticeEvent.TERMINATION_REQUESTED
        else reverse("agreements:registry_detail", args=[entry.registry_number]),
    )


def _validated(termination: Termination, *fields: str) -> None:
    """The model's rules on the ``fields`` an action sets, before anything is written; the database keeps one
    pending notice per entry (a conflict, not a mistake in the input)."""
    full_clean_or_fail(termination, only=fields, validate_unique=False, validate_constraints=False)


@transaction.atomic
def termination_request(*, user, entry: RegistryEntry, terminated_on: dt.date, reason: str, notice_letter):
    """The office notifies that ``entry`` ended (or ends) on ``terminated_on``; the CJA is told."""
    if not may_request_termination(user, entry):
        raise PermissionDenied(
            _("Solo la oficina de la dependencia que firmó el acuerdo puede notificar su terminación.")
        )
    entry = RegistryEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.terminated_on is not None:
        raise Conflict(_("Este acuerdo ya está terminado desde el %(d)s.") % {"d": f"{entry.terminated_on:%d/%m/%Y}"})
    termination = Termination(
        entry=entry, terminated_on=terminated_on, reason=(reason or "").strip(), requested_by=user
    )
    _validated(termination, "reason", "terminated_on")
    checked = check_upload(notice_letter, allowed=(PDF,), field="notice_letter")
    termination.notice_name, termination.notice_sha256 = checked.name, checked.sha256
    termination.notice_letter.save(checked.name, ContentFile(checked.content), save=False)
    try:
        with transaction.atomic():
            termination.save()
    except IntegrityError:
        raise Conflict(_("Ya hay una terminación de este acuerdo en revisión de la CJA.")) from None
    _notify(termination, NoticeEvent.TERMINATION_REQUESTED, _holders("agreements.confirm_termination"))
    return termination


def _pending(termination_id: int) -> Termination:
    try:
        termination = Termination.objects.select_for_update().select_related("entry").get(pk=termination_id)
    except Termination.DoesNotExist:
        raise NotFound() from None
    if termination.status != TerminationStatus.REQUESTED:
        raise Conflict(_("Esta terminación ya fue resuelta (%(s)s).") % {"s": termination.get_status_display()})
    return termination


def _office(termination: Termination) -> list:
    staff = _holders("agreements.request_termination", institution_id=termination.entry.institution_id)
    return staff or [termination.requested_by]


@transaction.atomic
def termination_confirm(*, user, termination_id: int) -> Termination:
    """The CJA inscribes the termination: the entry is terminated from its date on."""
    if not may_decide_termination(user):
        raise PermissionDenied(_("Solo la Consultoría Jurídica confirma terminaciones."))
    termination = _pending(termination_id)
    termination.status = TerminationStatus.CONFIRMED
    termination.decided_by, termination.decided_at = user, timezone.now()
    termination.save(update_fields=["status", "decided_by", "decided_at"])
    entry = termination.entry
    entry.terminated_on = termination.terminated_on
    entry.save(update_fields=["terminated_on", "updated_at"])
    on_commit(_registry_changed)
    _notify(termination, NoticeEvent.TERMINATION_CONFIRMED, _office(termination))
    return termination


@transaction.atomic
def termination_return(*, user, termination_id: int, reason: str) -> Termination:
    """The CJA returns the notice to the office, saying why; the entry does not change."""
    if not may_decide_termination(user):
        raise PermissionDenied(_("Solo la Consultoría Jurídica devuelve terminaciones."))
    reason = (reason or "").strip()
    _validated(Termination(status=TerminationStatus.RETURNED, return_reason=reason), "return_reason")
    termination = _pending(termination_id)
    termination.status = TerminationStatus.RETURNED
    termination.return_reason = reason
    termination.decided_by, termination.decided_at = user, timezone.now()
    termination.save(update_fields=["status", "return_reason", "decided_by", "decided_at"])
    _notify(termination, NoticeEvent.TERMINATION_RETURNED, _office(termination))
    return termination
