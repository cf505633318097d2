"""The files of a case (``Document``) and where they are stored (``document_upload_path``)."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import AnnexType, DocumentKind, SignatureStatus
from .case import Agreement, _in

_ANNEX_TYPE_MISSING = _(
    "Indique el tipo de anexo (autorización jurídica, viabilidad presupuestal, antecedentes u otro)."
)


def document_upload_path(instance, filename):
    # Random names: the stored path never reveals the original file name or guessable ids.
    return f"agreements/{instance.agreement_id}/{uuid.uuid4().hex}"


class Document(models.Model):
    agreement = models.ForeignKey(Agreement, models.CASCADE, related_name="documents", verbose_name=_("expediente"))
    kind = models.CharField(_("tipo de documento"), max_length=20, choices=DocumentKind.choices)
    annex_type = models.CharField(
        _("tipo de anexo"),
        max_length=30,
        choices=AnnexType.choices,
        blank=True,
        error_messages={"invalid_choice": _ANNEX_TYPE_MISSING},
    )
    version = models.PositiveSmallIntegerField(_("versión"), default=1)
    file = models.FileField(_("archivo"), upload_to=document_upload_path, max_length=200)
    original_name = models.CharField(_("nombre del archivo"), max_length=255)
    content_type = models.CharField(_("tipo de contenido"), max_length=100)
    size = models.PositiveBigIntegerField(_("tamaño en bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    extracted_text = models.TextField(_("texto extraído"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("cargado por")
    )
    uploaded_at = models.DateTimeField(_("cargado"), auto_now_add=True)
    # The PDF signature of a signed copy, checked at upload (portal.core.signatures); blank for other documents.
    signature_status = models.CharField(_("firma digital"), max_length=12, choices=SignatureStatus.choices, blank=True)
    signature_signer = models.CharField(_("firmante"), max_length=250, blank=True)
    signature_rfc = models.CharField(_("RFC del firmante"), max_length=13, blank=True)
    signature_signed_at = models.DateTimeField(_("fecha de la firma digital"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "version", "id"]
        verbose_name = _("documento")
        verbose_name_plural = _("documentos")
        constraints = [
            models.CheckConstraint(condition=_in("kind", DocumentKind), name="%(app_label)s_%(class)s_kind_valid"),
            models.CheckConstraint(
                condition=_in("signature_status", SignatureStatus) | Q(signature_status=""),
                name="%(app_label)s_%(class)s_signature_status_valid",
            ),
            models.CheckConstraint(
                condition=(Q(kind=DocumentKind.ANNEX) & Q(annex_type__in=AnnexType.values))
                | (~Q(kind=DocumentKind.ANNEX) & Q(annex_type="")),
                name="%(app_label)s_%(class)s_annex_type_only_for_annexes",
            ),
            models.UniqueConstraint(
                fields=["agreement", "version"],
                condition=Q(kind="final_text"),
                name="%(app_label)s_%(class)s_one_final_text_per_version",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.original_name}"

    def clean(self):
        """An annex says what it is."""
        if self.kind == DocumentKind.ANNEX and not self.annex_type:
            raise ValidationError({"annex_type": _ANNEX_TYPE_MISSING})
