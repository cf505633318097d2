from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MigrantsConfig(AppConfig):
    name = "migrants"
    verbose_name = _("Atención a migrantes")

    def ready(self):
        from portal.geography import profiles as profile_sections

        from . import profiles

        profile_sections.register(profiles)
