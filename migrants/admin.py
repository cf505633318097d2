from django.contrib import admin

from portal.audit.history import OneHistoryRowAdmin

from .models import MigrantOffice, MigrationProfile, OfficeAbroad


class OfficeAbroadInline(admin.TabularInline):
    model = OfficeAbroad
    extra = 0


@admin.register(MigrantOffice)
class MigrantOfficeAdmin(OneHistoryRowAdmin):
    list_display = ["institution", "institutional_form", "official_name_known", "confirmed_at"]
    list_filter = ["institutional_form", "institution__level"]
    search_fields = ["institution__name"]
    list_select_related = ["institution"]
    inlines = [OfficeAbroadInline]


@admin.register(MigrationProfile)
class MigrationProfileAdmin(admin.ModelAdmin):
    list_display = ["__str__", "constitution_mentions_migrants", "has_protection_law", "mgi_profile_year"]
    raw_id_fields = ["municipality"]
