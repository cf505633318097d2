"""Read-only views for operators: plans and reports change only through the follow-up services (and pages)."""

from django.contrib import admin

from portal.core.admin import ReadOnlyModelAdmin

from .models import Activity, FollowupEvent, Indicator, Reminder, Report, WorkPlan


class ActivityInline(admin.TabularInline):
    model = Activity
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class IndicatorInline(ActivityInline):
    model = Indicator


@admin.register(WorkPlan)
class WorkPlanAdmin(ReadOnlyModelAdmin):
    list_display = ["entry", "starts_on", "ends_on", "created_by", "is_demo"]
    list_filter = ["is_demo"]
    search_fields = ["entry__registry_number", "entry__title"]
    list_select_related = ["entry", "created_by"]
    inlines = [ActivityInline, IndicatorInline]


@admin.register(Report)
class ReportAdmin(ReadOnlyModelAdmin):
    list_display = ["plan", "period_start", "period_end", "submitted_by", "submitted_at"]
    search_fields = ["plan__entry__registry_number"]
    list_select_related = ["plan__entry", "submitted_by"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyModelAdmin):
    list_display = ["entry", "kind", "due_on", "sent_at", "recipients"]
    list_filter = ["kind"]
    list_select_related = ["entry"]


@admin.register(FollowupEvent)
class FollowupEventAdmin(ReadOnlyModelAdmin):
    list_display = ["entry", "created_at", "actor", "action"]
    list_filter = ["action"]
    list_select_related = ["entry", "actor"]
