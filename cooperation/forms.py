from django import forms
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    input_type = "date"


class FocalPointForm(forms.Form):
    name = forms.CharField(label=_("Nombre de la persona o área"), max_length=200)
    position = forms.CharField(label=_("Cargo"), max_length=200)
    area = forms.CharField(label=_("Área"), max_length=200, required=False)
    email = forms.EmailField(label=_("Correo institucional"))
    phone = forms.CharField(label=_("Teléfono"), max_length=40, required=False)
    designated_on = forms.DateField(label=_("Fecha de designación"), widget=DateInput(format="%Y-%m-%d"))
    term_ends_on = forms.DateField(label=_("Fin del encargo"), required=False, widget=DateInput(format="%Y-%m-%d"))
    designation_document = forms.FileField(label=_("Oficio de designación (PDF)"), required=False)
