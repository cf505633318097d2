"""Forms of the public registry: the RAII import, certificate verification, terminations."""

import hashlib
import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from agreements.forms import DateInput
from portal.core.limits import NOTE


class RegistryImportForm(forms.Form):
    file = forms.FileField(label=_("Archivo CSV (UTF-8)"))
    dry_run = forms.BooleanField(label=_("Solo validar, sin escribir"), required=False)


class CertificateVerifyForm(forms.Form):
    """Check a constancia de inscripción: its PDF, or the SHA-256 printed beside it."""

    file = forms.FileField(
        label=_("PDF de la constancia"),
        required=False,
        help_text=_("El archivo no se guarda: solo se calcula su huella SHA-256."),
    )
    sha256 = forms.CharField(
        label=_("O su huella SHA-256"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None:
            return None
        limit = settings.PORTAL_MAX_UPLOAD_BYTES
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(
                _("El archivo pesa más del máximo permitido (%(mb)s MB).") % {"mb": limit // (1024 * 1024)}
            )
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        return digest.hexdigest()

    def clean_sha256(self):
        value = "".join(self.cleaned_data.get("sha256", "").split()).lower()
        if value and not re.fullmatch(r"[0-9a-f]{64}", value):
            raise forms.ValidationError(_("Una huella SHA-256 tiene 64 caracteres hexadecimales (0-9, a-f)."))
        return value

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("file") and not cleaned.get("sha256"):
            raise forms.ValidationError(_("Cargue el PDF de la constancia o escriba su huella SHA-256."))
        return cleaned

    @property
    def digest(self) -> str:
        return self.cleaned_data.get("file") or self.cleaned_data.get("sha256")


class TerminationForm(forms.Form):
    terminated_on = forms.DateField(
        label=_("Fecha de terminación"),
        widget=DateInput(),
        help_text=_("La fecha en que el acuerdo dejó (o dejará) de surtir efectos, según la nota de terminación."),
    )
    reason = forms.CharField(
        label=_("Motivo"), max_length=NOTE, widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE})
    )
    notice_letter = forms.FileField(
        label=_("Nota de terminación (PDF)"),
        help_text=_("La comunicación a la contraparte o el acuerdo de terminación, firmado."),
    )


class TerminationReturnForm(forms.Form):
    return_reason = forms.CharField(
        label=_("Motivo de la devolución"), max_length=NOTE, widget=forms.Textarea(attrs={"rows": 2, "maxlength": NOTE})
    )
