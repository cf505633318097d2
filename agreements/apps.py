from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Acuerdos interinstitucionales")

    def ready(self):
        from portal.geography import profiles as profile_sections
        from portal.notifications import events

        from . import profiles, signals  # noqa: F401
        from .notices import notice_attachments, notice_context

        events.register(context=notice_context, attachments=notice_attachments)
        profile_sections.register(profiles)
