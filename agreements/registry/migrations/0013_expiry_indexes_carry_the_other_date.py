"""The expiry and termination indexes carry the other date (``INCLUDE``), so that the statistics of a range of
signing years count this month's ends and terminations from the indexes alone (``selectors.stats``): at
1,000,000 entries a month's ends were 5,000 heap pages read for two dates (issue #14). Rebuilding both takes a
few seconds at that size."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0040_inbox_indexes_index_only"),
        ("geography", "0002_municipality_common_names"),
        ("institutions", "0003_user_preferred_language"),
        ("registry", "0012_entry_government_columns_without_own_indexes"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="registryentry",
            name="registry_expires_idx",
        ),
        migrations.RemoveIndex(
            model_name="registryentry",
            name="registry_terminated_idx",
        ),
        migrations.AddIndex(
            model_name="registryentry",
            index=models.Index(
                fields=["expires_on", "signed_on"], include=("terminated_on",), name="registry_expires_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="registryentry",
            index=models.Index(
                condition=models.Q(("terminated_on__isnull", False)),
                fields=["terminated_on", "signed_on"],
                include=("expires_on",),
                name="registry_terminated_idx",
            ),
        ),
    ]
