"""Writes of focal points and administrations; every change lands in the focal points' history."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.exceptions import NotFound, PermissionDenied, full_clean_or_fail
from portal.core.uploads import PDF, check_upload
from portal.geography.government import Government

from .models import FocalPoint
from .permissions import user_can_manage_focal_point

_VALIDATED = ("name", "position", "area", "email", "phone", "designated_on", "term_ends_on")


def _point(data: dict, government: Government, user) -> FocalPoint:
    """The new focal point from ``data`` (trimmed), checked against the model's rules before anything is written."""
    point = FocalPoint(
        **government.lookup,
        name=(data.get("name") or "").strip(),
        position=(data.get("position") or "").strip(),
        area=(data.get("area") or "").strip(),
        email=(data.get("email") or "").strip().lower(),
        phone=(data.get("phone") or "").strip(),
        designated_on=data.get("designated_on"),
        term_ends_on=data.get("term_ends_on") or None,
        institution=user.institution,
        is_demo=getattr(user, "is_demo", False),
    )
    full_clean_or_fail(point, only=_VALIDATED, validate_unique=False, validate_constraints=False)
    return point


def focal_point_assign(*, user, government: Government, data: dict, document=None) -> FocalPoint:
    """Name the government's new focal point; the previous one is kept in the history."""
    if not user_can_manage_focal_point(user, government):
        raise PermissionDenied(_("Solo el personal de este gobierno puede designar su punto focal."))
    point = _point(data, government, user)
    if document is not None:
        check_upload(document, allowed=(PDF,), field="designation_document")
        document.seek(0)
    with transaction.atomic():
        current = list(FocalPoint.objects.select_for_update().filter(**government.lookup, is_current=True))
        for previous in current:
            previous.is_current = False
            previous.ended_on = point.designated_on
            previous._history_user = user
            previous.save(update_fields=["is_current", "ended_on"])
        point.confirmed_at = timezone.now()
        if document is not None:
            point.designation_document.save(f"designacion-{government.code}.pdf", document, save=False)
        point._history_user = user
        point.save()
    return point


def focal_point_confirm(*, user, government: Government) -> FocalPoint:
    if not user_can_manage_focal_point(user, government):
        raise PermissionDenied(_("Solo el personal de este gobierno puede confirmar su punto focal."))
    with transaction.atomic():
        point = FocalPoint.objects.select_for_update().filter(**government.lookup, is_current=True).first()
        if point is None:
            raise NotFound(_("Este gobierno no tiene punto focal vigente; designe uno."))
        point.confirmed_at = timezone.now()
        point._history_user = user
        point.save(update_fields=["confirmed_at"])
    return point
