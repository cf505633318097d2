from django.contrib import admin

from .models import Municipality, State


@admin.register(State)
class StateAdmin(admin.ModelAdmin):
    list_display = ["code", "short_name", "name", "iso_code", "population_2020"]
    search_fields = ["name", "short_name", "code"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["inegi_code", "name", "state", "population_2020"]
    list_filter = ["state"]
    search_fields = ["name", "search_name", "inegi_code"]
    list_select_related = ["state"]
    readonly_fields = ["search_name"]
