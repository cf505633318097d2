from django.contrib import admin

from portal.core.admin import ReadOnlyModelAdmin

from .models import Agreement, Dictamen, Document, NonWorkingDay, TimelineEvent


@admin.register(NonWorkingDay)
class NonWorkingDayAdmin(admin.ModelAdmin):
    list_display = ["date", "description"]
    date_hierarchy = "date"
    search_fields = ["description"]


class TimelineInline(admin.TabularInline):
    model = TimelineEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "actor", "actor_role", "action", "completed_step", "from_status", "to_status", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyModelAdmin):
    """Read-only view for operators: cases change only through the workflow services."""

    list_display = ["folio", "title", "institution", "status", "current_step", "cja_deadline", "is_demo"]
    list_filter = ["status", "kind", "is_demo"]
    search_fields = ["folio", "title", "counterpart_name"]
    list_select_related = ["institution"]
    inlines = [TimelineInline]

    # Read-only: entries change through step 12 or import_registry (upsert by registry number), which keep
    # the derived columns (region, search text, theme keys) and the statistics cache in step.


admin.site.register(
    Document, list_display=["agreement", "kind", "original_name", "sha256"], raw_id_fields=["agreement"]
)
admin.site.register(Dictamen, list_display=["agreement", "outcome", "status", "issued_at"], raw_id_fields=["agreement"])
