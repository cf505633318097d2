from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "portal.core"
    label = "core"
    verbose_name = _("Núcleo del portal")

    def ready(self):
        from . import converters

        converters.register()


class PortalAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the portal's site (names in Spanish and English, the CSV import linked)."""

    default = False  # named explicitly in INSTALLED_APPS; "portal.core" stays CoreConfig
    default_site = "portal.core.admin_site.PortalAdminSite"
