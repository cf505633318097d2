"""Append-only rows: refused in Python on every database and by a trigger on PostgreSQL.

The Python guard (``AppendOnlyModel``) stops ``save()`` of an existing row, ``delete()`` and the bulk
``QuerySet.update()``/``delete()`` of the default manager. Code can go around Python (raw SQL, another manager, a
``psql`` session), so on PostgreSQL a named migration adds ``append_only_trigger(table)``: a row trigger that
refuses UPDATE and DELETE whatever issued them. On SQLite the migration does nothing.

TRUNCATE is deliberately not refused: it is a privileged, whole-table operation (Django's test flush uses it);
production should withhold it from the application's database role.
"""

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MESSAGE = "%s rows are append-only."


class AppendOnlyError(ValueError):
    """An attempt to change or remove a row of an append-only table."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(MESSAGE % self.model._meta.label)

    def delete(self):
        raise AppendOnlyError(MESSAGE % self.model._meta.label)


class AppendOnlyModel(models.Model):
    """Abstract base: rows are inserted once and then only read."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(MESSAGE % self._meta.label)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(MESSAGE % self._meta.label)


class AppendOnlyEvent(AppendOnlyModel):
    """Abstract base of a timeline's rows (a case's, a follow-up's): when, who and the event's facts.

    Subclasses add what the event belongs to and its ``action`` code."""

    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
        help_text=_("Vacío cuando actuó el sistema."),
    )
    # The event's facts (dates in ISO format, numbers, a place), rendered in the reader's language.
    params = models.JSONField(_("datos del evento"), default=dict, blank=True)

    class Meta:
        abstract = True


# One function for every protected table. With an argument (a nullable user column) the single UPDATE allowed
# is the database's own ON DELETE SET NULL when that user account is deleted: nothing else in the row may change.
FUNCTION = """
CREATE OR REPLACE FUNCTION portal_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND TG_NARGS > 0
     AND (to_jsonb(NEW) ->> TG_ARGV[0]) IS NULL
     AND (to_jsonb(NEW) - TG_ARGV[0]) = (to_jsonb(OLD) - TG_ARGV[0]) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'rows of % are append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation';
END
$$
"""


def trigger_name(table: str) -> str:
    return f"{table}_append_only"


def append_only_trigger(table: str, *, nullable_user_column: str | None = None) -> migrations.RunPython:
    """Migration operation: protect ``table`` on PostgreSQL (no-op elsewhere); reversible."""
    argument = f"'{nullable_user_column}'" if nullable_user_column else ""

    def forward(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(FUNCTION, params=None)
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger_name(table)} ON {table}")
        schema_editor.execute(
            f"CREATE TRIGGER {trigger_name(table)} BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION portal_append_only({argument})"
        )

    def backward(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {trigger_name(table)} ON {table}")

    return migrations.RunPython(forward, backward, elidable=False)


def history_baseline(app_label: str, model_name: str, reason: str) -> migrations.RunPython:
    """Migration operation: one "+" historical row per existing row, so the first later change has a before."""

    def forward(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        historical = apps.get_model(app_label, f"Historical{model_name}")
        tracked = [f.attname for f in historical._meta.concrete_fields if not f.name.startswith("history_")]
        now = timezone.now()
        rows = [
            historical(
                history_date=now,
                history_type="+",
                history_change_reason=reason,
                **{name: getattr(obj, name) for name in tracked},
            )
            for obj in model._base_manager.all().iterator()
        ]
        historical._base_manager.bulk_create(rows, batch_size=500)

    return migrations.RunPython(forward, migrations.RunPython.noop)
