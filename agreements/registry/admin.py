"""Admin of the public registry: read-only (entries change through step 12 or import_registry)."""

from django.contrib import admin

from portal.core.admin import ReadOnlyModelAdmin

from .models import RegistryEntry


@admin.register(RegistryEntry)
class RegistryEntryAdmin(ReadOnlyModelAdmin):
    list_display = ["registry_number", "title", "state", "level", "counterpart_name", "signed_on", "source"]
    list_filter = ["level", "source", "region", "kind"]
    search_fields = ["registry_number", "title", "counterpart_name"]
    list_select_related = ["state"]
    raw_id_fields = ["municipality", "agreement"]
