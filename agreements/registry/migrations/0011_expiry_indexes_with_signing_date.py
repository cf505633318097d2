"""The expiry and termination indexes carry the signing date: the statistics of a range of signing years count this
month's ends and terminations live, and with the date beside them the range is checked in the index instead of
through a bitmap of every entry signed in those years (28 ms for 294 rows at 1,000,000 entries)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('agreements', '0040_inbox_indexes_index_only'),
        ('geography', '0002_municipality_common_names'),
        ('institutions', '0003_user_preferred_language'),
        ('registry', '0010_stored_search_words'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='registryentry',
            name='registry_expires_idx',
        ),
        migrations.RemoveIndex(
            model_name='registryentry',
            name='registry_terminated_idx',
        ),
        migrations.AddIndex(
            model_name='registryentry',
            index=models.Index(fields=['expires_on', 'signed_on'], name='registry_expires_idx'),
        ),
        migrations.AddIndex(
            model_name='registryentry',
            index=models.Index(condition=models.Q(('terminated_on__isnull', False)), fields=['terminated_on', 'signed_on'], name='registry_terminated_idx'),
        ),
    ]
