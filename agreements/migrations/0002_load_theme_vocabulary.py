from django.db import migrations

THEMES = [
    "education", "culture", "science_technology", "training", "trade", "investment", "tourism", "environment",
    "urban_development", "security", "health", "migration", "other",
]


def load_themes(apps, schema_editor):
    Theme = apps.get_model("agreements", "Theme")
    for key in THEMES:
        Theme.objects.get_or_create(key=key)


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_initial")]
    operations = [migrations.RunPython(load_themes, migrations.RunPython.noop)]
