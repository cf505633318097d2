from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.core.limits import NOTE, bounded_text_field
from portal.geography.government import GovernmentScoped, municipality_key, state_key

from .choices import REQUESTABLE_ROLES, AccessRequestStatus, Language, Level, Role
from .roles import role_for_group


class Institution(GovernmentScoped):
    """A *dependencia*: a federal, state or municipal government office (a municipal one names its state too)."""

    name = models.CharField(_("nombre"), max_length=250, unique=True)
    acronym = models.CharField(_("siglas"), max_length=30, blank=True)
    level = models.CharField(_("nivel"), max_length=10, choices=Level.choices)
    state = state_key("institutions", on_delete=models.PROTECT)
    municipality = municipality_key("institutions", on_delete=models.PROTECT)
    email = models.EmailField(_("correo institucional"), blank=True)
    is_demo = models.BooleanField(_("dato de demostración"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("dependencia")
        verbose_name_plural = _("dependencias")
        constraints = [
            models.CheckConstraint(condition=Q(level__in=Level.values), name="%(app_label)s_%(class)s_level_valid"),
            models.CheckConstraint(
                condition=(
                    Q(level=Level.FEDERAL, state__isnull=True, municipality__isnull=True)
                    | Q(level=Level.STATE, state__isnull=False, municipality__isnull=True)
                    | Q(level=Level.MUNICIPAL, state__isnull=False, municipality__isnull=False)
                ),
                name="%(app_label)s_%(class)s_level_matches_geography",
            ),
        ]

    def __str__(self):
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in with an e-mail address; belongs to at most one institution."""

    username = None
    email = models.EmailField(_("correo electrónico"), unique=True)
    institution = models.ForeignKey(
        Institution,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("dependencia"),
    )
    position = models.CharField(_("cargo"), max_length=150, blank=True)
    is_demo = models.BooleanField(_("cuenta de demostración"), default=False)
    # The language of the person's e-mail: set by the language selector and at sign-in ("" until then: the
    # portal's language, es-MX).
    language = models.CharField(_("idioma preferido"), max_length=10, choices=Language.choices, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]
        verbose_name = _("usuario")
        verbose_name_plural = _("usuarios")
        constraints = [
            models.CheckConstraint(
                condition=Q(language__in=Language.values) | Q(language=""),
                name="%(app_label)s_%(class)s_language_valid",
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def roles(self) -> frozenset[str]:
        """Role keys from the user's groups, read once per request."""
        if not hasattr(self, "_roles"):
            names = self.groups.values_list("name", flat=True) if self.pk else []
            self._roles = frozenset(r for r in (role_for_group(n) for n in names) if r)
        return self._roles

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    @property
    def email_language(self) -> str:
        """The language the person's e-mail is written in: their preferred one, else the portal's (es-MX)."""
        return self.language or settings.LANGUAGE_CODE


class AccessRequest(models.Model):
    """A self-registered person asks to work in the portal for an office (or a new one) with one role;
    an administrator of that scope approves or rejects it (services.access_request_*)."""

    user = models.ForeignKey(User, models.CASCADE, related_name="access_requests", verbose_name=_("persona"))
    institution = models.ForeignKey(
        Institution,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="access_requests",
        verbose_name=_("dependencia"),
    )
    new_institution_name = models.CharField(_("dependencia nueva"), max_length=250, blank=True)
    state = state_key("+", on_delete=models.PROTECT)
    role = models.CharField(_("función"), max_length=20, choices=[(r.value, r.label) for r in REQUESTABLE_ROLES])
    position = models.CharField(_("cargo"), max_length=150)
    justification = bounded_text_field(_("motivo"), max_length=NOTE)
    language = models.CharField(_("idioma"), max_length=10, default="es-mx")
    status = models.CharField(
        _("estado"), max_length=10, choices=AccessRequestStatus.choices, default=AccessRequestStatus.PENDING
    )
    created_at = models.DateTimeField(_("solicitada"), auto_now_add=True)
    decided_by = models.ForeignKey(
        User, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("decidida por")
    )
    decided_at = models.DateTimeField(_("decidida"), null=True, blank=True)
    reason = bounded_text_field(_("motivo de la decisión"), max_length=NOTE, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("solicitud de acceso")
        verbose_name_plural = _("solicitudes de acceso")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AccessRequestStatus.values), name="%(app_label)s_%(class)s_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in REQUESTABLE_ROLES]), name="%(app_label)s_%(class)s_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(institution__isnull=False) | ~Q(new_institution_name=""),
                name="%(app_label)s_%(class)s_names_an_office",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status=AccessRequestStatus.PENDING),
                name="%(app_label)s_%(class)s_one_pending_per_user",
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.office_label}"

    @property
    def office_label(self) -> str:
        return self.institution.name if self.institution_id else self.new_institution_name

    def clean(self):
        if not self.institution_id and not self.new_institution_name.strip():
            raise ValidationError(
                {
                    "institution": _(
                        "Elija su dependencia o escriba el nombre de una dependencia que no esté en la lista."
                    )
                }
            )
        # once approved, the request keeps the new office's name as asked and the office it became
        if self.status == AccessRequestStatus.PENDING and self.institution_id and self.new_institution_name.strip():
            raise ValidationError(
                {"new_institution_name": _("Elija una dependencia de la lista o escriba una nueva, no ambas.")}
            )
        if self.new_institution_name.strip() and not self.state_id:
            raise ValidationError({"state": _("Indique la entidad de la dependencia nueva.")})
