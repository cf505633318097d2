"""PostgreSQL refuses UPDATE and DELETE on the legacy audit events; only deleting a user may clear ``actor``."""

from django.db import migrations

from portal.audit.append_only import append_only_trigger


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [append_only_trigger("audit_auditevent", nullable_user_column="actor_id")]
