from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    UN_AGENCY = "un_agency", _("Agencia de la ONU")
    INTERNATIONAL_NGO = "international_ngo", _("ONG internacional")
    COOPERATION_AGENCY = "cooperation_agency", _("Agencia de cooperación")
    CONSULATE = "consulate", _("Consulado")
    UNION = "union", _("Sindicato")
    FUND = "fund", _("Fondo conjunto")
    OTHER = "other", _("Otro")


class Instrument(models.TextChoices):
    LETTER_OF_UNDERSTANDING = "letter_of_understanding", _("Carta de entendimiento")
    COOPERATION_AGREEMENT = "cooperation_agreement", _("Acuerdo de cooperación")
    COLLABORATION_AGREEMENT = "collaboration_agreement", _("Convenio de colaboración")
    MOU = "mou", _("Memorándum de entendimiento")
    WORKING_GROUP = "working_group", _("Grupo de trabajo")
    OTHER = "other", _("Otro o sin datos")


class PartnershipStatus(models.TextChoices):
    ACTIVE = "active", _("Vigente")
    CONCLUDED = "concluded", _("Concluida")
    UNKNOWN = "unknown", _("Sin datos")


class NetworkKind(models.TextChoices):
    CITY_NETWORK = "city_network", _("Red de ciudades")
    CROSS_BORDER_FORUM = "cross_border_forum", _("Foro transfronterizo")
