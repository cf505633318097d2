"""PostgreSQL refuses UPDATE and DELETE on the case timeline, whatever issues them (ORM bulk, raw SQL, psql).

On SQLite nothing happens: the Python guard (portal.audit.append_only.AppendOnlyModel) is all there is.
"""

from django.db import migrations

from portal.audit.append_only import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [("agreements", "0009_signed_text_match")]
    operations = [append_only_trigger("agreements_timelineevent")]
