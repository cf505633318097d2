"""Populations and services: from one ";"-joined string per office to rows of two vocabulary tables.

The strings become rows of the many-to-many tables (unknown keys, which the services never accepted, are dropped);
backwards, the rows are joined again in the vocabulary's order. The history keeps its columns: since this migration
they hold the snapshot portal/audit/history.py writes (same format), so earlier rows still read as before.
"""

from django.db import migrations, models

from ._vocabularies import POPULATIONS, SERVICES, join_keys, split_keys

def load_vocabularies(apps, schema_editor):
    for model, keys in (("PopulationGroup", POPULATIONS), ("OfficeService", SERVICES)):
        Model = apps.get_model("migrants", model)
        for key in keys:
            Model.objects.get_or_create(key=key)


def rows_from_strings(apps, schema_editor):
    MigrantOffice = apps.get_model("migrants", "MigrantOffice")
    for field, known in (("populations", POPULATIONS), ("services", SERVICES)):
        through = MigrantOffice._meta.get_field(field).remote_field.through
        target = through._meta.get_field(MigrantOffice._meta.get_field(field).m2m_reverse_field_name()).attname
        rows = [
            through(migrantoffice_id=pk, **{target: key})
            for pk, joined in MigrantOffice.objects.values_list("pk", f"{field}_joined")
            for key in split_keys(joined, known)
        ]
        through.objects.bulk_create(rows, batch_size=1000)


def strings_from_rows(apps, schema_editor):
    MigrantOffice = apps.get_model("migrants", "MigrantOffice")
    for office in MigrantOffice.objects.prefetch_related("populations", "services"):
        office.populations_joined = join_keys([p.pk for p in office.populations.all()], POPULATIONS)
        office.services_joined = join_keys([s.pk for s in office.services.all()], SERVICES)
        office.save(update_fields=["populations_joined", "services_joined"])


class Migration(migrations.Migration):

    dependencies = [
        ("migrants", "0002_migrant_office_history"),
    ]

    operations = [
        migrations.CreateModel(
            name='OfficeService',
            fields=[
                ('key', models.CharField(choices=[('legal_advice', 'Asesoría jurídica'), ('shelter', 'Albergue'), ('health', 'Salud'), ('psychological', 'Atención psicológica'), ('education', 'Educación'), ('employment', 'Empleo'), ('documentation', 'Documentación'), ('repatriation', 'Apoyo a la repatriación'), ('information', 'Campañas de información')], max_length=30, primary_key=True, serialize=False)),
            ],
            options={
                'verbose_name': 'servicio',
                'verbose_name_plural': 'servicios',
                'ordering': ['key'],
                'constraints': [models.CheckConstraint(condition=models.Q(('key__in', ['legal_advice', 'shelter', 'health', 'psychological', 'education', 'employment', 'documentation', 'repatriation', 'information'])), name='migrants_officeservice_key_valid')],
            },
        ),
        migrations.CreateModel(
            name='PopulationGroup',
            fields=[
                ('key', models.CharField(choices=[('emigrants', 'Personas emigrantes y sus familias'), ('returnees_voluntary', 'Personas retornadas voluntariamente'), ('returnees_deported', 'Personas deportadas'), ('transit', 'Personas migrantes en tránsito'), ('immigrants', 'Personas inmigrantes'), ('asylum_refugees', 'Solicitantes de asilo y refugiados'), ('displaced', 'Personas desplazadas internas'), ('unaccompanied_children', 'Niñas, niños y adolescentes no acompañados'), ('crime_victims', 'Personas migrantes víctimas de delito')], max_length=30, primary_key=True, serialize=False)),
            ],
            options={
                'verbose_name': 'población atendida',
                'verbose_name_plural': 'poblaciones atendidas',
                'ordering': ['key'],
                'constraints': [models.CheckConstraint(condition=models.Q(('key__in', ['emigrants', 'returnees_voluntary', 'returnees_deported', 'transit', 'immigrants', 'asylum_refugees', 'displaced', 'unaccompanied_children', 'crime_victims'])), name='migrants_populationgroup_key_valid')],
            },
        ),
        migrations.RunPython(load_vocabularies, migrations.RunPython.noop),
        migrations.RenameField("migrantoffice", "populations", "populations_joined"),
        migrations.RenameField("migrantoffice", "services", "services_joined"),
        migrations.AddField(
            model_name='migrantoffice',
            name='populations',
            field=models.ManyToManyField(blank=True, related_name='offices', to='migrants.populationgroup', verbose_name='poblaciones atendidas'),
        ),
        migrations.AddField(
            model_name='migrantoffice',
            name='services',
            field=models.ManyToManyField(blank=True, related_name='offices', to='migrants.officeservice', verbose_name='servicios'),
        ),
        migrations.RunPython(rows_from_strings, strings_from_rows),
        migrations.RemoveField("migrantoffice", "populations_joined"),
        migrations.RemoveField("migrantoffice", "services_joined"),
    ]
