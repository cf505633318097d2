from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeographyConfig(AppConfig):
    name = "portal.geography"
    label = "geography"
    verbose_name = _("Geografía")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .profiles import model_written

        # Cache invalidation only: a cached profile page is not served after a write to what it shows.
        for name, signal in (("save", post_save), ("delete", post_delete), ("m2m", m2m_changed)):
            signal.connect(model_written, dispatch_uid=f"profiles-version-{name}")
