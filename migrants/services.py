"""Writes of migrant-attention offices: every change lands in the office's history (who, when, what)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit.history import recorded_once
from portal.core.exceptions import NotFound, PermissionDenied, ValidationFailed, full_clean_or_fail

from .choices import Population, Service
from .models import MigrantOffice
from .permissions import user_can_edit_office

MANY = {"populations": Population, "services": Service}


def _keys(values, vocabulary, field) -> list[str]:
    values = list(dict.fromkeys(str(v) for v in values or []))
    unknown = [v for v in values if v not in vocabulary.values]
    if unknown:
        msg = _("Valores desconocidos: %(v)s.") % {"v": ", ".join(unknown)}
        raise ValidationFailed(msg, field_errors={field: [msg]})
    return values


def migrant_office_update(*, user, office_id: int, data: dict) -> MigrantOffice:
    """Update the office's own data and confirm it; the change is recorded in its history."""
    with transaction.atomic():
        office = MigrantOffice.objects.select_for_update().select_related("institution").filter(pk=office_id).first()
        if office is None:
            raise NotFound()
        if not user_can_edit_office(user, office):
            raise PermissionDenied(_("Solo el personal de esta oficina puede modificar sus datos."))
        clean = {k: v for k, v in data.items() if k in MigrantOffice.EDITABLE_FIELDS}
        many = {
            field: _keys(clean.pop(field), vocabulary, field) for field, vocabulary in MANY.items() if field in clean
        }
        for field, value in clean.items():
            setattr(
                office,
                field,
                "" if value is None and field not in ("creation_year", "handles_international_affairs") else value,
            )
        office.confirmed_at = timezone.now()
        full_clean_or_fail(office, exclude=["institution"])  # the model's rules, before anything is written
        office._history_user = user
        with recorded_once(office):  # one history row with the fields and the lists
            office.save()
            for field, keys in many.items():
                getattr(office, field).set(keys)
    return office


def migrant_office_confirm(*, user, office_id: int) -> MigrantOffice:
    """The office states its data is current (for the change-of-administration review)."""
    with transaction.atomic():
        office = MigrantOffice.objects.select_for_update().filter(pk=office_id).first()
        if office is None:
            raise NotFound()
        if not user_can_edit_office(user, office):
            raise PermissionDenied(_("Solo el personal de esta oficina puede confirmar sus datos."))
        office.confirmed_at = timezone.now()
        office._history_user = user
        office.save(update_fields=["confirmed_at", "updated_at"])
    return office
