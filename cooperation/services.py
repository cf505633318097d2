"""Writes of focal points and administrations; every change lands in the focal points' history."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from portal.core.uploads import PDF, check_upload
from portal.geography.government import Government

from .models import FocalPoint
from .permissions import user_can_manage_focal_point

PERSONAL_MAIL_DOMAINS = {
    "gmail.com",
    "hotmail.com",
    "outlook.com",
    "yahoo.com",
    "yahoo.com.mx",
    "live.com",
    "icloud.com",
    "prodigy.net.mx",
    "aol.com",
    "protonmail.com",
}


def _clean(data: dict) -> dict:
    errors = {}
    for field, message in (
        ("name", _("Escriba el nombre.")),
        ("position", _("Escriba el cargo.")),
        ("email", _("Escriba el correo institucional.")),
    ):
        if not (data.get(field) or "").strip():
            errors[field] = [message]
    email = (data.get("email") or "").strip().lower()
    if email and email.rsplit("@", 1)[-1] in PERSONAL_MAIL_DOMAINS:
        errors["email"] = [_("Use un correo institucional, no uno personal.")]
    designated = data.get("designated_on")
    if not isinstance(designated, dt.date):
        errors["designated_on"] = [_("Indique la fecha de designación.")]
    elif designated > timezone.localdate():
        errors["designated_on"] = [_("La fecha de designación no puede estar en el futuro.")]
    term_end = data.get("term_ends_on")
    if term_end and isinstance(designated, dt.date) and term_end < designated:
        errors["term_ends_on"] = [_("El fin del encargo no puede ser anterior a la designación.")]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], field_errors=errors)
    return {
        "name": data["name"].strip(),
        "position": data["position"].strip(),
        "area": (data.get("area") or "").strip(),
        "email": email,
        "phone": (data.get("phone") or "").strip(),
        "designated_on": designated,
        "term_ends_on": term_end or None,
    }


def focal_point_assign(*, user, government: Government, data: dict, document=None) -> FocalPoint:
    """Name the government's new focal point; the previous one is kept in the history."""
    if not user_can_manage_focal_point(user, government):
        raise PermissionDenied(_("Solo el personal de este gobierno puede designar su punto focal."))
    clean = _clean(data)
    if document is not None:
        check_upload(document, allowed=(PDF,), field="designation_document")
        document.seek(0)
    with transaction.atomic():
        current = list(FocalPoint.objects.select_for_update().filter(**government.lookup, is_current=True))
        for previous in current:
            previous.is_current = False
            previous.ended_on = clean["designated_on"]
            previous._history_user = user
            previous.save(update_fields=["is_current", "ended_on"])
        point = FocalPoint(
            **government.lookup,
            **clean,
            institution=user.institution,
            confirmed_at=timezone.now(),
            is_demo=getattr(user, "is_demo", False),
        )
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
