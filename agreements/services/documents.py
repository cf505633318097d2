"""The filer's documents: upload, remove or replace while the case is editable, and the revised final text that
answers a dictamen with observations (back to step 7)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db.models import Max
from django.utils.translation import gettext as _

from portal.core.exceptions import Conflict, NotFound, ValidationFailed, full_clean_or_fail
from portal.core.queueing import on_commit
from portal.core.signatures import SignatureCheck
from portal.core.uploads import PDF, CheckedFile, check_upload

from .. import actions, workflow
from ..actions import DOCUMENT_RULES
from ..choices import DictamenStatus, DocumentKind, ObservationAnswer, Status
from ..guards import CaseFacts
from ..models import Agreement, Dictamen, Document
from ..permissions import authorize
from ..workflow import Action
from .transitions import documents_present, locked_case, notify, record_event, refuse
from .walk import apply_person_action

__all__ = [
    "FILER_DOCUMENT_KINDS",
    "document_remove",
    "document_replace",
    "document_upload",
    "generated_pdf_store",
    "revision_submit",
]


def check_file(kind: str, upload) -> CheckedFile:
    return check_upload(upload, allowed=DOCUMENT_RULES[kind].content_types)


def store_document(
    agreement,
    *,
    user,
    kind,
    upload=None,
    checked: CheckedFile | None = None,
    annex_type="",
    version=None,
    signature: SignatureCheck | None = None,
):
    checked = checked or check_file(kind, upload)
    if kind == DocumentKind.FINAL_TEXT:
        already = Dictamen.objects.filter(final_text__sha256=checked.sha256).exclude(
            status__in=[DictamenStatus.RETURNED, DictamenStatus.VOID]  # neither was ever delivered
        )
        own_folio = (
            already.filter(agreement__institution_id=agreement.institution_id)
            .values_list("agreement__folio", flat=True)
            .first()
        )
        if own_folio is not None:
            raise Conflict(
                _(
                    "Este texto final (SHA-256 idéntico) ya recibió un dictamen en el expediente %(folio)s. No se "
                    "emite un segundo dictamen sobre el mismo instrumento; cargue la versión revisada."
                )
                % {"folio": own_folio},
                code="duplicate_instrument",
            )
        if already.exists():
            # Another office's case: refused all the same, in words that tell nothing about that case or office.
            message = _(
                "Este archivo no puede cargarse como texto final de esta solicitud. Cargue el texto del instrumento "
                "que su dependencia negoció; si considera que se trata de un error, comuníquese con la DGCP."
            )
            raise ValidationFailed(message, code="final_text_refused", field_errors={"file": [message]})
    if version is None:
        version = 1
        if kind == DocumentKind.FINAL_TEXT:
            version = (agreement.documents.filter(kind=kind).aggregate(v=Max("version"))["v"] or 0) + 1
    document = Document(
        agreement=agreement,
        kind=kind,
        annex_type=annex_type if kind == DocumentKind.ANNEX else "",
        version=version,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        extracted_text=checked.text,
        uploaded_by=user,
    )
    if signature is not None:
        document.signature_status = signature.status
        document.signature_signer = signature.signer
        document.signature_rfc = signature.rfc
        document.signature_signed_at = signature.signed_at
    document.file.save(f"{kind}", ContentFile(checked.content), save=False)
    document.save()
    return document


def _draft_step_after_documents(agreement: Agreement) -> None:
    """A draft's current step follows its documents (1, 2 or 4)."""
    if agreement.status == Status.DRAFT:
        has_letter, has_text = documents_present(agreement)
        agreement.current_step = workflow.draft_step(has_request_letter=has_letter, has_final_text=has_text)
        agreement.save(update_fields=["current_step", "updated_at"])


FILER_DOCUMENT_KINDS = (DocumentKind.REQUEST_LETTER, DocumentKind.FINAL_TEXT, DocumentKind.ANNEX)


def document_upload(*, user, agreement_id: int, kind: str, upload, annex_type: str = "") -> Document:
    """Attach a document. In a draft: request letter, final text, annexes. With a dictamen *with
    observations* delivered, a new final text is a revision (``revision_submit``). A signed copy
    is uploaded with its date and place through ``signed_copy_submit``."""
    if kind not in DOCUMENT_RULES:
        raise ValidationFailed(
            _("Tipo de documento desconocido."), field_errors={"kind": [_("Tipo de documento desconocido.")]}
        )
    if kind == DocumentKind.ANNEX:  # what the annex is: the model's rule, before the case is locked
        full_clean_or_fail(
            Document(kind=kind, annex_type=annex_type),
            only=("annex_type",),
            validate_unique=False,
            validate_constraints=False,
        )
    if kind == DocumentKind.SIGNED_COPY:
        msg = _("La copia firmada se envía con su fecha y lugar de firma en «Enviar copia firmada».")
        raise ValidationFailed(msg, field_errors={"kind": [msg]})
    with locked_case(agreement_id) as agreement:
        if kind == DocumentKind.FINAL_TEXT and agreement.status == Status.AWAITING_SIGNATURE:
            return _revision_submit(agreement, user=user, upload=upload)
        actor = authorize(user, Action.UPLOAD_DOCUMENT, agreement)
        document = store_document(agreement, user=user, kind=kind, upload=upload, annex_type=annex_type)
        from_step = agreement.current_step
        _draft_step_after_documents(agreement)
        record_event(
            agreement,
            action=Action.UPLOAD_DOCUMENT,
            actor_user=user,
            actor_kind=actor,
            from_status=agreement.status,
            from_step=from_step,
            completed_step=actions.document_step(kind),
            decision=kind,
            comment=document.original_name,
        )
    return document


def _filer_document(agreement: Agreement, document_id: int) -> Document:
    """A document the filer attached to ``agreement`` (never the DGCP's reply letter nor a signed copy)."""
    document = agreement.documents.filter(pk=document_id).first()
    if document is None:
        raise NotFound(_("El documento no existe en este expediente."))
    if document.kind not in FILER_DOCUMENT_KINDS or document.dictamenes.exists():
        raise Conflict(
            _("Este documento forma parte de un dictamen emitido; no puede eliminarse ni reemplazarse."),
            code="document_in_use",
        )
    return document


def _discard(document: Document) -> None:
    """Delete the row now and its stored file once the transaction commits."""
    storage, name = document.file.storage, document.file.name
    document.delete()
    on_commit(lambda: storage.delete(name))  # a file left behind is logged, never a failed request


def document_remove(*, user, agreement_id: int, document_id: int) -> None:
    """Remove a document uploaded by mistake while the case is editable (draft or returned)."""
    with locked_case(agreement_id) as agreement:
        actor = authorize(user, Action.REMOVE_DOCUMENT, agreement)
        document = _filer_document(agreement, document_id)
        kind, name = document.kind, document.original_name
        _discard(document)
        from_step = agreement.current_step
        _draft_step_after_documents(agreement)
        record_event(
            agreement,
            action=Action.REMOVE_DOCUMENT,
            actor_user=user,
            actor_kind=actor,
            from_status=agreement.status,
            from_step=from_step,
            decision=kind,
            comment=name,
        )


def document_replace(*, user, agreement_id: int, document_id: int, upload) -> Document:
    """Replace a document uploaded by mistake by another of the same kind, while the case is editable."""
    with locked_case(agreement_id) as agreement:
        actor = authorize(user, Action.REPLACE_DOCUMENT, agreement)
        old = _filer_document(agreement, document_id)
        checked = check_file(old.kind, upload)
        kind, annex_type, version, old_name = old.kind, old.annex_type, old.version, old.original_name
        _discard(old)
        document = store_document(
            agreement, user=user, kind=kind, upload=upload, checked=checked, annex_type=annex_type, version=version
        )
        record_event(
            agreement,
            action=Action.REPLACE_DOCUMENT,
            actor_user=user,
            actor_kind=actor,
            from_status=agreement.status,
            from_step=agreement.current_step,
            decision=kind,
            comment=f"{old_name} → {document.original_name}",
        )
    return document


def _unanswered_observations(agreement: Agreement) -> int:
    """Observations of the delivered dictamen still without an answer."""
    delivered = agreement.dictamenes.filter(status=DictamenStatus.APPROVED).order_by("-issued_at", "-id").first()
    if delivered is None:
        return 0
    return delivered.observations.filter(answer=ObservationAnswer.PENDING).count()


def _revision_submit(agreement: Agreement, *, user, upload) -> Document:
    actor = authorize(user, Action.SUBMIT_REVISION, agreement)
    facts = CaseFacts(status=agreement.status, unanswered_observations=_unanswered_observations(agreement))
    refuse(Action.SUBMIT_REVISION, facts)
    document = store_document(agreement, user=user, kind=DocumentKind.FINAL_TEXT, upload=upload)
    apply_person_action(
        agreement,
        action=Action.SUBMIT_REVISION,
        actor_user=user,
        actor_kind=actor,
        params={"version": document.version},
    )
    notify(agreement, Action.SUBMIT_REVISION, params={"version": document.version})
    return document


def revision_submit(*, user, agreement_id: int, upload) -> Document:
    """A revised final text answering a dictamen *with observations*: back to step 7."""
    with locked_case(agreement_id) as agreement:
        return _revision_submit(agreement, user=user, upload=upload)


def generated_pdf_store(agreement: Agreement, *, kind: str, name: str, pdf, user) -> Document:
    """Keep a PDF the portal wrote (the acuse de recibo, the reply letter) as a document of the case, with its
    SHA-256 and its text; ``pdf`` is what ``letters`` returns."""
    document = Document(
        agreement=agreement,
        kind=kind,
        original_name=f"{name}-{agreement.folio}.pdf",
        content_type=PDF,
        size=len(pdf.content),
        sha256=pdf.sha256,
        extracted_text=pdf.text,
        uploaded_by=user,
    )
    document.file.save(kind, ContentFile(pdf.content), save=False)
    document.save()
    return document
