"""Forms of the follow-up pages: shapes only; the rules (dates in order, no negative budget, report periods) are the
model's and the services', whose messages the views show next to the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.forms import DateInput
from portal.core.limits import NOTE

from .choices import IndicatorKind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class WorkPlanForm(forms.Form):
    starts_on = forms.DateField(label=_("Inicio del plan"), widget=DateInput())
    ends_on = forms.DateField(label=_("Fin del plan"), widget=DateInput())
    objectives = forms.CharField(
        label=_("Objetivos"),
        required=False,
        max_length=NOTE,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE}),
    )


class ActivityForm(forms.Form):
    name = forms.CharField(label=_("Actividad"), max_length=200)
    responsible_name = forms.CharField(label=_("Persona responsable"), max_length=150)
    responsible_email = forms.EmailField(label=_("Correo de la persona responsable"), required=False)
    starts_on = forms.DateField(label=_("Inicio"), widget=DateInput())
    ends_on = forms.DateField(label=_("Fin"), widget=DateInput())
    budget = forms.DecimalField(
        label=_("Presupuesto (MXN)"), required=False, max_digits=16, decimal_places=2, min_value=0
    )


class IndicatorForm(forms.Form):
    kind = forms.ChoiceField(label=_("Indicador"), choices=IndicatorKind.choices)
    name = forms.CharField(
        label=_("Nombre del indicador propio"),
        required=False,
        max_length=150,
        help_text=_("Solo para un indicador propio."),
    )
    unit = forms.CharField(
        label=_("Unidad"),
        required=False,
        max_length=60,
        help_text=_("Vacía: la unidad habitual del indicador recomendado."),
    )
    baseline = forms.DecimalField(label=_("Línea base"), required=False, max_digits=16, decimal_places=2, min_value=0)
    target = forms.DecimalField(label=_("Meta"), max_digits=16, decimal_places=2, min_value=0)


class ReportForm(forms.Form):
    """The report's period and summary, one percentage (and comment) per activity, one value per indicator."""

    period_start = forms.DateField(label=_("Inicio del periodo"), widget=DateInput())
    period_end = forms.DateField(label=_("Fin del periodo"), widget=DateInput())
    summary = forms.CharField(
        label=_("Resumen de avances"), max_length=NOTE, widget=forms.Textarea(attrs={"rows": 4, "maxlength": NOTE})
    )
    evidence = MultipleFileField(
        label=_("Evidencias (PDF)"),
        required=False,
        help_text=_("Minutas, listas de asistencia, fotografías o informes, en PDF."),
    )

    def __init__(self, *args, activities=(), indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.activity_rows, self.indicator_rows = [], []
        for activity in activities:
            percent = f"activity_{activity.pk}_percent"
            note = f"activity_{activity.pk}_note"
            self.fields[percent] = forms.IntegerField(
                label=_("Avance de «%(a)s» (%%)") % {"a": activity.name}, min_value=0, max_value=100
            )
            self.fields[note] = forms.CharField(
                label=_("Comentario sobre «%(a)s»") % {"a": activity.name}, required=False, max_length=300
            )
            self.activity_rows.append((activity, percent, note))
        for indicator in indicators:
            name = f"indicator_{indicator.pk}_value"
            self.fields[name] = forms.DecimalField(
                label=_("%(i)s: valor alcanzado (%(u)s)") % {"i": indicator.label, "u": indicator.unit},
                max_digits=16,
                decimal_places=2,
                min_value=0,
            )
            self.indicator_rows.append((indicator, name))

    def progress(self) -> dict[int, dict]:
        return {
            activity.pk: {"percent": self.cleaned_data[percent], "note": self.cleaned_data.get(note, "")}
            for activity, percent, note in self.activity_rows
        }

    def values(self) -> dict[int, object]:
        return {indicator.pk: self.cleaned_data[name] for indicator, name in self.indicator_rows}


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidencia (PDF)"))
