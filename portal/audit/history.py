"""History of changes to reference records (offices, focal points, partnerships), kept by django-simple-history.

simple-history records every ``save()`` and ``delete()`` (admin, shell, services, ``QuerySet.delete()``) through
model signals, with the signed-in user from its middleware or ``instance._history_user``. Django sends no signal for
``QuerySet.update()`` or ``bulk_create()``; ``HistoryTrackedQuerySet`` hands those rows to the library's own
``bulk_history_create`` so bulk changes are recorded too. Raw SQL is not seen (that needs database triggers, as
django-pghistory does on PostgreSQL only); the historical tables themselves refuse UPDATE/DELETE on PostgreSQL.
"""

from dataclasses import dataclass, field

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from simple_history import models as simple_history

KIND_LABELS = {"+": _("Alta"), "~": _("Cambio"), "-": _("Baja")}


class HistoricalRecords(simple_history.HistoricalRecords):
    """simple-history's field, minus saves that change nothing.

    Reference data is reloaded with ``update_or_create`` (every ``make run`` and deployment): without this each
    reload would add one empty "changed" row per office and partnership. One indexed read of the latest row per save.
    """

    def post_save(self, instance, created, using=None, **kwargs):
        if not created and not kwargs.get("raw", False) and self._unchanged(instance, using):
            return
        super().post_save(instance, created, using=using, **kwargs)

    def _unchanged(self, instance, using) -> bool:
        manager = getattr(type(instance), self.manager_name)
        latest = manager.using(using).filter(**{instance._meta.pk.attname: instance.pk}).first()
        if latest is None or latest.history_type == "-":
            return False
        fields = [f.attname for f in latest.instance_type._meta.concrete_fields if f.name in self._tracked(latest)]
        return all(getattr(latest, name) == getattr(instance, name) for name in fields)

    @staticmethod
    def _tracked(latest) -> set[str]:
        return {f.name for f in latest.tracked_fields}


class HistoryTrackedQuerySet(models.QuerySet):
    """``update()`` and ``bulk_create()`` send no signals: record their rows through simple-history."""

    def update(self, **kwargs):
        with transaction.atomic(using=self.db, savepoint=False):
            pks = list(self.values_list("pk", flat=True))
            count = super().update(**kwargs)
            if pks:
                rows = list(self.model._base_manager.using(self.db).filter(pk__in=pks))
                self.model.history.bulk_history_create(rows, update=True)
        return count

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        with transaction.atomic(using=self.db, savepoint=False):
            created = super().bulk_create(objs, *args, **kwargs)
            self.model.history.bulk_history_create([o for o in created if o.pk is not None])
        return created

    bulk_create.alters_data = True


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: object
    who: object
    kind: str
    reason: str
    changes: list[Change] = field(default_factory=list)


def _display(model_field, value, vocabulary=None) -> str:
    if value in (None, ""):
        return "—"
    if vocabulary is not None:  # several keys joined by ";" (populations, services)
        labels = dict(vocabulary.choices)
        return ", ".join(str(labels.get(k, k)) for k in str(value).split(";") if k)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return str(_("Sí") if value else _("No"))
    return str(value)


def history_entries(records, *, limit: int, vocabularies: dict | None = None) -> list[HistoryEntry]:
    """Newest first, each change with the field's label and readable values (``vocabularies``: field -> choices).

    ``records`` must be one object's historical rows, newest first, with ``history_user`` selected; one more row
    than ``limit`` is read so the oldest entry shown can be compared with its predecessor (no query per entry).
    """
    rows = list(records[: limit + 1])
    entries = []
    for index, record in enumerate(rows[:limit]):
        previous = rows[index + 1] if index + 1 < len(rows) else None
        changes = []
        if record.history_type == "~" and previous is not None:
            delta = record.diff_against(previous)
            model = record.instance_type
            for change in delta.changes:
                model_field = model._meta.get_field(change.field)
                vocabulary = (vocabularies or {}).get(change.field)
                changes.append(
                    Change(
                        str(model_field.verbose_name),
                        _display(model_field, change.old, vocabulary),
                        _display(model_field, change.new, vocabulary),
                    )
                )
            if not changes:
                continue  # saved without a change (a reference-data reload): nothing to tell
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=record.history_user,
                kind=str(KIND_LABELS.get(record.history_type, record.history_type)),
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return entries
