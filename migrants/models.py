from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.audit.history import HistoricalRecords, HistoryTrackedQuerySet
from portal.geography.government import GovernmentScoped, municipality_key, state_key

from .choices import InstitutionalForm, Population, Service


class PopulationGroup(models.Model):
    """A population an office or a partnership serves: the fixed vocabulary, the key is the primary key."""

    key = models.CharField(max_length=30, primary_key=True, choices=Population.choices)

    class Meta:
        ordering = ["key"]
        verbose_name = _("población atendida")
        verbose_name_plural = _("poblaciones atendidas")
        constraints = [
            models.CheckConstraint(condition=Q(key__in=Population.values), name="%(app_label)s_%(class)s_key_valid")
        ]

    def __str__(self):
        return str(Population(self.key).label)


class OfficeService(models.Model):
    """A service an office offers: the fixed vocabulary, the key is the primary key."""

    key = models.CharField(max_length=30, primary_key=True, choices=Service.choices)

    class Meta:
        ordering = ["key"]
        verbose_name = _("servicio")
        verbose_name_plural = _("servicios")
        constraints = [
            models.CheckConstraint(condition=Q(key__in=Service.values), name="%(app_label)s_%(class)s_key_valid")
        ]

    def __str__(self):
        return str(Service(self.key).label)


def keys_in_order(related, vocabulary) -> list[str]:
    """The keys of ``related`` (a many-to-many manager, prefetched or not) in the vocabulary's order."""
    present = {row.pk for row in related.all()}
    return [key for key in vocabulary.values if key in present]


class MigrationProfile(GovernmentScoped):
    """Facts about one government's migration framework; ``None`` means the sources say nothing (sin datos)."""

    state = state_key("migration_profile", field=models.OneToOneField)
    municipality = municipality_key("migration_profile", field=models.OneToOneField)
    constitution_mentions_migrants = models.BooleanField(
        _("la constitución estatal nombra los derechos de las personas migrantes"), null=True, blank=True
    )
    has_protection_law = models.BooleanField(_("ley estatal de protección a migrantes"), null=True, blank=True)
    protection_law_name = models.CharField(_("nombre de la ley"), max_length=250, blank=True)
    council_name = models.CharField(_("consejo colegiado"), max_length=250, blank=True)
    council_notes = models.CharField(_("notas del consejo"), max_length=250, blank=True)
    mgi_profile_year = models.PositiveSmallIntegerField(
        _("perfil local de Indicadores de Gobernanza de la Migración (OIM), año"), null=True, blank=True
    )
    municipal_shelters = models.PositiveSmallIntegerField(_("albergues municipales"), null=True, blank=True)
    source = models.CharField(_("fuente"), max_length=300, blank=True)

    class Meta(GovernmentScoped.Meta):
        verbose_name = _("perfil migratorio")
        verbose_name_plural = _("perfiles migratorios")

    def __str__(self):
        return str(self.place)


class MigrantOfficeQuerySet(HistoryTrackedQuerySet):
    def with_related(self):
        return self.select_related("institution", "institution__state", "institution__municipality").prefetch_related(
            "populations", "services"
        )


_CREATION_YEAR_RANGE = _("El año de creación debe estar entre 1900 y el año en curso.")


def validate_not_future_year(value: int | None) -> None:
    """An office was created this year at the latest."""
    if value is not None and value > timezone.localdate().year:
        raise ValidationError(_CREATION_YEAR_RANGE, code="future_year")


class MigrantOffice(models.Model):
    """A state (OFAM) or municipal migrant-attention office, tied to its institution."""

    institution = models.OneToOneField(
        "institutions.Institution", models.PROTECT, related_name="migrant_office", verbose_name=_("dependencia")
    )
    official_name_known = models.BooleanField(
        _("nombre oficial documentado"),
        default=True,
        help_text=_("Falso cuando las fuentes solo describen la oficina; el nombre mostrado es descriptivo."),
    )
    institutional_form = models.CharField(
        _("forma institucional"),
        max_length=30,
        choices=InstitutionalForm.choices,
        blank=True,
        error_messages={"invalid_choice": _("Forma institucional desconocida.")},
    )
    parent_body = models.CharField(_("dependencia superior"), max_length=250, blank=True)
    creation_year = models.PositiveSmallIntegerField(
        _("año de creación"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900, message=_CREATION_YEAR_RANGE), validate_not_future_year],
    )
    handles_international_affairs = models.BooleanField(
        _("atiende también asuntos internacionales"), null=True, blank=True
    )
    populations = models.ManyToManyField(
        PopulationGroup, blank=True, related_name="offices", verbose_name=_("poblaciones atendidas")
    )
    services = models.ManyToManyField(OfficeService, blank=True, related_name="offices", verbose_name=_("servicios"))
    email = models.EmailField(_("correo institucional"), blank=True)
    phone = models.CharField(_("teléfono"), max_length=40, blank=True)
    address = models.CharField(_("domicilio"), max_length=300, blank=True)
    website = models.URLField(_("sitio web"), blank=True)
    confirmed_at = models.DateTimeField(_("datos confirmados"), null=True, blank=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)
    source = models.CharField(_("fuente"), max_length=300, blank=True)

    # The office's own data: what its staff may change (services.migrant_office_update) and what the API shows
    # after the institution's identity.
    EDITABLE_FIELDS = (
        "institutional_form",
        "parent_body",
        "creation_year",
        "handles_international_affairs",
        "populations",
        "services",
        "email",
        "phone",
        "address",
        "website",
    )

    objects = MigrantOfficeQuerySet.as_manager()
    # Every change, however made (admin, shell, services, bulk): portal/audit/history.py.
    history = HistoricalRecords(
        excluded_fields=["updated_at"],
        m2m_snapshots={"populations": "key", "services": "key"},
        verbose_name=_("cambio de oficina de atención a migrantes"),
        verbose_name_plural=_("historial de oficinas de atención a migrantes"),
    )

    class Meta:
        ordering = ["institution__state_id", "institution__name"]
        verbose_name = _("oficina de atención a migrantes")
        verbose_name_plural = _("oficinas de atención a migrantes")
        constraints = [
            models.CheckConstraint(
                condition=Q(institutional_form="") | Q(institutional_form__in=InstitutionalForm.values),
                name="%(app_label)s_%(class)s_form_valid",
            )
        ]

    def __str__(self):
        return self.institution.name

    @property
    def population_keys(self) -> list[str]:
        return keys_in_order(self.populations, Population)

    @property
    def service_keys(self) -> list[str]:
        return keys_in_order(self.services, Service)

    @property
    def population_list(self) -> list[str]:
        return [str(Population(k).label) for k in self.population_keys]

    @property
    def service_list(self) -> list[str]:
        return [str(Service(k).label) for k in self.service_keys]


class OfficeAbroad(models.Model):
    """An office a state runs outside its territory, in Mexico or abroad."""

    office = models.ForeignKey(MigrantOffice, models.CASCADE, related_name="offices_abroad", verbose_name=_("oficina"))
    city = models.CharField(_("ciudad"), max_length=120, blank=True)
    region = models.CharField(_("estado o provincia"), max_length=120, blank=True)
    country = models.CharField(_("país (ISO)"), max_length=2)
    is_liaison = models.BooleanField(_("enlace (no oficina completa)"), default=False)

    class Meta:
        ordering = ["country", "city"]
        verbose_name = _("oficina fuera de la entidad")
        verbose_name_plural = _("oficinas fuera de la entidad")

    def __str__(self):
        return f"{self.city or '—'}, {self.country}"
