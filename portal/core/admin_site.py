"""The Django admin in the portal's languages: app and model names that third-party apps leave in English
(knox's «auth tokens», allauth's «authenticators»), and the registry's CSV import among the agreements' pages."""

from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# (app label, model object name) → plural shown in the admin; app label → app name.
MODEL_NAMES = {
    ("knox", "AuthToken"): _("tokens de la API"),
    ("mfa", "Authenticator"): _("autenticadores (verificación en dos pasos)"),
}
APP_NAMES = {
    "knox": _("Tokens de la API"),
    "mfa": _("Verificación en dos pasos"),
}


class PortalAdminSite(admin.AdminSite):
    site_header = _("Portal AII · Administración")
    site_title = _("Portal AII")
    index_title = _("Administración del portal")

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        for app in app_list:
            app["name"] = APP_NAMES.get(app["app_label"], app["name"])
            for model in app["models"]:
                model["name"] = MODEL_NAMES.get((app["app_label"], model["object_name"]), model["name"])
            if app["app_label"] == "agreements" and request.user.has_perm("agreements.import_registry"):
                app["models"].append(
                    {
                        "name": _("Importar registro (CSV)"),
                        "object_name": "RegistryImport",
                        "admin_url": reverse("agreements:registry_import"),
                        "add_url": None,
                        "view_only": True,
                        "perms": {"view": True},
                    }
                )
        return app_list
