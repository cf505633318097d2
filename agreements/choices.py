"""Vocabularies shared by the database, the API and the registry import (keys are stable)."""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    TWINNING = "twinning", _("Hermanamiento")
    TECHNICAL_COOPERATION = "technical_cooperation", _("Cooperación técnica u horizontal")
    UNIVERSITY_COOPERATION_FRAMEWORK = "university_cooperation_framework", _("Cooperación universitaria (marco)")
    UNIVERSITY_COOPERATION_SPECIFIC = "university_cooperation_specific", _("Cooperación universitaria (específico)")
    MEMORANDUM_OF_UNDERSTANDING = "memorandum_of_understanding", _("Memorándum de entendimiento")
    LETTER_OF_INTENT = "letter_of_intent", _("Carta de intención")
    OTHER = "other", _("Otro")


class CounterpartType(models.TextChoices):
    GOVERNMENT = "government", _("Gobierno extranjero")
    INTERNATIONAL_ORGANIZATION = "international_organization", _("Organismo internacional")
    NGO = "ngo", _("Organización no gubernamental")
    PRIVATE = "private", _("Actor privado")


class Theme(models.TextChoices):
    EDUCATION = "education", _("Educación")
    CULTURE = "culture", _("Cultura")
    SCIENCE_TECHNOLOGY = "science_technology", _("Ciencia y tecnología")
    TRAINING = "training", _("Formación de recursos humanos")
    TRADE = "trade", _("Comercio")
    INVESTMENT = "investment", _("Inversión")
    TOURISM = "tourism", _("Turismo")
    ENVIRONMENT = "environment", _("Medio ambiente")
    URBAN_DEVELOPMENT = "urban_development", _("Desarrollo urbano")
    SECURITY = "security", _("Seguridad")
    HEALTH = "health", _("Salud")
    MIGRATION = "migration", _("Migración")
    OTHER = "other", _("Otro")


class AnnexType(models.TextChoices):
    LEGAL_AUTHORIZATION = "legal_authorization", _("Autorización jurídica interna")
    BUDGET_VIABILITY = "budget_viability", _("Viabilidad presupuestal o financiera")
    BACKGROUND = "background", _("Antecedentes o resultados de proyectos previos")
    OTHER = "other", _("Otro")


class DocumentKind(models.TextChoices):
    REQUEST_LETTER = "request_letter", _("Oficio de solicitud (PDF)")
    FINAL_TEXT = "final_text", _("Texto final acordado (Word)")
    ANNEX = "annex", _("Anexo")
    SIGNED_COPY = "signed_copy", _("Copia firmada (PDF)")
    REPLY_LETTER = "reply_letter", _("Oficio de respuesta de la DGCP")


class DictamenOutcome(models.TextChoices):
    VIABLE = "viable", _("Procedente")
    VIABLE_WITH_OBSERVATIONS = "viable_with_observations", _("Procedente con observaciones")
    NOT_VIABLE = "not_viable", _("No procedente")


class DictamenStatus(models.TextChoices):
    ISSUED = "issued", _("Emitido, en espera de la DGCP")
    APPROVED = "approved", _("Aprobado y entregado")
    RETURNED = "returned", _("Devuelto a la CJA")
    VOID = "void", _("Sin efecto: la solicitud fue retirada")


class ObservationAnswer(models.TextChoices):
    PENDING = "pending", _("Sin respuesta")
    ADDRESSED = "addressed", _("Atendida")
    NOT_ADDRESSED = "not_addressed", _("No atendida")


class Status(models.TextChoices):
    DRAFT = "draft", _("Borrador")
    RETURNED = "returned", _("Devuelto para correcciones")
    SUBMITTED = "submitted", _("Enviado")
    FORWARDED = "forwarded", _("Turnado a la CJA")
    IN_REVIEW = "in_review", _("En revisión jurídica")
    DICTAMEN_ISSUED = "dictamen_issued", _("Dictamen emitido")
    AWAITING_SIGNATURE = "awaiting_signature", _("En espera de la copia firmada")
    SIGNED = "signed", _("Copia firmada recibida")
    REGISTRATION_REQUESTED = "registration_requested", _("Registro solicitado")
    INSCRIBED = "inscribed", _("Inscrito en el registro")
    CLOSED = "closed", _("Concluido y registrado")
    NOT_VIABLE = "not_viable", _("No procedente")
    NOT_ADMISSIBLE = "not_admissible", _("No admitido")
    WITHDRAWN = "withdrawn", _("Retirado")


class ReviewerMove(models.TextChoices):
    """Who reviews a case inside the CJA or the DGCP: recorded on the timeline by these codes."""

    TAKE = "reviewer_take", _("Tomar el expediente")
    ASSIGN = "reviewer_assign", _("Asignar el expediente")
    RELEASE = "reviewer_release", _("Liberar el expediente")
    ABSENCE = "reviewer_absence", _("Ausencia registrada del revisor")


class Assigned(models.TextChoices):
    """The inboxes' «Míos / Sin asignar / Todos» filter (``asignado``)."""

    MINE = "mios", _("Míos")
    UNASSIGNED = "sin_asignar", _("Sin asignar")
    ALL = "todos", _("Todos")


class CaseSituation(models.TextChoices):
    """Where a sent case stands, as the public status by folio tells it (``workflow.situation``)."""

    OPEN = "open", _("En trámite")
    CLOSED = "closed", _("Concluido")
    WITHDRAWN = "withdrawn", _("Retirado")
    NOT_ADMITTED = "not_admitted", _("No admitido")


class RegistryChangeKind(models.TextChoices):
    """A change of the public registry, as the Atom feed announces it (amendments, extensions and terminations
    join as further kinds)."""

    INSCRIPTION = "inscription", _("Inscripción")


class EntryIntoForce(models.TextChoices):
    """When the agreement's term starts (its *entrada en vigor*)."""

    ON_SIGNATURE = "on_signature", _("A la firma")
    ON_DATE = "on_date", _("En una fecha determinada")
    ON_LAST_NOTIFICATION = "on_last_notification", _("En la fecha de la última notificación entre las partes")


class Term(models.TextChoices):
    """How long the agreement stays in force (its *vigencia*)."""

    FIXED = "fixed", _("Plazo determinado (años y meses)")
    INDEFINITE = "indefinite", _("Indefinida")


class Region(models.TextChoices):
    NORTH_AMERICA = "north_america", _("América del Norte")
    LATIN_AMERICA_CARIBBEAN = "latin_america_caribbean", _("América Latina y el Caribe")
    EUROPE = "europe", _("Europa")
    ASIA = "asia", _("Asia")
    AFRICA = "africa", _("África")
    OCEANIA = "oceania", _("Oceanía")
    GLOBAL = "global", _("Global / organismos internacionales")


class RegistrySource(models.TextChoices):
    WORKFLOW = "workflow", _("Trámite en el portal")
    IMPORT = "import", _("Importado del RAII")


# A registry number is part of permanent URLs (/registro/acuerdo/<number>/, /api/v1/registry/<number>/).
REGISTRY_NUMBER_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")


REGISTRY_NUMBER_HELP = _(
    "el número de registro solo admite letras, números, punto, guion y guion bajo (sin espacios ni diagonales), "
    "hasta 40 caracteres."
)


def is_registry_number(value: str) -> bool:
    return REGISTRY_NUMBER_PATTERN.fullmatch(value) is not None
