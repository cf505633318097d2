"""A partnership's themes and populations: from ";"-joined strings to relations.

Populations were keys of the migrants' vocabulary (``asylum_refugees``): rows of ``migrants.PopulationGroup``
(values that are no key are dropped). Themes are the sources' own words ("Capacitación; asistencia conjunta"): each
part becomes a row of the open vocabulary ``PartnershipTheme`` (first letter capitalised, one row per name).
Backwards, the rows are joined again ("; " for themes, ";" for keys). The history keeps its columns as snapshots.
"""

from django.db import migrations, models

from migrants.migrations import _vocabularies


def theme_names(joined: str) -> list[str]:
    """``"Capacitación; asistencia conjunta"`` -> ``["Capacitación", "Asistencia conjunta"]``."""
    names = (" ".join(part.split()) for part in (joined or "").split(";"))
    return list(dict.fromkeys(name[:1].upper() + name[1:] for name in names if name))


def rows_from_strings(apps, schema_editor):
    Partnership = apps.get_model("cooperation", "Partnership")
    Theme = apps.get_model("cooperation", "PartnershipTheme")
    themes_through = Partnership.themes.through
    populations_through = Partnership.populations.through
    theme_rows, population_rows = [], []
    for pk, themes, populations in Partnership.objects.values_list("pk", "themes_joined", "populations_joined"):
        for name in theme_names(themes):
            theme, _created = Theme.objects.get_or_create(name=name)
            theme_rows.append(themes_through(partnership_id=pk, partnershiptheme_id=theme.pk))
        for key in _vocabularies.split_keys(populations, _vocabularies.POPULATIONS):
            population_rows.append(populations_through(partnership_id=pk, populationgroup_id=key))
    themes_through.objects.bulk_create(theme_rows, batch_size=1000)
    populations_through.objects.bulk_create(population_rows, batch_size=1000)


def strings_from_rows(apps, schema_editor):
    Partnership = apps.get_model("cooperation", "Partnership")
    for partnership in Partnership.objects.prefetch_related("themes", "populations"):
        partnership.themes_joined = "; ".join(sorted(t.name for t in partnership.themes.all()))[:300]
        keys = [p.pk for p in partnership.populations.all()]
        partnership.populations_joined = _vocabularies.join_keys(keys, _vocabularies.POPULATIONS)
        partnership.save(update_fields=["themes_joined", "populations_joined"])


class Migration(migrations.Migration):

    dependencies = [
        ("cooperation", "0003_bounded_activities"),
        ("migrants", "0003_populations_and_services_as_vocabularies"),
    ]

    operations = [
        migrations.CreateModel(
            name='PartnershipTheme',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120, unique=True, verbose_name='nombre')),
            ],
            options={
                'verbose_name': 'tema de alianza',
                'verbose_name_plural': 'temas de alianzas',
                'ordering': ['name'],
            },
        ),
        migrations.AlterField(
            model_name='historicalpartnership',
            name='themes',
            field=models.CharField(blank=True, max_length=400, verbose_name='temas'),
        ),
        migrations.RenameField("partnership", "themes", "themes_joined"),
        migrations.RenameField("partnership", "populations", "populations_joined"),
        migrations.AddField(
            model_name='partnership',
            name='populations',
            field=models.ManyToManyField(blank=True, related_name='partnerships', to='migrants.populationgroup', verbose_name='poblaciones atendidas'),
        ),
        migrations.AddField(
            model_name='partnership',
            name='themes',
            field=models.ManyToManyField(blank=True, related_name='partnerships', to='cooperation.partnershiptheme', verbose_name='temas'),
        ),
        migrations.RunPython(rows_from_strings, strings_from_rows),
        migrations.RemoveField("partnership", "themes_joined"),
        migrations.RemoveField("partnership", "populations_joined"),
    ]
