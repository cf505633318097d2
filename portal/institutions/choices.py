from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    FEDERAL = "federal", _("Federal")
    STATE = "state", _("Estatal")
    MUNICIPAL = "municipal", _("Municipal")


class Role(models.TextChoices):
    """The portal's roles; each one is a Django group with explicit permissions (see roles.py)."""

    LOCAL = "enlace_local", _("Enlace local")
    DGCP = "dgcp", _("DGCP")
    CJA = "cja", _("CJA")
    ANALYST = "analista", _("Analista")
    ADMIN = "administrador", _("Administrador")
    # Office heads: held beside the office's own role; they (re)assign the office's cases to named reviewers.
    CJA_HEAD = "titular_cja", _("Titular de la CJA")
    DGCP_HEAD = "titular_dgcp", _("Titular de la DGCP")


class AccessRequestStatus(models.TextChoices):
    PENDING = "pending", _("Pendiente")
    APPROVED = "approved", _("Aprobada")
    REJECTED = "rejected", _("Rechazada")


# Roles a person may ask for; administrators are named by other administrators, never by request.
REQUESTABLE_ROLES = (Role.LOCAL, Role.ANALYST, Role.DGCP, Role.CJA)


class Language(models.TextChoices):
    """The portal's languages (``settings.LANGUAGES``): what a person reads the interface and their e-mail in."""

    ES_MX = "es-mx", "Español (México)"
    EN = "en", "English"
