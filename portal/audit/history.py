"""History of changes to reference records (offices, focal points, partnerships), kept by django-simple-history.

simple-history records every ``save()`` and ``delete()`` (admin, shell, services, ``QuerySet.delete()``) through
model signals, with the signed-in user from its middleware or ``instance._history_user``. Django sends no signal for
``QuerySet.update()`` or ``bulk_create()``; ``HistoryTrackedQuerySet`` hands those rows to the library's own
``bulk_history_create`` so bulk changes are recorded too. Raw SQL is not seen (that needs database triggers, as
django-pghistory does on PostgreSQL only); the historical tables themselves refuse UPDATE/DELETE on PostgreSQL.

Many-to-many fields (an office's populations and services, a partnership's themes and populations) are not columns
of the model: ``HistoricalRecords(m2m_snapshots={field: attribute})`` keeps, in a column of the same name in the
historical table, the values the row had at that moment (the related rows' ``attribute`` joined by ";", the format
those columns had when they were the model's own). The snapshot is write-once audit text, never filtered; the
model itself keeps the values as rows of a vocabulary table. Change the model and its many-to-many fields inside
``recorded_once(instance)`` to get one history row for the whole change.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import models, transaction
from django.db.models import prefetch_related_objects
from django.db.models.signals import m2m_changed
from django.utils.translation import gettext_lazy as _
from simple_history import admin as simple_history_admin
from simple_history import models as simple_history
from simple_history.signals import pre_create_historical_record

SNAPSHOT_SEPARATOR = ";"


def snapshot_parts(value) -> list[str]:
    """The values of one snapshot column (``"a;b"`` or ``"a; b"``), in their stored order."""
    return [part.strip() for part in str(value or "").split(SNAPSHOT_SEPARATOR) if part.strip()]


def _snapshot(instance, name: str, attribute: str) -> str:
    return SNAPSHOT_SEPARATOR.join(sorted(str(getattr(o, attribute)) for o in getattr(instance, name).all()))


KIND_LABELS = {"+": _("Alta"), "~": _("Cambio"), "-": _("Baja")}


class HistoricalRecords(simple_history.HistoricalRecords):
    """simple-history's field, minus saves that change nothing.

    Reference data is reloaded with ``update_or_create`` (every ``make run`` and deployment): without this each
    reload would add one empty "changed" row per office and partnership. One indexed read of the latest row per save.

    ``m2m_snapshots`` (many-to-many field -> attribute of its rows) adds the snapshot columns described above.
    """

    def __init__(self, *args, m2m_snapshots: dict[str, str] | None = None, **kwargs):
        self.m2m_snapshots = dict(m2m_snapshots or {})
        super().__init__(*args, **kwargs)

    def get_extra_fields(self, model, fields):
        extra = super().get_extra_fields(model, fields)
        for name in self.m2m_snapshots:
            verbose_name = model._meta.get_field(name).verbose_name
            extra[name] = models.CharField(verbose_name, max_length=400, blank=True)
        extra["m2m_snapshots"] = self.m2m_snapshots
        return extra

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if not self.m2m_snapshots or self.cls is not sender:
            return
        sender._history_records = self
        history_model = getattr(sender, self.manager_name).model
        pre_create_historical_record.connect(self._fill_snapshots, sender=history_model, weak=False)
        for name in self.m2m_snapshots:
            through = sender._meta.get_field(name).remote_field.through
            m2m_changed.connect(self._m2m_changed, sender=through, weak=False)

    def _fill_snapshots(self, sender, instance, history_instance, **kwargs):
        for name, attribute in self.m2m_snapshots.items():
            setattr(history_instance, name, _snapshot(instance, name, attribute))

    def _m2m_changed(self, sender, instance, action, reverse, **kwargs):
        """A many-to-many change outside ``recorded_once`` (a shell, the admin's second step) is a change too."""
        if reverse or action not in ("post_add", "post_remove", "post_clear"):
            return
        if hasattr(instance, "skip_history_when_saving") or self._unchanged(instance, kwargs.get("using")):
            return
        self.create_historical_record(instance, "~")

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
        if not all(getattr(latest, name) == getattr(instance, name) for name in fields):
            return False
        return all(
            sorted(snapshot_parts(getattr(latest, name))) == snapshot_parts(_snapshot(instance, name, attribute))
            for name, attribute in self.m2m_snapshots.items()
        )

    @staticmethod
    def _tracked(latest) -> set[str]:
        return {f.name for f in latest.tracked_fields}


def hold_history(instance) -> None:
    """Record nothing for ``instance`` until ``release_history`` (simple-history's own switch)."""
    instance.skip_history_when_saving = True


def release_history(instance, *, created: bool = False) -> None:
    """One history row with everything changed since ``hold_history`` (none if nothing changed)."""
    if hasattr(instance, "skip_history_when_saving"):
        del instance.skip_history_when_saving
    type(instance)._history_records.post_save(instance, created=created, using=instance._state.db)


@contextmanager
def recorded_once(instance, *, created: bool = False):
    """Saves of ``instance`` and changes to its many-to-many fields inside the block make one history row, written
    at the end with everything the block changed (none if nothing did)."""
    hold_history(instance)
    try:
        yield instance
    except BaseException:
        del instance.skip_history_when_saving
        raise
    release_history(instance, created=created)


class OneHistoryRowAdmin(simple_history_admin.SimpleHistoryAdmin):
    """The admin saves the row, then its many-to-many fields: one history row for both, written after them."""

    def save_model(self, request, obj, form, change):
        hold_history(obj)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        release_history(form.instance, created=not change)


class HistoryTrackedQuerySet(models.QuerySet):
    """``update()`` and ``bulk_create()`` send no signals: record their rows through simple-history."""

    def update(self, **kwargs):
        with transaction.atomic(using=self.db, savepoint=False):
            pks = list(self.values_list("pk", flat=True))
            count = super().update(**kwargs)
            if pks:
                rows = list(self.model._base_manager.using(self.db).filter(pk__in=pks))
                snapshots = getattr(self.model.history.model, "m2m_snapshots", {})
                if not snapshots:
                    self.model.history.bulk_history_create(rows, update=True)
                prefetch_related_objects(rows, *snapshots)
                for row in rows if snapshots else ():  # each row with its own many-to-many values
                    values = {name: _snapshot(row, name, attribute) for name, attribute in snapshots.items()}
                    self.model.history.bulk_history_create([row], update=True, custom_historical_attrs=values)
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
    if vocabulary is not None:  # a snapshot of vocabulary keys (populations, services)
        labels, keys = dict(vocabulary.choices), snapshot_parts(value)
        ordered = [k for k in labels if k in keys] + [k for k in keys if k not in labels]  # the vocabulary's order
        return ", ".join(str(labels.get(k, k)) for k in ordered)
    if isinstance(model_field, models.ManyToManyField):  # a snapshot of names (a partnership's themes)
        return "; ".join(snapshot_parts(value))
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
            pairs = [(change.field, change.old, change.new) for change in delta.changes]
            pairs += [
                (name, getattr(previous, name), getattr(record, name))
                for name in getattr(record, "m2m_snapshots", {})
                if sorted(snapshot_parts(getattr(previous, name))) != sorted(snapshot_parts(getattr(record, name)))
            ]
            for name, old, new in pairs:
                model_field = model._meta.get_field(name)
                vocabulary = (vocabularies or {}).get(name)
                changes.append(
                    Change(
                        str(model_field.verbose_name),
                        _display(model_field, old, vocabulary),
                        _display(model_field, new, vocabulary),
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
