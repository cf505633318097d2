from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "cooperation"
    verbose_name = _("Cooperación local")

    def ready(self):
        from portal.geography import profiles as profile_sections

        from . import profiles

        profile_sections.register(profiles)
