from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from portal.audit.history import OneHistoryRowAdmin

from .models import CityNetwork, FocalPoint, GovernmentTerm, NetworkMembership, Organisation, Partnership


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "acronym", "english_name"]


@admin.register(Partnership)
class PartnershipAdmin(OneHistoryRowAdmin):
    list_display = ["title", "institution", "organisation", "instrument", "year", "status"]
    list_filter = ["instrument", "status", "organisation__kind"]
    search_fields = ["title", "institution__name", "organisation__name"]
    autocomplete_fields = ["institution"]
    list_select_related = ["institution", "organisation"]


class MembershipInline(admin.TabularInline):
    model = NetworkMembership
    extra = 0
    raw_id_fields = ["municipality"]


@admin.register(CityNetwork)
class CityNetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "founded_year"]
    inlines = [MembershipInline]


@admin.register(GovernmentTerm)
class GovernmentTermAdmin(admin.ModelAdmin):
    list_display = ["__str__", "started_on", "ends_on", "is_demo"]
    raw_id_fields = ["municipality"]


@admin.register(FocalPoint)
class FocalPointAdmin(SimpleHistoryAdmin):
    list_display = ["name", "position", "state", "municipality", "is_current", "designated_on"]
    list_filter = ["is_current"]
    search_fields = ["name", "email"]
    raw_id_fields = ["municipality", "institution"]
