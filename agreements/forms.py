"""Forms validate the shape of input; the rules live in the models (``clean()``, validators) and services."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cooperation.selectors import partnership_list
from portal.core.limits import NOTE, OBSERVATIONS, max_length_of
from portal.core.widgets import PickerSelect
from portal.geography import countries as geo_countries

from . import countries
from .choices import (
    AnnexType,
    CaseKind,
    CounterpartType,
    DictamenOutcome,
    DocumentKind,
    EntryIntoForce,
    Kind,
    ObservationAnswer,
    Term,
    Theme,
)
from .models import Agreement, Dictamen, Observation, ReviewerAbsence
from .selectors.lookup import normalise_folio
from .validators import model_messages
from .validity import MAX_MONTHS, MAX_YEARS
from .workflow import SIGNED_TEXT_MATCH_THRESHOLD


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ModelRuledChoiceField(forms.ChoiceField):
    """A choice among those offered, where any other answer is judged by the model field's validators, in the
    model's words (a domestic counterpart is told what the API and the service tell it, not «not a choice»)."""

    def __init__(self, *, model_field, **kwargs):
        super().__init__(validators=model_field.validators, **kwargs)

    def valid_value(self, value):
        return True  # the model field's validators decide


class AgreementForm(forms.Form):
    """The request's fields; the rules and their messages are the model's (``Agreement.clean()`` and field
    validators, run by the service's ``full_clean``; the view shows its errors next to these fields)."""

    title = forms.CharField(
        label=_("Título del instrumento"),
        max_length=max_length_of(Agreement, "title"),
        error_messages=model_messages(Agreement, "title"),
    )
    kind = forms.ChoiceField(
        label=_("Tipo de instrumento"), choices=Kind.choices, error_messages=model_messages(Agreement, "kind")
    )
    counterpart_name = forms.CharField(
        label=_("Nombre de la contraparte"),
        max_length=max_length_of(Agreement, "counterpart_name"),
        error_messages=model_messages(Agreement, "counterpart_name"),
    )
    counterpart_type = forms.ChoiceField(
        label=_("Tipo de contraparte"),
        choices=CounterpartType.choices,
        error_messages=model_messages(Agreement, "counterpart_type"),
        help_text=_(
            "Un AII se celebra con órganos gubernamentales extranjeros u organismos internacionales "
            "(LSCT art. 2 fr. II)."
        ),
    )
    counterpart_country = ModelRuledChoiceField(
        model_field=Agreement._meta.get_field("counterpart_country"),
        label=_("País de la contraparte"),
        required=False,
        widget=PickerSelect(),
        help_text=_("Déjelo vacío solo para organismos internacionales sin sede nacional."),
    )
    # Chosen by name among the country's subdivisions; stored as before, as its ISO 3166-2 code.
    counterpart_subdivision = forms.ChoiceField(
        label=_("Estado o provincia de la contraparte"),
        required=False,
        widget=PickerSelect(
            depends_on="counterpart_country", source=reverse_lazy("api:subdivision-list"), param="country"
        ),
        help_text=_("Elija primero el país; después escriba el nombre del estado o provincia, p. ej. Texas."),
        error_messages={"invalid_choice": _("Elija un estado o provincia del país indicado, de la lista.")},
    )
    themes = forms.MultipleChoiceField(label=_("Temas"), choices=Theme.choices, widget=forms.CheckboxSelectMultiple)
    intended_signing_date = forms.DateField(
        label=_("Fecha prevista de firma"),
        widget=DateInput(),
        error_messages=model_messages(Agreement, "intended_signing_date"),
    )
    intended_signing_place = forms.CharField(
        label=_("Lugar previsto de firma"),
        max_length=max_length_of(Agreement, "intended_signing_place"),
        error_messages=model_messages(Agreement, "intended_signing_place"),
    )
    urgency_reason = forms.CharField(
        label=_("Justificación de urgencia"),
        required=False,
        max_length=max_length_of(Agreement, "urgency_reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Obligatoria si la solicitud llegará a la CJA después de la fecha límite (diez días hábiles antes de "
            "la firma): sin ella no podrá enviarse."
        ),
    )

    # The term (vigencia): checked together by validity.clean_term.
    entry_into_force = forms.ChoiceField(
        label=_("Entrada en vigor"), choices=EntryIntoForce.choices, widget=forms.RadioSelect
    )
    entry_into_force_on = forms.DateField(
        label=_("Fecha de entrada en vigor"),
        required=False,
        widget=DateInput(),
        help_text=_("Solo si el acuerdo entra en vigor en una fecha determinada."),
    )
    term = forms.ChoiceField(label=_("Vigencia"), choices=Term.choices, widget=forms.RadioSelect)
    term_years = forms.IntegerField(
        label=_("Años de vigencia"), required=False, min_value=0, max_value=MAX_YEARS, help_text=_("Plazo determinado.")
    )
    term_months = forms.IntegerField(
        label=_("Meses de vigencia"),
        required=False,
        min_value=0,
        max_value=MAX_MONTHS,
        help_text=_("Además de los años, si los hay."),
    )
    automatic_renewal = forms.BooleanField(
        label=_("El acuerdo se renueva automáticamente al concluir su plazo"), required=False
    )

    partnership = forms.ModelChoiceField(
        label=_("Alianza relacionada (opcional)"),
        queryset=None,
        required=False,
        empty_label=_("— Ninguna —"),
        help_text=_("Si el instrumento formaliza una alianza de su dependencia registrada en el portal."),
    )
    # Set from the registry entry's page (``?modifica=<número>&tipo=...``), never typed.
    case_kind = forms.ChoiceField(choices=CaseKind.choices, required=False, widget=forms.HiddenInput)
    amends = forms.CharField(max_length=40, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counterpart_country"].choices = [("", _("— Sin país (organismo internacional) —"))] + (
            countries.country_choices()
        )
        # The subdivisions of the country sent (or saved): the list the picker shows, and the only valid answers.
        country = (
            self.data.get("counterpart_country") if self.is_bound else self.initial.get("counterpart_country")
        ) or ""
        self.fields["counterpart_subdivision"].choices = [("", _("— Sin estado o provincia —"))] + (
            geo_countries.subdivision_choices(country)
        )
        institution_id = getattr(user, "institution_id", None)
        self.fields["partnership"].queryset = partnership_list().filter(institution_id=institution_id)

    @classmethod
    def initial_for_change(cls, entry, case_kind: str) -> dict:
        """A modification or extension starts from the registered agreement's data."""
        label = CaseKind(case_kind).label
        return {
            "case_kind": case_kind,
            "amends": entry.registry_number,
            "title": f"{label} — {entry.title}"[:300],
            "kind": entry.kind,
            "counterpart_name": entry.counterpart_name,
            "counterpart_type": entry.counterpart_type,
            "counterpart_country": entry.counterpart_country,
            "counterpart_subdivision": entry.counterpart_subdivision,
            "themes": entry.theme_keys,
        }

    @classmethod
    def initial_for(cls, agreement) -> dict:
        initial = {field: getattr(agreement, field) for field in Agreement.REQUEST_FIELDS}
        initial["themes"] = [t.key for t in agreement.themes.all()]
        return initial


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Documento"),
        choices=[(k, v) for k, v in DocumentKind.choices if k in ("request_letter", "final_text", "annex")],
    )
    annex_type = forms.ChoiceField(label=_("Tipo de anexo"), choices=[("", "—")] + AnnexType.choices, required=False)
    file = forms.FileField(label=_("Archivo"), help_text=_("PDF para el oficio; Word (.docx) para el texto final."))


class ReplaceDocumentForm(forms.Form):
    file = forms.FileField(label=_("Archivo nuevo"))


class RevisionForm(forms.Form):
    file = forms.FileField(
        label=_("Texto final revisado (.docx)"),
        help_text=_("Antes de enviarlo, responda cada observación del dictamen."),
    )


class DictamenForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Sentido del dictamen"), choices=DictamenOutcome.choices, widget=forms.RadioSelect
    )
    summary = forms.CharField(
        label=_("Resumen"), max_length=max_length_of(Dictamen, "summary"), widget=forms.Textarea(attrs={"rows": 4})
    )
    observations = forms.CharField(
        label=_("Observaciones"),
        required=False,
        # Every observation at its longest, one per line.
        max_length=OBSERVATIONS * (max_length_of(Observation, "text") + 1),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Una observación por línea. Para citar una cláusula, empiece con ella y dos puntos: "
            "«Cláusula 5: precisar la vigencia»."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        cleaned["observations"] = self.parse_observations(cleaned.get("observations") or "")
        try:
            Observation.check_list(cleaned["observations"])
        except forms.ValidationError as exc:
            self.add_error(None, exc)
        return cleaned

    @staticmethod
    def parse_observations(raw: str) -> list[dict]:
        result = []
        for line in raw.splitlines():
            line = line.strip().lstrip("-•").strip()
            if not line:
                continue
            clause, sep, text = line.partition(":")
            if sep and len(clause) <= 60 and text.strip():
                result.append({"clause": clause.strip(), "text": text.strip()})
            else:
                result.append({"clause": "", "text": line})
        return result


class CoverNoteForm(forms.Form):
    cover_note = forms.CharField(
        label=_("Nota de envío (opcional)"),
        required=False,
        max_length=max_length_of(Dictamen, "cover_note"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comentario para la CJA"),
        max_length=max_length_of(Dictamen, "return_comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Motivo"), max_length=NOTE, widget=forms.Textarea(attrs={"rows": 3}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Motivo (opcional)"),
        required=False,
        max_length=NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ObservationAnswerForm(forms.Form):
    number = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    answer = forms.ChoiceField(
        label=_("Respuesta"),
        # No default: the filer says, observation by observation, whether it was addressed.
        choices=[("", _("— Elija una respuesta —"))]
        + [(k, v) for k, v in ObservationAnswer.choices if k != ObservationAnswer.PENDING],
    )
    reply = forms.CharField(
        label=_("Comentario"),
        required=False,
        max_length=max_length_of(Observation, "reply"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SignatureForm(forms.Form):
    file = forms.FileField(label=_("Copia firmada (PDF completo y legible)"))
    signed_on = forms.DateField(label=_("Fecha de firma"), widget=DateInput())
    signed_place = forms.CharField(label=_("Lugar de firma"), max_length=200)
    entry_into_force_on = forms.DateField(
        label=_("Fecha de entrada en vigor"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "Obligatoria si el acuerdo entró en vigor con la última notificación entre las partes. Si entra en vigor "
            "a la firma, se toma la fecha de firma; si en una fecha pactada, déjela vacía para conservarla."
        ),
    )
    low_match_reason = forms.CharField(
        label=_("Motivo de la diferencia (solo si el portal lo pide)"),
        required=False,
        max_length=max_length_of(Agreement, "signed_text_note"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["low_match_reason"].help_text = gettext(
            "Si el texto de la copia firmada coincide en menos del %(t)s %% con el texto dictaminado, confirme "
            "que es el documento correcto y explique la diferencia."
        ) % {"t": SIGNED_TEXT_MATCH_THRESHOLD}


class RegistrationForm(forms.Form):
    registry_number = forms.CharField(label=_("Número de registro"), max_length=40)
    registered_on = forms.DateField(label=_("Fecha de inscripción"), widget=DateInput())
    recommendations_incorporated = forms.BooleanField(
        label=_("Confirmo que el texto firmado incorpora las recomendaciones del dictamen"), required=False
    )


class CaseLookupForm(forms.Form):
    """The public status by folio: one field, the folio on the receipt."""

    folio = forms.CharField(
        label=_("Folio"),
        max_length=30,
        help_text=_("Como aparece en el acuse de recibo, por ejemplo AII-2026-000123."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "aria-describedby": "help-folio"}),
    )

    def clean_folio(self):
        folio = normalise_folio(self.cleaned_data["folio"])
        if folio is None:
            raise forms.ValidationError(_("Escriba el folio como aparece en el acuse, por ejemplo AII-2026-000123."))
        return folio


class ReviewerAssignForm(forms.Form):
    reviewer = forms.IntegerField(label=_("Asignar a"), min_value=1)


class ReviewerAbsenceForm(forms.Form):
    reviewer = forms.IntegerField(label=_("Persona ausente"), min_value=1)
    delegate = forms.IntegerField(label=_("Suplente"), min_value=1)
    starts_on = forms.DateField(label=_("Desde"), widget=DateInput)
    ends_on = forms.DateField(label=_("Hasta"), widget=DateInput)

    def clean(self):
        """The dates in the model's words (``ReviewerAbsence.clean``); the delegate is the service's to judge, as
        it needs the office."""
        data = super().clean()
        absence = ReviewerAbsence(starts_on=data.get("starts_on"), ends_on=data.get("ends_on"))
        try:
            absence.clean()
        except forms.ValidationError as exc:
            for message in exc.message_dict.get("ends_on", []):
                self.add_error("ends_on", message)
        return data
