"""The entries' ``state`` and ``municipality`` columns lose the indexes Django gave each of them (the column's own
and its ``varchar_pattern_ops`` twin for ``LIKE``): the list's indexes begin with these columns
(``registry_state_idx``, ``registry_municipality_idx``) and serve every lookup and the foreign keys' checks, so the
four only cost each inscription four index writes (the worker's step 12) and the table their space.

Only the indexes are dropped: ``AlterField`` would also drop and re-add the foreign keys, checking every entry again.
"""

import django.db.models.deletion
from django.db import migrations, models

INDEXES = {
    "state_id": "agreements_registryentry_state_id_375458c2",
    "municipality_id": "agreements_registryentry_municipality_id_2a9d48ff",
}


def drop(apps, schema_editor):
    for name in INDEXES.values():
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}_like"')


def create(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for column, name in INDEXES.items():
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "agreements_registryentry" ("{column}")')
        if postgres:
            schema_editor.execute(
                f'CREATE INDEX IF NOT EXISTS "{name}_like" ON "agreements_registryentry" ("{column}" varchar_pattern_ops)'
            )


class Migration(migrations.Migration):
    dependencies = [
        ("geography", "0002_municipality_common_names"),
        ("registry", "0011_expiry_indexes_with_signing_date"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="registryentry",
                    name="municipality",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="registry_entries",
                        to="geography.municipality",
                        verbose_name="municipio",
                    ),
                ),
                migrations.AlterField(
                    model_name="registryentry",
                    name="state",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="registry_entries",
                        to="geography.state",
                        verbose_name="entidad",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop, create)],
        )
    ]
