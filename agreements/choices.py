"""Vocabularies shared by the database, the API and the registry import (keys are stable)."""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.core.signatures import SignatureStatus  # noqa: F401  (the outcomes of a signed copy's PDF signature)


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
    RECEIPT = "receipt", _("Acuse de recibo (PDF)")


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
    TERMINATION = "termination", _("Terminación")
    AMENDMENT = "amendment", _("Modificación o prórroga")


class CaseKind(models.TextChoices):
    """What a case asks the SRE to review: a new agreement, or a change to one already registered."""

    ORIGINAL = "original", _("Acuerdo nuevo")
    MODIFICATION = "modification", _("Modificación")
    EXTENSION = "extension", _("Prórroga")


class EntryStatus(models.TextChoices):
    """Where a registered agreement stands today (``registry.selectors.entries.entry_status_q``)."""

    IN_FORCE = "in_force", _("Vigente")
    EXPIRED = "expired", _("Vencido")
    TERMINATED = "terminated", _("Terminado")


class TerminationStatus(models.TextChoices):
    REQUESTED = "requested", _("En revisión de la CJA")
    CONFIRMED = "confirmed", _("Confirmada")
    RETURNED = "returned", _("Devuelta")


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


class TimelineAction(models.TextChoices):
    """What a timeline row records: creating the case or one of the workflow's actions (``workflow.Action``)."""

    CREATE = "create", _("Crear expediente")
    UPLOAD_DOCUMENT = "upload_document", _("Adjuntar documento")
    REPLACE_DOCUMENT = "replace_document", _("Reemplazar documento")
    REMOVE_DOCUMENT = "remove_document", _("Eliminar documento")
    SUBMIT = "submit", _("Enviar a la DGCP")
    CHECK_COMPLETENESS = "check_completeness", _("Verificar integración y turnar a la CJA")
    COMPUTE_DEADLINE = "compute_deadline", _("Calcular el plazo")
    ISSUE_DICTAMEN = "issue_dictamen", _("Emitir dictamen")
    APPROVE_DICTAMEN = "approve_dictamen", _("Aprobar y entregar el dictamen")
    RETURN_DICTAMEN = "return_dictamen", _("Devolver el dictamen a la CJA")
    ANSWER_OBSERVATION = "answer_observation", _("Responder observación")
    SUBMIT_REVISION = "submit_revision", _("Enviar texto revisado")
    UPLOAD_SIGNED_COPY = "upload_signed_copy", _("Enviar copia firmada")
    REQUEST_REGISTRATION = "request_registration", _("Solicitar el registro")
    REGISTER = "register", _("Inscribir en el registro")
    RETURN_SIGNED_COPY = "return_signed_copy", _("Devolver la copia firmada")
    CLOSE = "close", _("Concluir el expediente")
    RETURN_FOR_CORRECTIONS = "return_for_corrections", _("Devolver para correcciones")
    MARK_NOT_ADMISSIBLE = "mark_not_admissible", _("Declarar no admitido")
    WITHDRAW = "withdraw", _("Retirar la solicitud")
    # Who reviews the case inside the CJA or the DGCP (never a decision on it).
    REVIEWER_TAKE = ReviewerMove.TAKE.value, ReviewerMove.TAKE.label
    REVIEWER_ASSIGN = ReviewerMove.ASSIGN.value, ReviewerMove.ASSIGN.label
    REVIEWER_RELEASE = ReviewerMove.RELEASE.value, ReviewerMove.RELEASE.label
    REVIEWER_ABSENCE = ReviewerMove.ABSENCE.value, ReviewerMove.ABSENCE.label


class ActorRole(models.TextChoices):
    """For whom a timeline row's actor acted (``workflow.Actor``)."""

    LOCAL = "local", _("Oficina local")
    DGCP = "dgcp", _("DGCP")
    CJA = "cja", _("CJA")
    SYSTEM = "system", _("sistema")


class TimelineDecision(models.TextChoices):
    """The decision a timeline row records, when it records one: a dictamen's outcome, an observation's
    answer, the kind of document concerned, or an automatic step's finding."""

    VIABLE = DictamenOutcome.VIABLE.value, DictamenOutcome.VIABLE.label
    VIABLE_WITH_OBSERVATIONS = (
        DictamenOutcome.VIABLE_WITH_OBSERVATIONS.value,
        DictamenOutcome.VIABLE_WITH_OBSERVATIONS.label,
    )
    NOT_VIABLE = DictamenOutcome.NOT_VIABLE.value, DictamenOutcome.NOT_VIABLE.label
    ADDRESSED = ObservationAnswer.ADDRESSED.value, ObservationAnswer.ADDRESSED.label
    NOT_ADDRESSED = ObservationAnswer.NOT_ADDRESSED.value, ObservationAnswer.NOT_ADDRESSED.label
    REQUEST_LETTER = DocumentKind.REQUEST_LETTER.value, DocumentKind.REQUEST_LETTER.label
    FINAL_TEXT = DocumentKind.FINAL_TEXT.value, DocumentKind.FINAL_TEXT.label
    ANNEX = DocumentKind.ANNEX.value, DocumentKind.ANNEX.label
    SIGNED_COPY = DocumentKind.SIGNED_COPY.value, DocumentKind.SIGNED_COPY.label
    INCOMPLETE = "incomplete", _("Documentación incompleta")
    LATE = "late", _("Fuera de plazo")
    ON_TIME = "on_time", _("En plazo")


class StatDimension(models.TextChoices):
    """What a row of the registry's statistics summary (``RegistryStat``) counts by. ``validity`` rows count by
    end and termination dates, from which the status (``EntryStatus``) is derived on the day it is read."""

    STATE = "state", _("Entidad")
    LEVEL = "level", _("Nivel")
    REGION = "region", _("Región")
    COUNTRY = "country", _("País")
    SUBDIVISION = "subdivision", _("Subdivisión")
    COUNTERPART_TYPE = "counterpart_type", _("Tipo de contraparte")
    THEME = "theme", _("Tema")
    KIND = "kind", _("Tipo de instrumento")
    YEAR = "year", _("Año de firma")
    VALIDITY = "validity", _("Vigencia")


# What the registry's statistics are asked by (the API's ``?by=``, the dashboard, the CSV): the summary's dimensions,
# with ``status`` read from the ``validity`` rows. Importable before Django is set up (the bench builds its scenarios
# from it).
STAT_DIMENSIONS = tuple("status" if d == StatDimension.VALIDITY else d for d in StatDimension.values)
