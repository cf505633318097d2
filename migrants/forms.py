from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.limits import max_length_of

from .choices import InstitutionalForm, Population, Service
from .models import MigrantOffice


class MigrantOfficeForm(forms.Form):
    institutional_form = forms.ChoiceField(
        label=_("Forma institucional"), choices=[("", _("— sin datos —"))] + InstitutionalForm.choices, required=False
    )
    parent_body = forms.CharField(label=_("Dependencia superior"), max_length=250, required=False)
    creation_year = forms.IntegerField(label=_("Año de creación"), required=False, min_value=1900, max_value=2100)
    handles_international_affairs = forms.NullBooleanField(
        label=_("¿Atiende también asuntos internacionales?"),
        required=False,
        widget=forms.Select(choices=[("unknown", _("Sin datos")), ("true", _("Sí")), ("false", _("No"))]),
    )
    populations = forms.MultipleChoiceField(
        label=_("Poblaciones atendidas"),
        choices=Population.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    services = forms.MultipleChoiceField(
        label=_("Servicios"), choices=Service.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    email = forms.EmailField(label=_("Correo institucional"), required=False)
    phone = forms.CharField(label=_("Teléfono"), max_length=40, required=False)
    address = forms.CharField(label=_("Domicilio"), max_length=300, required=False)
    website = forms.URLField(
        label=_("Sitio web"), required=False, assume_scheme="https", max_length=max_length_of(MigrantOffice, "website")
    )

    @classmethod
    def initial_for(cls, office) -> dict:
        return {
            "institutional_form": office.institutional_form,
            "parent_body": office.parent_body,
            "creation_year": office.creation_year,
            "handles_international_affairs": office.handles_international_affairs,
            "populations": office.population_keys,
            "services": office.service_keys,
            "email": office.email,
            "phone": office.phone,
            "address": office.address,
            "website": office.website,
        }
