from django.db import models
from django.utils.translation import gettext_lazy as _


class InstitutionalForm(models.TextChoices):
    SECRETARIA = "secretaria", _("Secretaría")
    SUBSECRETARIA = "subsecretaria", _("Subsecretaría")
    INSTITUTO = "instituto", _("Instituto")
    DIRECCION = "direccion", _("Dirección")
    COORDINACION = "coordinacion", _("Coordinación")
    DIRECCION_O_COORDINACION = "direccion_o_coordinacion", _("Dirección o coordinación")
    REGIDURIA = "regiduria", _("Regiduría")
    OTHER = "other", _("Otra")


class Population(models.TextChoices):
    EMIGRANTS = "emigrants", _("Personas emigrantes y sus familias")
    RETURNEES_VOLUNTARY = "returnees_voluntary", _("Personas retornadas voluntariamente")
    RETURNEES_DEPORTED = "returnees_deported", _("Personas deportadas")
    TRANSIT = "transit", _("Personas migrantes en tránsito")
    IMMIGRANTS = "immigrants", _("Personas inmigrantes")
    ASYLUM_REFUGEES = "asylum_refugees", _("Solicitantes de asilo y refugiados")
    DISPLACED = "displaced", _("Personas desplazadas internas")
    UNACCOMPANIED_CHILDREN = "unaccompanied_children", _("Niñas, niños y adolescentes no acompañados")
    CRIME_VICTIMS = "crime_victims", _("Personas migrantes víctimas de delito")


class Service(models.TextChoices):
    LEGAL_ADVICE = "legal_advice", _("Asesoría jurídica")
    SHELTER = "shelter", _("Albergue")
    HEALTH = "health", _("Salud")
    PSYCHOLOGICAL = "psychological", _("Atención psicológica")
    EDUCATION = "education", _("Educación")
    EMPLOYMENT = "employment", _("Empleo")
    DOCUMENTATION = "documentation", _("Documentación")
    REPATRIATION = "repatriation", _("Apoyo a la repatriación")
    INFORMATION = "information", _("Campañas de información")
