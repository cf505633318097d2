from django.contrib import admin


class ReadOnlyModelAdmin(admin.ModelAdmin):
    """An admin page to look at rows that only the services write (append-only, derived or audited data)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
