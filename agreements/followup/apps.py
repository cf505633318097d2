from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "agreements.followup"
    label = "followup"
    verbose_name = _("Seguimiento de acuerdos")

    def ready(self):
        from portal.geography import profiles as profile_sections
        from portal.notifications import events

        from . import profiles
        from .notices import notice_context

        events.register(context=notice_context)
        profile_sections.register(profiles)
