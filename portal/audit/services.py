from .models import AuditEvent


def audit_record(*, actor, action: str, target, changes: dict | None = None) -> AuditEvent:
    """Append one audit event for ``target``; call inside the transaction that made the change."""
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:250],
        changes=changes or {},
    )


def model_changes(before: dict, after: dict) -> dict:
    """``{field: [old, new]}`` for the fields whose value changed (values as JSON-friendly text)."""

    def plain(value):
        if isinstance(value, (list, tuple, set)):
            return sorted(str(v) for v in value)
        return None if value is None else str(value)

    return {
        k: [plain(before.get(k)), plain(after.get(k))] for k in after if plain(before.get(k)) != plain(after.get(k))
    }
