from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Acuerdos interinstitucionales")

    def ready(self):
        from . import signals  # noqa: F401
