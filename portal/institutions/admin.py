from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

from portal.core.admin import ReadOnlyModelAdmin

from .models import AccessRequest, Institution, User


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


# knox's own admin creates tokens for any account with any expiry (none included), skipping the second
# factor: here administrators only see and revoke (delete) tokens; their owners create them.
admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class AuthTokenAdmin(admin.ModelAdmin):
    list_display = ["token_key", "user", "created", "expiry"]
    search_fields = ["token_key", "user__email"]
    list_select_related = ["user"]
    fields = readonly_fields = ["token_key", "user", "created", "expiry"]
    ordering = ["-created"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AccessRequest)
class AccessRequestAdmin(ReadOnlyModelAdmin):
    """Decided in the portal's queue (/solicitudes-de-acceso/); here only looked at."""

    list_display = ["user", "institution", "new_institution_name", "role", "status", "created_at", "decided_by"]
    list_filter = ["status", "role"]
    search_fields = ["user__email", "new_institution_name", "institution__name"]
    list_select_related = ["user", "institution", "decided_by"]
