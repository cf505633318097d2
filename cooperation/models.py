import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from migrants.choices import Population
from migrants.models import keys_in_order
from portal.audit.history import HistoricalRecords, HistoryTrackedQuerySet
from portal.core.limits import LONG_NOTE, bounded_text_field
from portal.core.text import fold
from portal.geography.government import GovernmentScoped, municipality_key, state_key

from .choices import Instrument, NetworkKind, OrganisationKind, PartnershipStatus


class Organisation(models.Model):
    name = models.CharField(_("nombre"), max_length=200, unique=True)
    acronym = models.CharField(_("siglas"), max_length=40, blank=True)
    english_name = models.CharField(_("nombre en inglés"), max_length=200, blank=True)
    kind = models.CharField(_("tipo"), max_length=30, choices=OrganisationKind.choices)
    country = models.CharField(_("país de origen (ISO)"), max_length=2, blank=True)
    website = models.URLField(_("sitio web"), blank=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("organismo")
        verbose_name_plural = _("organismos")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OrganisationKind.values), name="%(app_label)s_%(class)s_kind_valid"
            )
        ]

    def __str__(self):
        return f"{self.acronym} · {self.name}" if self.acronym else self.name


class PartnershipTheme(models.Model):
    """A subject a partnership covers, in the sources' words (an open vocabulary: one row per distinct name)."""

    name = models.CharField(_("nombre"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tema de alianza")
        verbose_name_plural = _("temas de alianzas")

    def __str__(self):
        return self.name


class PartnershipQuerySet(HistoryTrackedQuerySet):
    def with_values(self):
        """With the themes and populations each row shows (two queries, whatever the number of rows)."""
        return self.prefetch_related("themes", "populations")


class Partnership(models.Model):
    """An instrument between a Mexican institution and an organisation."""

    institution = models.ForeignKey(
        "institutions.Institution", models.PROTECT, related_name="partnerships", verbose_name=_("institución mexicana")
    )
    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="partnerships", verbose_name=_("organismo")
    )
    instrument = models.CharField(_("instrumento"), max_length=30, choices=Instrument.choices)
    title = models.CharField(_("título"), max_length=300)
    year = models.PositiveSmallIntegerField(_("año"), null=True, blank=True)
    started_on = models.DateField(_("inicio"), null=True, blank=True)
    ends_on = models.DateField(_("término"), null=True, blank=True)
    status = models.CharField(
        _("estado"), max_length=20, choices=PartnershipStatus.choices, default=PartnershipStatus.UNKNOWN
    )
    themes = models.ManyToManyField(PartnershipTheme, blank=True, related_name="partnerships", verbose_name=_("temas"))
    populations = models.ManyToManyField(
        "migrants.PopulationGroup", blank=True, related_name="partnerships", verbose_name=_("poblaciones atendidas")
    )
    activities = bounded_text_field(_("actividades"), max_length=LONG_NOTE, blank=True)
    source = models.CharField(_("fuente"), max_length=300, blank=True)

    objects = PartnershipQuerySet.as_manager()
    # Every change, however made (admin, shell, services, bulk): portal/audit/history.py.
    history = HistoricalRecords(
        verbose_name=_("cambio de alianza"),
        verbose_name_plural=_("historial de alianzas"),
        m2m_snapshots={"themes": "name", "populations": "key"},
    )

    class Meta:
        ordering = ["institution__state_id", "organisation__name", "year"]
        verbose_name = _("alianza")
        verbose_name_plural = _("alianzas")
        constraints = [
            models.CheckConstraint(
                condition=Q(instrument__in=Instrument.values), name="%(app_label)s_%(class)s_instrument_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=PartnershipStatus.values), name="%(app_label)s_%(class)s_status_valid"
            ),
            models.UniqueConstraint(
                fields=["institution", "organisation", "title"], name="%(app_label)s_%(class)s_unique_title"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def theme_names(self) -> list[str]:
        return sorted((t.name for t in self.themes.all()), key=fold)

    @property
    def population_keys(self) -> list[str]:
        return keys_in_order(self.populations, Population)

    @property
    def population_list(self) -> list[str]:
        return [str(Population(k).label) for k in self.population_keys]


class CityNetwork(models.Model):
    name = models.CharField(_("nombre"), max_length=200, unique=True)
    acronym = models.CharField(_("siglas"), max_length=40, blank=True)
    kind = models.CharField(_("tipo"), max_length=30, choices=NetworkKind.choices)
    convenor = models.CharField(_("convocante"), max_length=200, blank=True)
    founded_year = models.PositiveSmallIntegerField(_("desde"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("red de ciudades")
        verbose_name_plural = _("redes de ciudades")

    def __str__(self):
        return self.name


class NetworkMembership(GovernmentScoped):
    network = models.ForeignKey(CityNetwork, models.CASCADE, related_name="memberships", verbose_name=_("red"))
    state = state_key("network_memberships")
    municipality = municipality_key("network_memberships")
    joined_year = models.PositiveSmallIntegerField(_("año de adhesión"), null=True, blank=True)

    class Meta(GovernmentScoped.Meta):
        ordering = ["network__name", "joined_year"]
        verbose_name = _("membresía en red")
        verbose_name_plural = _("membresías en redes")
        constraints = [
            *GovernmentScoped.Meta.constraints,
            models.UniqueConstraint(
                fields=["network", "state"],
                condition=Q(state__isnull=False),
                name="%(app_label)s_%(class)s_unique_state",
            ),
            models.UniqueConstraint(
                fields=["network", "municipality"],
                condition=Q(municipality__isnull=False),
                name="%(app_label)s_%(class)s_unique_municipality",
            ),
        ]

    def __str__(self):
        return f"{self.network} · {self.place}"


class GovernmentTerm(GovernmentScoped):
    """The current administration of a state or municipal government (for handovers)."""

    state = state_key("terms")
    municipality = municipality_key("terms")
    started_on = models.DateField(_("inicio de la administración"))
    ends_on = models.DateField(_("fin de la administración"), null=True, blank=True)
    is_demo = models.BooleanField(_("dato de demostración"), default=False)

    class Meta(GovernmentScoped.Meta):
        ordering = ["-started_on"]
        verbose_name = _("periodo de gobierno")
        verbose_name_plural = _("periodos de gobierno")

    def __str__(self):
        return f"{self.place} {self.started_on:%Y}"


PERSONAL_MAIL_DOMAINS = {
    "gmail.com",
    "hotmail.com",
    "outlook.com",
    "yahoo.com",
    "yahoo.com.mx",
    "live.com",
    "icloud.com",
    "prodigy.net.mx",
    "aol.com",
    "protonmail.com",
}


def validate_institutional_email(value: str) -> None:
    """A focal point is reached at the government's address, not a personal mailbox."""
    if value and value.rsplit("@", 1)[-1].lower() in PERSONAL_MAIL_DOMAINS:
        raise ValidationError(_("Use un correo institucional, no uno personal."), code="personal_email")


_DESIGNATION_DATE_MISSING = _("Indique la fecha de designación.")


class FocalPoint(GovernmentScoped):
    """The person or area a government names as its liaison with the SRE and foreign partners.

    Its rules are here (field messages, the institutional address, ``clean()``); the service ``full_clean``s."""

    state = state_key("focal_points")
    municipality = municipality_key("focal_points")
    institution = models.ForeignKey(
        "institutions.Institution",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="focal_points",
        verbose_name=_("dependencia"),
    )
    name = models.CharField(_("nombre"), max_length=200, error_messages={"blank": _("Escriba el nombre.")})
    position = models.CharField(_("cargo"), max_length=200, error_messages={"blank": _("Escriba el cargo.")})
    area = models.CharField(_("área"), max_length=200, blank=True)
    email = models.EmailField(
        _("correo institucional"),
        validators=[validate_institutional_email],
        error_messages={"blank": _("Escriba el correo institucional.")},
    )
    phone = models.CharField(_("teléfono"), max_length=40, blank=True)
    designated_on = models.DateField(
        _("fecha de designación"),
        error_messages={"null": _DESIGNATION_DATE_MISSING, "invalid": _DESIGNATION_DATE_MISSING},
    )
    designation_document = models.FileField(_("oficio de designación"), upload_to="focal_points/", blank=True)
    term_ends_on = models.DateField(_("fin del encargo"), null=True, blank=True)
    is_current = models.BooleanField(_("vigente"), default=True)
    ended_on = models.DateField(_("concluyó"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmado"), null=True, blank=True)
    is_demo = models.BooleanField(_("dato de demostración"), default=False)
    created_at = models.DateTimeField(_("registrado"), auto_now_add=True)

    objects = HistoryTrackedQuerySet.as_manager()
    # Every change, however made (admin, shell, services, bulk): portal/audit/history.py.
    history = HistoricalRecords(
        verbose_name=_("cambio de punto focal"), verbose_name_plural=_("historial de puntos focales")
    )

    class Meta(GovernmentScoped.Meta):
        ordering = ["-is_current", "-designated_on", "-id"]
        verbose_name = _("punto focal")
        verbose_name_plural = _("puntos focales")
        constraints = [
            *GovernmentScoped.Meta.constraints,
            models.UniqueConstraint(
                fields=["state"],
                condition=Q(is_current=True, state__isnull=False),
                name="%(app_label)s_%(class)s_one_current_per_state",
            ),
            models.UniqueConstraint(
                fields=["municipality"],
                condition=Q(is_current=True, municipality__isnull=False),
                name="%(app_label)s_%(class)s_one_current_per_municipality",
            ),
        ]

    def __str__(self):
        return f"{self.name} · {self.position}"

    def clean(self):
        """A designation already made, and a term that ends after it."""
        errors = {}
        designated, term_end = self.designated_on, self.term_ends_on
        if not isinstance(designated, dt.date):
            return  # no date, or not one: its field says so
        if designated > timezone.localdate():
            errors["designated_on"] = [_("La fecha de designación no puede estar en el futuro.")]
        if isinstance(term_end, dt.date) and term_end < designated:
            errors["term_ends_on"] = [_("El fin del encargo no puede ser anterior a la designación.")]
        if errors:
            raise ValidationError(errors)
