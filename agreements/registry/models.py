"""The public registry (RAII): registered agreements, their certificates, amendments and terminations, the
statistics summary and the import/export jobs.

The models moved here from ``agreements`` without moving data: each keeps its table (``db_table``), its
constraint names (``agreements_<model>_…``) and its database triggers (``agreements`` migration 0034, rewritten by
this app's 0003 when ``theme_keys`` became a JSON list). The registry refers back to the case workflow only by
string foreign keys (``agreements.Agreement``, ``agreements.Theme``).
"""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.choices import (
    CaseKind,
    CounterpartType,
    Kind,
    Region,
    RegistrySource,
    SignatureStatus,
    StatDimension,
    TerminationStatus,
)
from agreements.validators import validate_country_code
from portal.audit.history import HistoricalRecords
from portal.core.limits import NOTE, bounded_text_field
from portal.geography.government import GovernmentScoped, municipality_key, state_key
from portal.institutions.choices import Level

from .validators import entry_errors, termination_date_errors, validate_registry_number

# Constraint names keep the prefix they were created with in the ``agreements`` app.
_PREFIX = "agreements_%(class)s"


def _in(field, choices):
    return Q(**{f"{field}__in": choices.values})


# The attributes ``RegistryEntry.clean()`` hands to ``validators.entry_errors``.
_CLEANED = (
    "level",
    "state_id",
    "municipality_id",
    "counterpart_type",
    "counterpart_country",
    "counterpart_subdivision",
    "signed_on",
    "registered_on",
    "expires_on",
    "terminated_on",
)

# Expiry reminders go this many days before an agreement's last day in force, each once.
EXPIRY_REMINDER_DAYS = (90, 30, 7, 0)


class RegistryEntry(GovernmentScoped):
    """A registered AII as the public registry (RAII) shows it: no internal review documents."""

    registry_number = models.CharField(
        _("número de registro"), max_length=40, unique=True, validators=[validate_registry_number]
    )
    title = models.CharField(_("título"), max_length=300)
    kind = models.CharField(_("tipo de instrumento"), max_length=40, choices=Kind.choices)
    level = models.CharField(_("nivel"), max_length=10, choices=[c for c in Level.choices if c[0] != "federal"])
    # Every entry names its state; a municipal one its municipality too (``level``). Neither column has an index of
    # its own: the list's indexes begin with them (``registry_state_idx``, ``registry_municipality_idx``), and two
    # more per column (Django's and its ``LIKE`` twin) cost every inscription four index writes for nothing.
    state = state_key("registry_entries", on_delete=models.PROTECT, null=False, db_index=False)
    municipality = municipality_key("registry_entries", on_delete=models.PROTECT, db_index=False)
    signing_office = models.CharField(_("dependencia firmante"), max_length=250)
    counterpart_name = models.CharField(_("contraparte"), max_length=250)
    counterpart_type = models.CharField(_("tipo de contraparte"), max_length=30, choices=CounterpartType.choices)
    counterpart_country = models.CharField(_("país"), max_length=2, blank=True, validators=[validate_country_code])
    counterpart_subdivision = models.CharField(_("subdivisión"), max_length=6, blank=True)
    region = models.CharField(_("región"), max_length=30, choices=Region.choices)
    themes = models.ManyToManyField(
        "agreements.Theme",
        related_name="registry_entries",
        verbose_name=_("temas"),
        db_table="agreements_registryentry_themes",
    )
    signed_on = models.DateField(_("fecha de firma"))
    signed_place = models.CharField(_("lugar de firma"), max_length=200, blank=True)
    registered_on = models.DateField(_("fecha de inscripción"))
    expires_on = models.DateField(_("vigencia hasta"), null=True, blank=True)
    # Set when the CJA confirms a termination (``Termination``); the entry is terminated from that date on.
    terminated_on = models.DateField(_("terminado el"), null=True, blank=True)
    agreement = models.OneToOneField(
        "agreements.Agreement",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="registry_entry",
        verbose_name=_("expediente"),
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="registry_entries",
        verbose_name=_("dependencia en el portal"),
    )
    source = models.CharField(_("origen"), max_length=10, choices=RegistrySource.choices)
    # Denormalised for search, export and display without extra queries; written only by the registry services.
    search_text = models.TextField(editable=False, default="")
    # The keys of ``themes``, sorted (a JSON list: ``jsonb`` on PostgreSQL), written beside the M2M rows by the
    # services: the statistics triggers (``registry`` migration 0003) and the live counts read it without a join.
    theme_keys = models.JSONField(_("temas (claves)"), editable=False, default=list)
    automatic_renewal = models.BooleanField(_("renovación automática"), default=False)
    expiry_reminder_sent_on = models.DateField(_("aviso de vencimiento enviado"), null=True, blank=True)
    # The last expiry reminder sent, in days before the end (90, 30, 7 or 0): each is sent once.
    expiry_reminder_stage = models.PositiveSmallIntegerField(
        _("último aviso de vencimiento (días antes)"), null=True, blank=True, editable=False
    )
    is_demo = models.BooleanField(_("dato de demostración"), default=False)
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    class Meta:
        db_table = "agreements_registryentry"
        ordering = ["-signed_on", "-id"]
        verbose_name = _("acuerdo registrado")
        verbose_name_plural = _("registro de acuerdos")
        constraints = [
            models.CheckConstraint(condition=Q(level__in=["state", "municipal"]), name=f"{_PREFIX}_level_valid"),
            models.CheckConstraint(
                condition=Q(level="state", municipality__isnull=True)
                | Q(level="municipal", municipality__isnull=False),
                name=f"{_PREFIX}_level_matches_municipality",
            ),
            models.CheckConstraint(condition=_in("kind", Kind), name=f"{_PREFIX}_kind_valid"),
            models.CheckConstraint(condition=_in("region", Region), name=f"{_PREFIX}_region_valid"),
            models.CheckConstraint(
                condition=_in("counterpart_type", CounterpartType),
                name=f"{_PREFIX}_counterpart_type_valid",
            ),
            models.CheckConstraint(condition=_in("source", RegistrySource), name=f"{_PREFIX}_source_valid"),
            models.CheckConstraint(
                condition=Q(expiry_reminder_stage__isnull=True) | Q(expiry_reminder_stage__in=EXPIRY_REMINDER_DAYS),
                name=f"{_PREFIX}_expiry_reminder_stage_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["-signed_on", "-id"], name="registry_signed_idx"),
            models.Index(fields=["state", "-signed_on", "-id"], name="registry_state_idx"),
            models.Index(fields=["municipality", "-signed_on", "-id"], name="registry_municipality_idx"),
            models.Index(fields=["counterpart_country", "-signed_on"], name="registry_country_idx"),
            # The statistics of a year range count live the entries ending or terminated in today's month: with the
            # signing date beside it, the range is checked in the index, where the planner otherwise added the
            # bitmap of every entry signed in those years (275,000 at 1,000,000 entries: 28 ms for 294 rows).
            # Each carries the other date, so that this month's ends and terminations are counted from the index
            # alone (``selectors.stats``: a month's ends are 0.4 % of the entries, one heap page each otherwise).
            models.Index(fields=["expires_on", "signed_on"], include=["terminated_on"], name="registry_expires_idx"),
            models.Index(
                fields=["terminated_on", "signed_on"],
                include=["expires_on"],
                condition=Q(terminated_on__isnull=False),
                name="registry_terminated_idx",
            ),
            # Statistics (theme from theme_keys), profiles and the 32-state comparison group over these
            # columns: on PostgreSQL an index-only scan instead of reading the whole heap.
            models.Index(
                fields=["state", "expires_on"],
                include=[
                    "id",
                    "level",
                    "region",
                    "counterpart_country",
                    "counterpart_subdivision",
                    "counterpart_type",
                    "kind",
                    "signed_on",
                    "theme_keys",
                ],
                name="registry_stats_idx",
            ),
            # The follow-up of a government's profile (agreements registered by a portal institution): its
            # first entries by registry number, and how many are in force, read from the index alone.
            models.Index(
                fields=["state", "registry_number"],
                include=["expires_on", "terminated_on"],
                condition=Q(institution__isnull=False),
                name="registry_followed_state_idx",
            ),
            models.Index(
                fields=["municipality", "registry_number"],
                include=["expires_on", "terminated_on"],
                condition=Q(institution__isnull=False),
                name="registry_followed_munic_idx",
            ),
            # A municipality's profile counts its entries by year, region, end and counterpart (no summary is
            # kept per municipality): an index-only scan of its entries.
            models.Index(
                fields=["municipality", "signed_on"],
                include=["id", "region", "counterpart_country", "expires_on", "terminated_on"],
                condition=Q(municipality__isnull=False),
                name="registry_munic_stats_idx",
            ),
        ]

    def __str__(self):
        return f"{self.registry_number} · {self.title}"

    def clean(self):
        """The rules between the entry's fields (``validators.entry_errors``, which the import applies too): a
        municipality of its state for a municipal entry and none for a state one, where the counterpart is, and
        its dates in order."""
        values = {name: getattr(self, name) for name in _CLEANED}
        errors = entry_errors(values, municipality_state_id=self._municipality_state_id())
        if errors:
            raise ValidationError(errors)

    def _municipality_state_id(self) -> str | None:
        """The state of the municipality named; None when none is named or its code is unknown (the field's own
        check says so)."""
        if not self.municipality_id:
            return None
        try:
            return self.municipality.state_id
        except ObjectDoesNotExist:
            return None


# The end or termination date a ``RegistryStat`` row gives an entry that has none: later than any day the status
# is read on, so the one rule (``selectors.entries.entry_status_q``) reads it as neither expired nor terminated.
STAT_NEVER = datetime.date(9999, 12, 31)


class RegistryStat(models.Model):
    """How many registry entries have each key of each statistics dimension, in the whole registry
    (``state_code`` empty) and in each state: the public statistics read these rows instead of counting the
    registry on the request.

    The database keeps them in the transaction of every write to ``RegistryEntry`` (triggers installed by
    ``agreements`` migration 0034, now those of ``registry`` 0003: any insert, update or delete, through the
    services, the admin, ``bulk_update`` or ``COPY``),
    adding and subtracting with ``INSERT … ON CONFLICT DO UPDATE`` (an import folds its deltas in at its end:
    ``services.stats.registry_stats_deferred``). ``rebuild_registry_stats`` counts them again from scratch. Each entry counts once per dimension (per theme under ``theme``) and once under ``validity``
    by its end and termination dates, so that the status, which depends on the day, is derived when read.

    Each entry counts under ``year`` 0 (every year) and again under its signing year, so that a year range is a
    sum of rows (``registry`` 0004); in the year rows the ``validity`` dates are the first of their month (the
    summary stays bounded), and the entries ending or terminated in today's month are counted live.
    """

    state_code = models.CharField(_("entidad (vacía: todas)"), max_length=2, blank=True)
    dimension = models.CharField(_("dimensión"), max_length=20, choices=StatDimension.choices)
    year = models.PositiveSmallIntegerField(_("año de firma (0: todos)"), default=0)
    key = models.CharField(_("clave"), max_length=40, blank=True)
    expires_on = models.DateField(_("vigencia hasta"), default=STAT_NEVER)
    terminated_on = models.DateField(_("terminado el"), default=STAT_NEVER)
    entries = models.IntegerField(_("acuerdos"), default=0)

    class Meta:
        db_table = "agreements_registrystat"
        verbose_name = _("estadística del registro")
        verbose_name_plural = _("estadísticas del registro")
        constraints = [
            models.UniqueConstraint(
                fields=["state_code", "dimension", "year", "key", "expires_on", "terminated_on"],
                name=f"{_PREFIX}_unique_key",
            ),
            models.CheckConstraint(condition=_in("dimension", StatDimension), name=f"{_PREFIX}_dimension_valid"),
        ]

    def __str__(self):
        return f"{self.dimension}:{self.key} = {self.entries}"


def certificate_upload_path(instance, filename):
    return f"certificates/{uuid.uuid4().hex}.pdf"


class RegistryCertificate(models.Model):
    """The constancia de inscripción issued at step 12: a PDF whose SHA-256 anyone can check against the portal."""

    entry = models.OneToOneField(
        RegistryEntry, models.CASCADE, related_name="certificate", verbose_name=_("acuerdo inscrito")
    )
    file = models.FileField(_("archivo"), upload_to=certificate_upload_path, max_length=200)
    sha256 = models.CharField(_("SHA-256 de la constancia"), max_length=64, unique=True)
    signed_copy_sha256 = models.CharField(_("SHA-256 de la copia firmada"), max_length=64)
    signature_status = models.CharField(
        _("firma digital de la copia firmada"), max_length=12, choices=SignatureStatus.choices, blank=True
    )
    issued_at = models.DateTimeField(_("emitida"), auto_now_add=True)

    class Meta:
        db_table = "agreements_registrycertificate"
        verbose_name = _("constancia de inscripción")
        verbose_name_plural = _("constancias de inscripción")
        constraints = [
            models.CheckConstraint(
                condition=_in("signature_status", SignatureStatus) | Q(signature_status=""),
                name=f"{_PREFIX}_signature_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.entry.registry_number} · {self.sha256[:12]}"


class RegistryAmendment(models.Model):
    """A modification or extension of a registered agreement, inscribed with its own number and date.

    It does not become a registry entry of its own (it would count the agreement twice): the original entry keeps
    the history, and its validity follows the latest amendment.
    """

    entry = models.ForeignKey(
        RegistryEntry, models.PROTECT, related_name="amendments", verbose_name=_("acuerdo registrado")
    )
    agreement = models.OneToOneField(
        "agreements.Agreement", models.PROTECT, related_name="registry_amendment", verbose_name=_("expediente")
    )
    kind = models.CharField(_("tipo"), max_length=12, choices=CaseKind.choices)
    registry_number = models.CharField(_("número de registro"), max_length=40, unique=True)
    signed_on = models.DateField(_("fecha de firma"))
    registered_on = models.DateField(_("fecha de inscripción"))
    expires_on = models.DateField(_("vigencia hasta"), null=True, blank=True)
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)

    class Meta:
        db_table = "agreements_registryamendment"
        ordering = ["registered_on", "id"]
        verbose_name = _("modificación o prórroga inscrita")
        verbose_name_plural = _("modificaciones y prórrogas inscritas")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["modification", "extension"]), name=f"{_PREFIX}_kind_valid"),
        ]

    def __str__(self):
        return f"{self.registry_number} · {self.get_kind_display()}"


def termination_upload_path(instance, filename):
    return f"terminations/{instance.entry_id}/{uuid.uuid4().hex}"


class Termination(models.Model):
    """A local office's notice that an agreement of its institution ended, confirmed or returned by the CJA.

    Confirmation sets ``RegistryEntry.terminated_on``; every change is kept in ``history``.
    """

    entry = models.ForeignKey(
        RegistryEntry, models.PROTECT, related_name="terminations", verbose_name=_("acuerdo registrado")
    )
    terminated_on = models.DateField(
        _("fecha de terminación"), error_messages={"null": _("Indique la fecha de terminación.")}
    )
    reason = bounded_text_field(
        _("motivo"), max_length=NOTE, error_messages={"blank": _("Indique el motivo de la terminación.")}
    )
    notice_letter = models.FileField(_("nota de terminación"), upload_to=termination_upload_path, max_length=200)
    notice_name = models.CharField(_("nombre del archivo"), max_length=255)
    notice_sha256 = models.CharField(_("SHA-256"), max_length=64)
    status = models.CharField(
        _("estado"), max_length=12, choices=TerminationStatus.choices, default=TerminationStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("solicitada por")
    )
    requested_at = models.DateTimeField(_("solicitada"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resuelta por"),
    )
    decided_at = models.DateTimeField(_("resuelta"), null=True, blank=True)
    return_reason = bounded_text_field(_("motivo de la devolución"), max_length=NOTE, blank=True)

    history = HistoricalRecords(
        verbose_name=_("cambio de terminación"),
        verbose_name_plural=_("historial de terminaciones"),
        table_name="agreements_historicaltermination",
    )

    class Meta:
        db_table = "agreements_termination"
        ordering = ["-requested_at", "-id"]
        verbose_name = _("terminación")
        verbose_name_plural = _("terminaciones")
        constraints = [
            models.CheckConstraint(condition=_in("status", TerminationStatus), name=f"{_PREFIX}_status_valid"),
            models.UniqueConstraint(
                fields=["entry"],
                condition=Q(status="requested"),
                name=f"{_PREFIX}_one_pending_per_entry",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(return_reason=""),
                name=f"{_PREFIX}_returned_with_reason",
            ),
        ]

    def __str__(self):
        return f"{self.entry.registry_number} · {self.get_status_display()}"

    def clean(self):
        """An agreement ends after it was signed; a notice the CJA returns says why."""
        errors = {}
        if self.entry_id is not None:
            errors.update(termination_date_errors(signed_on=self.entry.signed_on, terminated_on=self.terminated_on))
        if self.status == TerminationStatus.RETURNED and not (self.return_reason or "").strip():
            errors["return_reason"] = [_("Indique el motivo de la devolución.")]
        if errors:
            raise ValidationError(errors)


class ImportJob(models.Model):
    """One upload of the RAII CSV by an administrator, processed by a Celery task with progress."""

    class Status(models.TextChoices):
        PENDING = "pending", _("En cola")
        RUNNING = "running", _("Procesando")
        DONE = "done", _("Terminada")
        FAILED = "failed", _("Con errores, nada se escribió")

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("autor"))
    file = models.FileField(_("archivo"), upload_to="imports/", max_length=200)
    original_name = models.CharField(_("nombre del archivo"), max_length=255)
    dry_run = models.BooleanField(_("solo validar"), default=False)
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(_("filas"), default=0)
    processed_rows = models.PositiveIntegerField(_("filas procesadas"), default=0)
    created_count = models.PositiveIntegerField(_("nuevos"), default=0)
    updated_count = models.PositiveIntegerField(_("actualizados"), default=0)
    unchanged_count = models.PositiveIntegerField(_("sin cambios"), default=0)
    errors = models.JSONField(_("errores"), default=list, blank=True)
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminada"), null=True, blank=True)

    class Meta:
        db_table = "agreements_importjob"
        ordering = ["-created_at", "-id"]
        verbose_name = _("importación del registro")
        verbose_name_plural = _("importaciones del registro")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "running", "done", "failed"]),
                name=f"{_PREFIX}_status_valid",
            )
        ]

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else (100 if self.finished_at else 0)


class ExportJob(models.Model):
    """A registry export too large to stream within one request, written to a file by a Celery task.

    Its id is an unguessable UUID: whoever asked for the export (anyone, the registry is public) follows and
    downloads it by that address until it expires.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("En cola")
        RUNNING = "running", _("Generando")
        DONE = "done", _("Listo")
        FAILED = "failed", _("Falló")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (XLSX)"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    file_format = models.CharField(_("formato"), max_length=4, choices=Format.choices)
    params = models.JSONField(_("filtros"), default=dict, blank=True)
    fingerprint = models.CharField(_("huella"), max_length=64, db_index=True)
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(_("filas"), default=0)
    processed_rows = models.PositiveIntegerField(_("filas escritas"), default=0)
    file = models.FileField(_("archivo"), upload_to="exports/", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("autor")
    )
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)
    started_at = models.DateTimeField(_("iniciada"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminada"), null=True, blank=True)
    expires_at = models.DateTimeField(_("vence"))

    class Meta:
        db_table = "agreements_exportjob"
        ordering = ["-created_at"]
        verbose_name = _("exportación del registro")
        verbose_name_plural = _("exportaciones del registro")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "running", "done", "failed"]),
                name=f"{_PREFIX}_status_valid",
            ),
            models.CheckConstraint(condition=Q(file_format__in=["csv", "xlsx"]), name=f"{_PREFIX}_format_valid"),
        ]

    def __str__(self):
        return f"{self.get_file_format_display()} · {self.get_status_display()}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()
