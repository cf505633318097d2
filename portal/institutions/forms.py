from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.limits import NOTE
from portal.core.widgets import PickerSelect
from portal.geography.models import State

from .choices import REQUESTABLE_ROLES
from .models import AccessRequest, Institution


class AccessRequestForm(forms.Form):
    """The person's office (from the list, or a new one with its state), the role they need and why."""

    institution = forms.ModelChoiceField(
        label=_("Dependencia"),
        queryset=Institution.objects.order_by("name"),
        required=False,
        empty_label=_("Elija su dependencia"),
        widget=PickerSelect(),
        help_text=_("Si su dependencia no aparece, deje esta lista vacía y escriba su nombre abajo."),
    )
    new_institution_name = forms.CharField(
        label=_("Dependencia que no está en la lista"),
        max_length=AccessRequest._meta.get_field("new_institution_name").max_length,
        required=False,
    )
    state = forms.ModelChoiceField(
        label=_("Entidad de la dependencia nueva"),
        queryset=State.objects.order_by("name"),
        required=False,
        empty_label=_("Elija la entidad"),
        widget=PickerSelect(),
    )
    role = forms.ChoiceField(label=_("Función que necesita"), choices=[(r.value, r.label) for r in REQUESTABLE_ROLES])
    position = forms.CharField(label=_("Su cargo"), max_length=150)
    justification = forms.CharField(
        label=_("¿Para qué necesita el acceso?"), widget=forms.Textarea(attrs={"rows": 4}), max_length=NOTE
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].label_from_instance = lambda state: state.name


class AccessDecisionForm(forms.Form):
    institution = forms.ModelChoiceField(
        label=_("Dependencia"),
        queryset=Institution.objects.order_by("name"),
        required=False,
        empty_label=_("Seleccione…"),
        widget=PickerSelect(),
    )
    reason = forms.CharField(label=_("Motivo del rechazo"), required=False, max_length=NOTE)
