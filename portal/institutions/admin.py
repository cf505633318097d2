from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Institution, User


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "level", "state", "municipality", "is_demo"]
    list_filter = ["level", "is_demo", "state"]
    search_fields = ["name", "acronym"]
    autocomplete_fields = ["municipality"]
    list_select_related = ["state", "municipality"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "institution", "is_active", "is_demo"]
    list_filter = ["groups", "is_active", "is_demo"]
    search_fields = ["email", "first_name", "last_name"]
    autocomplete_fields = ["institution"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Datos personales"), {"fields": ("first_name", "last_name", "position", "institution")}),
        (_("Función y permisos"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "is_demo")}),
        (_("Fechas"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "institution", "groups", "password1", "password2")}),
    )
