"""The case itself: the themes vocabulary (``Theme``) and the *expediente* (``Agreement``) with its queryset."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.core.limits import NOTE, bounded_text_field

from ..choices import (
    CaseKind,
    CounterpartType,
    DictamenOutcome,
    EntryIntoForce,
    Kind,
    Status,
    Term,
)
from ..choices import Theme as ThemeChoice
from ..validators import counterpart_place_errors, validate_country_code, validate_foreign_country
from ..validity import TERM_FIELDS, clean_term
from ..workflow import EDITABLE_STATUSES, OPEN_STATUSES, SENT_OPEN_STATUSES, SIGNED_TEXT_MATCH_THRESHOLD


def _in(field, choices):
    return Q(**{f"{field}__in": choices.values})


_OPEN = sorted(status.value for status in OPEN_STATUSES)
_SENT_OPEN = sorted(status.value for status in SENT_OPEN_STATUSES)


class Theme(models.Model):
    """A theme of the fixed vocabulary; the key is the primary key (labels come from choices)."""

    key = models.CharField(max_length=30, primary_key=True, choices=ThemeChoice.choices)

    class Meta:
        ordering = ["key"]
        verbose_name = _("tema")
        verbose_name_plural = _("temas")
        constraints = [
            models.CheckConstraint(condition=_in("key", ThemeChoice), name="%(app_label)s_%(class)s_key_valid")
        ]

    def __str__(self):
        return str(ThemeChoice(self.key).label)


class AgreementQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Cases a user may see: reviewers every case sent (never a draft), local officials their institution's,
        others none (``visibility.case_visible`` is the same rule for one loaded case)."""
        if not user.is_authenticated:
            return self.none()
        own = user.has_perm("agreements.file_agreement") and user.institution_id
        if user.has_perm("agreements.view_all_agreements"):
            sent = ~Q(status=Status.DRAFT)
            return self.filter(sent | Q(institution_id=user.institution_id) if own else sent)
        if own:
            return self.filter(institution_id=user.institution_id)
        return self.none()


class Agreement(models.Model):
    """An *expediente*: one request for a dictamen de procedencia and its registration."""

    folio = models.CharField(_("folio"), max_length=20, unique=True, null=True, editable=False)
    title = models.CharField(
        _("título del instrumento"), max_length=300, error_messages={"blank": _("Escriba el título del instrumento.")}
    )
    kind = models.CharField(
        _("tipo de instrumento"),
        max_length=40,
        choices=Kind.choices,
        error_messages={
            "blank": _("Elija el tipo de instrumento."),
            "invalid_choice": _("Tipo de instrumento desconocido."),
        },
    )
    institution = models.ForeignKey(
        "institutions.Institution", models.PROTECT, related_name="agreements", verbose_name=_("dependencia")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("registrado por")
    )
    counterpart_name = models.CharField(
        _("contraparte"), max_length=250, error_messages={"blank": _("Escriba el nombre de la contraparte.")}
    )
    counterpart_type = models.CharField(
        _("tipo de contraparte"),
        max_length=30,
        choices=CounterpartType.choices,
        error_messages={
            "blank": _("Elija el tipo de contraparte."),
            "invalid_choice": _("Tipo de contraparte desconocido."),
        },
    )
    counterpart_country = models.CharField(
        _("país de la contraparte"),
        max_length=2,
        blank=True,
        validators=[validate_country_code, validate_foreign_country],
    )
    counterpart_subdivision = models.CharField(_("subdivisión de la contraparte"), max_length=6, blank=True)
    themes = models.ManyToManyField(Theme, related_name="agreements", verbose_name=_("temas"))
    intended_signing_date = models.DateField(
        _("fecha prevista de firma"),
        error_messages={
            "null": _("Indique la fecha prevista de firma."),
            "invalid": _("Fecha no válida."),
            "invalid_date": _("Fecha no válida."),
        },
    )
    intended_signing_place = models.CharField(
        _("lugar previsto de firma"), max_length=200, error_messages={"blank": _("Indique el lugar previsto de firma.")}
    )
    urgency_reason = bounded_text_field(_("justificación de urgencia"), max_length=NOTE, blank=True)
    partnership = models.ForeignKey(
        "cooperation.Partnership",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("alianza relacionada"),
        help_text=_("Cuando el instrumento formaliza una alianza registrada en el portal."),
    )

    # The term (vigencia), stated at filing and confirmed with the signed copy (see validity.py).
    # Empty on cases filed before the term was recorded.
    entry_into_force = models.CharField(
        _("entrada en vigor"), max_length=30, choices=EntryIntoForce.choices, blank=True
    )
    entry_into_force_on = models.DateField(
        _("fecha de entrada en vigor"),
        null=True,
        blank=True,
        help_text=_("La fecha pactada al registrar la solicitud; la confirmada al enviar la copia firmada."),
    )
    term = models.CharField(_("vigencia"), max_length=20, choices=Term.choices, blank=True)
    term_years = models.PositiveSmallIntegerField(
        _("años de vigencia"), null=True, blank=True, error_messages={"invalid": _("Escriba un número entero.")}
    )
    term_months = models.PositiveSmallIntegerField(
        _("meses de vigencia"), null=True, blank=True, error_messages={"invalid": _("Escriba un número entero.")}
    )
    automatic_renewal = models.BooleanField(_("renovación automática"), default=False)

    status = models.CharField(_("estado"), max_length=30, choices=Status.choices, default=Status.DRAFT)
    # None once the case has ended (the constraint terminal_has_no_step); set by the services, never typed in.
    current_step = models.PositiveSmallIntegerField(_("paso actual"), null=True, blank=True, default=1)
    step_entered_at = models.DateTimeField(_("en el paso desde"), auto_now_add=True)
    cja_deadline = models.DateField(_("fecha límite para llegar a la CJA"), null=True, blank=True)
    is_late = models.BooleanField(_("fuera de plazo sin justificación"), default=False)
    submitted_at = models.DateTimeField(_("enviado"), null=True, blank=True)
    dictamen_outcome = models.CharField(
        _("sentido del dictamen entregado"), max_length=30, choices=DictamenOutcome.choices, blank=True
    )

    signed_on = models.DateField(_("fecha de firma"), null=True, blank=True)
    signed_place = models.CharField(_("lugar de firma"), max_length=200, blank=True)
    signed_text_match = models.FloatField(
        _("coincidencia del texto firmado (%)"),
        null=True,
        blank=True,
        help_text=_("Palabras de la copia firmada que coinciden con el texto dictaminado, calculado al cargarla."),
    )
    signed_text_note = bounded_text_field(_("motivo de la diferencia del texto firmado"), max_length=NOTE, blank=True)
    registry_number = models.CharField(_("número de registro"), max_length=40, unique=True, null=True, blank=True)
    # A modification or extension of an agreement already in the registry walks the same twelve steps.
    case_kind = models.CharField(
        _("tipo de solicitud"), max_length=12, choices=CaseKind.choices, default=CaseKind.ORIGINAL
    )
    amends = models.ForeignKey(
        "registry.RegistryEntry",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="amendment_cases",
        verbose_name=_("acuerdo que modifica o prorroga"),
    )
    registered_on = models.DateField(_("fecha de inscripción"), null=True, blank=True)
    recommendations_incorporated = models.BooleanField(_("recomendaciones incorporadas"), null=True, blank=True)
    closed_at = models.DateTimeField(_("concluido"), null=True, blank=True)

    # Folded folio, title and counterpart (portal.core.text.fold) for accent-insensitive search; written
    # only by the case services.
    search_text = models.TextField(editable=False, default="")
    # The named reviewers who took (or were assigned) the case in each office; written only by the
    # assignment services, which record every change on the timeline.
    cja_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revisor de la CJA"),
    )
    dgcp_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revisor de la DGCP"),
    )
    is_demo = models.BooleanField(_("dato de demostración"), default=False)
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    objects = AgreementQuerySet.as_manager()

    # What the filer states in the request (steps 1-4), besides its themes; the form edits exactly these.
    REQUEST_FIELDS = (
        "partnership",
        "title",
        "kind",
        "counterpart_name",
        "counterpart_type",
        "counterpart_country",
        "counterpart_subdivision",
        "intended_signing_date",
        "intended_signing_place",
        "urgency_reason",
        *TERM_FIELDS,
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("expediente")
        verbose_name_plural = _("expedientes")
        permissions = [
            ("file_agreement", _("Puede registrar y dar seguimiento a solicitudes de su dependencia")),
            ("view_all_agreements", _("Puede ver los expedientes de todas las dependencias")),
            ("issue_dictamen", _("Puede emitir dictámenes de procedencia (CJA)")),
            ("approve_dictamen", _("Puede aprobar y entregar dictámenes (DGCP)")),
            ("register_agreement", _("Puede inscribir acuerdos en el registro (CJA)")),
            ("return_agreement", _("Puede devolver o declarar no admitido un expediente")),
            ("import_registry", _("Puede importar el registro (RAII)")),
            ("assign_cja_reviewer", _("Puede asignar los expedientes de la CJA (titular)")),
            ("assign_dgcp_reviewer", _("Puede asignar los expedientes de la DGCP (titular)")),
            # Declared here, not on ``registry.Termination``, so that they keep their ``agreements.`` names
            # (migration 0035 moved the existing rows with their grants).
            ("request_termination", _("Puede notificar la terminación de acuerdos de su dependencia")),
            ("confirm_termination", _("Puede confirmar o devolver terminaciones de acuerdos (CJA)")),
        ]
        constraints = [
            models.CheckConstraint(condition=_in("status", Status), name="%(app_label)s_%(class)s_status_valid"),
            models.CheckConstraint(condition=_in("kind", Kind), name="%(app_label)s_%(class)s_kind_valid"),
            models.CheckConstraint(
                condition=(Q(case_kind="original") & Q(amends__isnull=True))
                | (Q(case_kind__in=["modification", "extension"]) & Q(amends__isnull=False)),
                name="%(app_label)s_%(class)s_amends_only_for_changes",
            ),
            models.CheckConstraint(
                condition=_in("counterpart_type", CounterpartType),
                name="%(app_label)s_%(class)s_counterpart_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(current_step__isnull=True) | Q(current_step__gte=1, current_step__lte=12),
                name="%(app_label)s_%(class)s_current_step_range",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["closed", "not_viable", "not_admissible", "withdrawn"], current_step__isnull=True
                )
                | (
                    ~Q(status__in=["closed", "not_viable", "not_admissible", "withdrawn"])
                    & Q(current_step__isnull=False)
                ),
                name="%(app_label)s_%(class)s_terminal_has_no_step",
            ),
            models.CheckConstraint(
                condition=_in("entry_into_force", EntryIntoForce) | Q(entry_into_force=""),
                name="%(app_label)s_%(class)s_entry_into_force_valid",
            ),
            models.CheckConstraint(
                condition=~Q(entry_into_force=EntryIntoForce.ON_DATE) | Q(entry_into_force_on__isnull=False),
                name="%(app_label)s_%(class)s_entry_into_force_date_stated",
            ),
            models.CheckConstraint(condition=_in("term", Term) | Q(term=""), name="%(app_label)s_%(class)s_term_valid"),
            # A fixed term lasts some years or months; an indefinite (or unrecorded) one has no length
            # and does not renew.
            models.CheckConstraint(
                condition=(
                    Q(term=Term.FIXED, term_years__isnull=False, term_months__isnull=False)
                    & (Q(term_years__gt=0) | Q(term_months__gt=0))
                )
                | (~Q(term=Term.FIXED) & Q(term_years__isnull=True, term_months__isnull=True, automatic_renewal=False)),
                name="%(app_label)s_%(class)s_term_length",
            ),
        ]
        indexes = [
            models.Index(fields=["institution", "-created_at"], name="agreement_institution_idx"),
            # The case list's keyset pages for reviewers (every sent case, newest first).
            models.Index(fields=["-created_at", "-id"], name="agreement_recent_idx"),
            # CJA inbox: cases waiting on steps 7 or 11 in deadline order.
            models.Index(
                fields=["cja_deadline", "id"],
                condition=Q(status__in=["in_review", "registration_requested"]),
                name="agreement_cja_inbox_idx",
            ),
            # DGCP dashboard: open cases by age in their step, and counts per step (index-only on PostgreSQL).
            models.Index(
                fields=["step_entered_at", "id"], condition=Q(status__in=_OPEN), name="agreement_open_age_idx"
            ),
            # Profiles: cases in process per institution.
            models.Index(fields=["institution"], condition=Q(status__in=_OPEN), name="agreement_open_institution_idx"),
            # DGCP dashboard: the capped count, oldest case and overdue count of each step, and one step's list
            # (``?paso=``), over the cases sent (a draft is never on a dashboard: a step of drafts reads nothing).
            models.Index(
                fields=["current_step", "step_entered_at", "id"],
                include=["cja_deadline"],
                condition=Q(status__in=_SENT_OPEN),
                name="agreement_sent_step_idx",
            ),
            # DGCP inbox: is a dictamen's case still waiting for the DGCP (an index-only probe per dictamen).
            models.Index(fields=["id"], condition=Q(status="dictamen_issued"), name="agreement_dictamen_issued_idx"),
        ]

    def __str__(self):
        return f"{self.folio or '—'} · {self.title}"

    # What the reader sees (``visibility.reader_view`` annotates the local office's view; reviewers read the real).
    @property
    def reader_status(self) -> str:
        return getattr(self, "shown_status", self.status)

    @property
    def reader_status_label(self) -> str:
        return Status(self.reader_status).label

    @property
    def reader_step(self) -> int | None:
        return getattr(self, "shown_step", self.current_step)

    @property
    def low_text_match(self) -> bool:
        """The signed copy's text matches the dictaminated text below the threshold the filer had to confirm."""
        return self.signed_text_match is not None and self.signed_text_match < SIGNED_TEXT_MATCH_THRESHOLD

    def clean(self):
        """The request's rules across fields (steps 1-4): where the counterpart is, a signing date not yet past
        while the request can be edited, a partnership of the filing institution, and a consistent term (made
        consistent here: see ``validity.clean_term``)."""
        errors = counterpart_place_errors(
            counterpart_type=self.counterpart_type,
            country=self.counterpart_country or "",
            subdivision=self.counterpart_subdivision or "",
        )
        signing = self.intended_signing_date
        if self.status in EDITABLE_STATUSES and isinstance(signing, dt.date) and signing < timezone.localdate():
            errors.setdefault("intended_signing_date", []).append(
                gettext("La fecha prevista de firma no puede estar en el pasado.")
            )
        if self.partnership_id is not None and self._partnership_institution_id() != self.institution_id:
            errors.setdefault("partnership", []).append(gettext("La alianza elegida no pertenece a su dependencia."))
        term, term_errors = clean_term({field: getattr(self, field) for field in TERM_FIELDS})
        for field, value in term.items():
            setattr(self, field, value)
        for field, found in term_errors.items():
            errors.setdefault(field, []).extend(found)
        if errors:
            raise ValidationError(errors)

    def _partnership_institution_id(self) -> int | None:
        try:
            return self.partnership.institution_id
        except ObjectDoesNotExist:  # a partnership that does not exist: the field's own validation says so
            return self.institution_id

    @staticmethod
    def clean_themes(keys) -> list[str]:
        """The request's themes without repeats: at least one, each of the vocabulary."""
        keys = list(dict.fromkeys(keys or []))
        unknown = [key for key in keys if key not in ThemeChoice.values]
        if unknown:
            raise ValidationError(
                {"themes": [gettext("Temas desconocidos: %(t)s.") % {"t": ", ".join(str(k) for k in unknown)}]}
            )
        if not keys:
            raise ValidationError({"themes": [gettext("Elija al menos un tema.")]})
        return keys
