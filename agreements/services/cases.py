"""Every write on a case: each service locks the row, checks the move against
``workflow.py``, authorises the actor through ``permissions.py``, appends the
timeline record and the notifications in the same transaction, and queues the
e-mails and the next automatic step on commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from agreements.registry.models import RegistryAmendment, RegistryEntry
from agreements.registry.services import registry_publish
from portal.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from portal.core.limits import NOTE, check_length, check_lengths, length_errors, max_length_of
from portal.core.queueing import enqueue_on_commit, on_commit
from portal.core.signatures import SignatureCheck, pdf_signature_check
from portal.core.text import fold
from portal.core.uploads import PDF, CheckedFile, check_upload
from portal.notifications.services import notification_send

from .. import actions, letters, validity, workflow
from ..actions import ACTIONS, DOCUMENT_RULES, CaseFacts, Recipient, Refusal
from ..choices import (
    REGISTRY_NUMBER_HELP,
    AnnexType,
    CaseKind,
    DictamenOutcome,
    DictamenStatus,
    DocumentKind,
    ObservationAnswer,
    Status,
    is_registry_number,
)
from ..models import Agreement, Dictamen, Document, NonWorkingDay, Observation, TimelineEvent
from ..notices import ATTACHING_EVENTS
from ..permissions import authorize, may_amend, user_can_file
from ..validators import registration_date_errors
from ..workflow import Action, Actor

AGREEMENT_FIELDS = (
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
    *validity.TERM_FIELDS,
)


# --- helpers ---------------------------------------------------------------


NON_WORKING_DAYS_CACHE_KEY = "agreements:non_working_days"


def non_working_days() -> frozenset[dt.date]:
    """The SRE's published non-working days, cached until an administrator changes them."""
    days = cache.get(NON_WORKING_DAYS_CACHE_KEY)
    if days is None:
        days = frozenset(NonWorkingDay.objects.values_list("date", flat=True))
        cache.set(NON_WORKING_DAYS_CACHE_KEY, days, 24 * 3600)
    return days


def today() -> dt.date:
    return timezone.localdate()


def _lock(agreement_id: int) -> Agreement | None:
    """The case row (with its institution and filer), locked until the transaction ends.

    Only the case row is locked (``of=("self",)``): two cases of one institution never wait on each other.
    SQLite has no row locks and serialises writers instead.
    """
    return (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("institution", "created_by")
        .filter(pk=agreement_id)
        .first()
    )


@contextmanager
def _locked(agreement_id: int):
    """``_lock`` inside a transaction; a missing case is a 404."""
    with transaction.atomic():
        agreement = _lock(agreement_id)
        if agreement is None:
            raise NotFound()
        yield agreement


def _documents_present(agreement: Agreement) -> tuple[bool, bool]:
    kinds = set(agreement.documents.values_list("kind", flat=True))
    return DocumentKind.REQUEST_LETTER in kinds, DocumentKind.FINAL_TEXT in kinds


def _record(
    agreement,
    *,
    action,
    actor_user,
    actor_kind,
    from_status,
    from_step,
    completed_step=None,
    decision="",
    comment="",
    params=None,
) -> TimelineEvent:
    return TimelineEvent.objects.create(
        agreement=agreement,
        actor=actor_user,
        actor_role=str(actor_kind),
        action=str(action),
        completed_step=completed_step,
        from_step=from_step,
        to_step=agreement.current_step,
        from_status=str(from_status),
        to_status=str(agreement.status),
        decision=decision,
        comment=comment,
        params=params or {},
    )


def _move(
    agreement: Agreement,
    *,
    action: Action,
    actor_user,
    actor_kind: Actor,
    target: Status | None = None,
    decision: str = "",
    comment: str = "",
    params: dict | None = None,
    completes: bool = True,
    queue_next: bool = True,
    changed: Iterable[str] | None = None,
) -> TimelineEvent:
    """Apply ``action`` to a locked ``agreement`` and append its timeline record.

    ``changed`` names the fields the caller set besides the move's own (status, step, times); when
    given, only those columns are written. ``None`` writes the whole row.
    """
    spec = actions.ensure_allowed(action, agreement.status)
    from_status, from_step = agreement.status, agreement.current_step
    new_status = target or spec.target
    if new_status is not None and new_status != agreement.status:
        has_letter, has_text = _documents_present(agreement) if new_status == Status.DRAFT else (True, True)
        agreement.status = new_status
        agreement.current_step = workflow.step_for_status(
            new_status, has_request_letter=has_letter, has_final_text=has_text
        )
        agreement.step_entered_at = timezone.now()
        if new_status in workflow.TERMINAL_STATUSES:
            agreement.closed_at = timezone.now()
    if changed is None:
        agreement.save()
    else:
        agreement.save(update_fields=[*MOVE_FIELDS, *changed])
    event = _record(
        agreement,
        action=action,
        actor_user=actor_user,
        actor_kind=actor_kind,
        from_status=from_status,
        from_step=from_step,
        completed_step=spec.completes_step if completes else None,
        decision=decision,
        comment=comment,
        params=params,
    )
    if queue_next and agreement.status in workflow.AUTOMATIC_NEXT:
        _queue_advance(agreement.pk, agreement.current_step)
    return event


MOVE_FIELDS = ("status", "current_step", "step_entered_at", "closed_at", "updated_at")


def _system_move(agreement: Agreement, action: Action, *, changed: Iterable[str] = (), **kwargs) -> TimelineEvent:
    """An automatic step: done by "sistema"; the walking task, not the commit, moves on to the next one."""
    return _move(
        agreement, action=action, actor_user=None, actor_kind=Actor.SYSTEM, queue_next=False, changed=changed, **kwargs
    )


def _queue_advance(agreement_id: int, expected_step: int) -> None:
    from ..tasks import workflow_advance_task

    enqueue_on_commit(workflow_advance_task, agreement_id, expected_step, catch_up="the workflow sweep")


_RECIPIENT_PERMISSIONS = {
    Recipient.DGCP: "approve_dictamen",
    Recipient.CJA: "issue_dictamen",
}


def _recipients(agreement: Agreement, roles: Iterable[Recipient]) -> list:
    """The filer (loaded with the locked case) and the active holders of the reviewing roles named in ``roles``.

    A filer who can no longer act for the office (account deactivated, moved to another office) is replaced by
    the office's active members who may file, so a decision that concerns the office still reaches it.
    """
    User = get_user_model()
    members = Q()
    for role in roles:
        if role not in _RECIPIENT_PERMISSIONS:
            continue
        holders = User.groups.through.objects.filter(
            group__permissions__codename=_RECIPIENT_PERMISSIONS[role],
            group__permissions__content_type__app_label="agreements",
        ).values("user_id")
        members |= Q(pk__in=holders)
    found = list(User.objects.filter(members, is_active=True)) if members else []
    if Recipient.FILER in roles:
        filer = agreement.created_by
        if filer.is_active and filer.institution_id == agreement.institution_id:
            found.insert(0, filer)
        else:
            filers = User.groups.through.objects.filter(
                group__permissions__codename="file_agreement",
                group__permissions__content_type__app_label="agreements",
            ).values("user_id")
            found[:0] = User.objects.filter(pk__in=filers, institution_id=agreement.institution_id, is_active=True)
    return found


def _notify(agreement: Agreement, action: Action, *, notices=None, params=None, from_status=None) -> None:
    """Write the in-app notices the action's table entry declares (recipient -> event); e-mails go on commit.

    Each notice is its event's code with ``params`` (plain JSON), rendered in its reader's language. Called
    inside the service's transaction: a move that rolls back leaves no notice behind.
    """
    if notices is None:
        spec = ACTIONS[action]
        notices = spec.notices if from_status is None else spec.notices_from(from_status)
    by_event: dict[str, list[Recipient]] = {}
    for role, event in notices.items():
        by_event.setdefault(event, []).append(role)
    params = params or {}
    for event, roles in by_event.items():
        notification_send(
            recipients=_recipients(agreement, roles),
            event=event,
            params=params if event in ATTACHING_EVENTS else {k: v for k, v in params.items() if k != "attachments"},
            agreement=agreement,
            url=reverse("agreements:agreement_detail", args=[agreement.pk]),
        )


def _refuse(action: Action, facts: CaseFacts, data=None) -> None:
    """Raise the table's first refusal of ``action`` (400, with every refused field)."""
    refusals = ACTIONS[action].refusals(facts, data)
    if refusals:
        field_errors: dict[str, list[str]] = {}
        for refusal in refusals:
            if refusal.field:
                field_errors.setdefault(refusal.field, []).append(refusal.message)
        raise ValidationFailed(refusals[0].message, field_errors=field_errors)


# --- filing (steps 1-4) ----------------------------------------------------


def _assign(agreement: Agreement, data: dict) -> None:
    """Set the request fields ``data`` names on ``agreement``, trimmed; an empty answer to a date or number is no
    answer. The rules are the model's (``full_clean`` in ``_validated``)."""
    for name in AGREEMENT_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if isinstance(value, str):
            value = value.strip()
            if value == "" and name in _NON_TEXT_FIELDS:
                value = None
        setattr(agreement, name, value)
    agreement.counterpart_country = (agreement.counterpart_country or "").upper()
    agreement.counterpart_subdivision = (agreement.counterpart_subdivision or "").upper()


_NON_TEXT_FIELDS = frozenset({"intended_signing_date", "entry_into_force_on", "term_years", "term_months"})
# Derived by the services from the request (``_search_text``, the folio once the row has its id).
_DERIVED_FIELDS = ("folio", "search_text")


def _validated(agreement: Agreement, *, themes=None, check_themes: bool = True) -> list[str] | None:
    """``full_clean`` the request and its themes; the model's messages, by field, as a 400 with every error."""
    errors: dict[str, list[str]] = {}
    try:
        agreement.full_clean(exclude=_DERIVED_FIELDS)
    except ValidationError as exc:
        errors = exc.message_dict
    if check_themes:
        try:
            themes = Agreement.clean_themes(themes)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        errors = {field: list(dict.fromkeys(str(m) for m in messages)) for field, messages in errors.items()}
        raise ValidationFailed(next(iter(errors.values()))[0], field_errors=errors)
    return themes


def _search_text(agreement: Agreement) -> str:
    """What the case search reads: folio, title and counterpart, folded (no accents, lower case)."""
    return fold(f"{agreement.folio or ''} {agreement.title} {agreement.counterpart_name}")


def _amended_entry(user, case_kind: str, number: str) -> RegistryEntry | None:
    """The registry entry a modification or extension changes: one of the filer's institution, not terminated."""
    if case_kind == CaseKind.ORIGINAL:
        return None
    if case_kind not in CaseKind.values:
        msg = _("Elija si la solicitud es un acuerdo nuevo, una modificación o una prórroga.")
        raise ValidationFailed(msg, field_errors={"case_kind": [msg]})
    entry = RegistryEntry.objects.filter(registry_number=(number or "").strip()).first()
    if entry is None:
        msg = _("Indique el número de registro del acuerdo que se modifica o prorroga.")
        raise ValidationFailed(msg, field_errors={"amends": [msg]})
    if not may_amend(user, entry):
        raise PermissionDenied(
            _("Solo la oficina que firmó un acuerdo vigente o vencido puede solicitar su modificación o prórroga.")
        )
    return entry


def agreement_create(*, user, data: dict) -> Agreement:
    """Create a draft *expediente* for the user's institution, with its folio (a new agreement, or a modification
    or extension of one of its registered agreements)."""
    if not user_can_file(user):
        raise PermissionDenied(_("Solo el personal de una dependencia local puede registrar solicitudes."))
    data = dict(data)
    case_kind = data.pop("case_kind", None) or CaseKind.ORIGINAL
    amends = _amended_entry(user, case_kind, data.pop("amends", None))
    agreement = Agreement(
        institution_id=user.institution_id,
        created_by=user,
        is_demo=user.is_demo,
        current_step=1,
        case_kind=case_kind,
        amends=amends,
    )
    _assign(agreement, data)
    themes = _validated(agreement, themes=data.get("themes"))
    with transaction.atomic():
        agreement.save()
        agreement.folio = f"AII-{agreement.created_at:%Y}-{agreement.pk:06d}"
        agreement.cja_deadline = workflow.cja_deadline(agreement.intended_signing_date, non_working_days())
        agreement.search_text = _search_text(agreement)
        agreement.save(update_fields=["folio", "cja_deadline", "search_text"])
        agreement.themes.set(themes)
        _record(
            agreement,
            action="create",
            actor_user=user,
            actor_kind=Actor.LOCAL,
            from_status=Status.DRAFT,
            from_step=None,
        )
    return agreement


def agreement_update(*, user, agreement_id: int, data: dict) -> Agreement:
    with _locked(agreement_id) as agreement:
        authorize(user, Action.UPLOAD_DOCUMENT, agreement)
        _assign(agreement, data)
        themes = _validated(agreement, themes=data.get("themes"), check_themes="themes" in data)
        agreement.cja_deadline = workflow.cja_deadline(agreement.intended_signing_date, non_working_days())
        agreement.search_text = _search_text(agreement)
        agreement.save()
        if themes is not None:
            agreement.themes.set(themes)
    return agreement


def _check_file(kind: str, upload) -> CheckedFile:
    return check_upload(upload, allowed=DOCUMENT_RULES[kind].content_types)


def _store(
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
    checked = checked or _check_file(kind, upload)
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
        has_letter, has_text = _documents_present(agreement)
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
    if kind == DocumentKind.ANNEX and annex_type not in AnnexType.values:
        msg = _("Indique el tipo de anexo (autorización jurídica, viabilidad presupuestal, antecedentes u otro).")
        raise ValidationFailed(msg, field_errors={"annex_type": [msg]})
    if kind == DocumentKind.SIGNED_COPY:
        msg = _("La copia firmada se envía con su fecha y lugar de firma en «Enviar copia firmada».")
        raise ValidationFailed(msg, field_errors={"kind": [msg]})
    with _locked(agreement_id) as agreement:
        if kind == DocumentKind.FINAL_TEXT and agreement.status == Status.AWAITING_SIGNATURE:
            return _revision_submit(agreement, user=user, upload=upload)
        actor = authorize(user, Action.UPLOAD_DOCUMENT, agreement)
        document = _store(agreement, user=user, kind=kind, upload=upload, annex_type=annex_type)
        from_step = agreement.current_step
        _draft_step_after_documents(agreement)
        _record(
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
    with _locked(agreement_id) as agreement:
        actor = authorize(user, Action.REMOVE_DOCUMENT, agreement)
        document = _filer_document(agreement, document_id)
        kind, name = document.kind, document.original_name
        _discard(document)
        from_step = agreement.current_step
        _draft_step_after_documents(agreement)
        _record(
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
    with _locked(agreement_id) as agreement:
        actor = authorize(user, Action.REPLACE_DOCUMENT, agreement)
        old = _filer_document(agreement, document_id)
        checked = _check_file(old.kind, upload)
        kind, annex_type, version, old_name = old.kind, old.annex_type, old.version, old.original_name
        _discard(old)
        document = _store(
            agreement, user=user, kind=kind, upload=upload, checked=checked, annex_type=annex_type, version=version
        )
        _record(
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
    _refuse(Action.SUBMIT_REVISION, facts)
    document = _store(agreement, user=user, kind=DocumentKind.FINAL_TEXT, upload=upload)
    _move(
        agreement,
        action=Action.SUBMIT_REVISION,
        actor_user=user,
        actor_kind=actor,
        params={"version": document.version},
    )
    _notify(agreement, Action.SUBMIT_REVISION, params={"version": document.version})
    return document


def revision_submit(*, user, agreement_id: int, upload) -> Document:
    """A revised final text answering a dictamen *with observations*: back to step 7."""
    with _locked(agreement_id) as agreement:
        return _revision_submit(agreement, user=user, upload=upload)


def _submission_facts(agreement: Agreement) -> CaseFacts:
    has_letter, has_text = _documents_present(agreement)
    return CaseFacts(
        status=agreement.status,
        today=today(),
        intended_signing_date=agreement.intended_signing_date,
        cja_deadline=workflow.cja_deadline(agreement.intended_signing_date, non_working_days()),
        urgency_reason=agreement.urgency_reason,
        has_request_letter=has_letter,
        has_final_text=has_text,
    )


def _filed_documents(agreement: Agreement) -> list[Document]:
    return list(agreement.documents.filter(kind__in=FILER_DOCUMENT_KINDS).order_by("kind", "version", "id"))


def _receipt_store(agreement: Agreement, *, user) -> Document:
    """Step 4's *acuse de recibo*: a PDF kept with the case as a document of kind ``receipt`` (its SHA-256 with it),
    attached to the filer's notice only and downloadable by whoever may see the case."""
    pdf = letters.receipt_pdf(
        agreement=agreement, documents=_filed_documents(agreement), submitted_at=agreement.submitted_at
    )
    receipt = Document(
        agreement=agreement,
        kind=DocumentKind.RECEIPT,
        original_name=f"acuse-{agreement.folio}.pdf",
        content_type=PDF,
        size=len(pdf.content),
        sha256=pdf.sha256,
        extracted_text=pdf.text,
        uploaded_by=user,
    )
    receipt.file.save("receipt", ContentFile(pdf.content), save=False)
    receipt.save()
    return receipt


def _receipt_params(agreement: Agreement) -> dict:
    """What the filer's receipt states: when the request was sent, by when it must reach the CJA, and each
    document's name, kind and SHA-256."""
    documents = _filed_documents(agreement)
    return {
        "submitted_at": agreement.submitted_at.isoformat(),
        "cja_deadline": agreement.cja_deadline.isoformat() if agreement.cja_deadline else None,
        "documents": [{"name": d.original_name, "kind": d.kind, "sha256": d.sha256} for d in documents],
    }


def agreement_submit(*, user, agreement_id: int) -> Agreement:
    """Step 4: send the request; the workflow task takes it from there."""
    with _locked(agreement_id) as agreement:
        actor = authorize(user, Action.SUBMIT, agreement)
        _refuse(Action.SUBMIT, _submission_facts(agreement))
        agreement.submitted_at = timezone.now()
        _move(agreement, action=Action.SUBMIT, actor_user=user, actor_kind=actor)
        receipt = _receipt_store(agreement, user=user)
        params = {**_receipt_params(agreement), "receipt_sha256": receipt.sha256, "attachments": [receipt.pk]}
        _notify(agreement, Action.SUBMIT, params=params)
    return agreement


def submission_refusals(agreement: Agreement) -> list[Refusal]:
    """Why the case could not be sent now (for its page: a draft past its deadline says so)."""
    return ACTIONS[Action.SUBMIT].refusals(_submission_facts(agreement))


# --- automatic steps (5, 6, 10, 12) ----------------------------------------


def agreement_advance(*, agreement_id: int, expected_step: int) -> bool:
    """Run the automatic step ``expected_step`` alone, if the case is still waiting on it."""
    return agreement_walk_automatic(agreement_id=agreement_id, expected_step=expected_step, limit=1) > 0


def agreement_walk_automatic(
    *, agreement_id: int, expected_step: int, limit: int = len(workflow.AUTOMATIC_NEXT)
) -> int:
    """Walk the consecutive automatic steps from ``expected_step`` (5 then 6; 10; 12) in one transaction.

    Returns how many steps were walked: 0, changing nothing, when the case has moved on, so duplicate
    deliveries and retries are harmless. The steps commit together; a worker killed mid-walk commits
    none of them and the redelivered task (or the periodic sweep) walks them again.
    """
    walked = 0
    with transaction.atomic():
        agreement = _lock(agreement_id)
        if agreement is None or agreement.current_step != expected_step:
            return 0
        while walked < limit and (action := workflow.AUTOMATIC_NEXT.get(agreement.status)):
            AUTOMATIC_HANDLERS[action](agreement)
            walked += 1
    return walked


def _check_completeness(agreement: Agreement) -> None:
    """Step 5: the request letter and final text are present and valid; forward to the CJA, or back to the
    filer as the table's fallback says."""
    docs = agreement.documents.filter(kind__in=[DocumentKind.REQUEST_LETTER, DocumentKind.FINAL_TEXT]).values_list(
        "kind", "size", "sha256", "content_type"
    )
    ok = {
        kind
        for kind, size, sha256, content_type in docs
        if size > 0 and sha256 and content_type in DOCUMENT_RULES[kind].content_types
    }
    facts = CaseFacts(
        status=agreement.status,
        valid_request_letter=DocumentKind.REQUEST_LETTER in ok,
        valid_final_text=DocumentKind.FINAL_TEXT in ok,
    )
    spec = ACTIONS[Action.CHECK_COMPLETENESS]
    refusals = spec.refusals(facts)
    if refusals:
        _system_move(
            agreement,
            Action.CHECK_COMPLETENESS,
            target=spec.fallback.target,
            completes=False,
            decision=spec.fallback.decision,
        )
        _notify(agreement, Action.CHECK_COMPLETENESS, notices=spec.fallback.notices)
        return
    _system_move(agreement, Action.CHECK_COMPLETENESS)


def _compute_deadline(agreement: Agreement) -> None:
    """Step 6: record the date the request had to reach the CJA and flag late, unjustified ones."""
    deadline = workflow.cja_deadline(agreement.intended_signing_date, non_working_days())
    received = timezone.localdate(agreement.submitted_at or timezone.now())
    late = actions.is_late(CaseFacts(status=agreement.status, cja_deadline=deadline, today=received))
    agreement.cja_deadline = deadline
    agreement.is_late = late and not agreement.urgency_reason
    _system_move(
        agreement,
        Action.COMPUTE_DEADLINE,
        changed=("cja_deadline", "is_late"),
        decision="late" if late else "on_time",
        params={"deadline": deadline.isoformat(), "urgent": bool(late and agreement.urgency_reason)},
    )
    _notify(
        agreement,
        Action.COMPUTE_DEADLINE,
        params={
            "cja_deadline": deadline.isoformat(),
            "late": agreement.is_late,
            "urgent": bool(late and agreement.urgency_reason),
        },
    )


def _request_registration(agreement: Agreement) -> None:
    _system_move(agreement, Action.REQUEST_REGISTRATION)
    _notify(agreement, Action.REQUEST_REGISTRATION)


def _close(agreement: Agreement) -> None:
    """Step 12: close the file and publish the agreement in the registry (a modification or extension is
    inscribed against the original entry, whose validity follows it)."""
    _system_move(agreement, Action.CLOSE)
    registry_publish(
        agreement_id=agreement.pk,
        case_kind=agreement.case_kind,
        amends_entry_id=agreement.amends_id,
        registry_number=agreement.registry_number,
        title=agreement.title,
        kind=agreement.kind,
        institution_id=agreement.institution_id,
        counterpart_name=agreement.counterpart_name,
        counterpart_type=agreement.counterpart_type,
        counterpart_country=agreement.counterpart_country,
        counterpart_subdivision=agreement.counterpart_subdivision,
        signed_on=agreement.signed_on,
        signed_place=agreement.signed_place,
        registered_on=agreement.registered_on,
        expires_on=validity.end_date(
            starts_on=agreement.entry_into_force_on,
            term=agreement.term,
            years=agreement.term_years,
            months=agreement.term_months,
        ),
        automatic_renewal=agreement.automatic_renewal,
        themes=list(agreement.themes.values_list("key", flat=True)),
        is_demo=agreement.is_demo,
    )
    _notify(
        agreement,
        Action.CLOSE,
        params={"number": agreement.registry_number, "registered_on": agreement.registered_on.isoformat()},
    )


AUTOMATIC_HANDLERS = {
    Action.CHECK_COMPLETENESS: _check_completeness,
    Action.COMPUTE_DEADLINE: _compute_deadline,
    Action.REQUEST_REGISTRATION: _request_registration,
    Action.CLOSE: _close,
}


# --- CJA: dictamen (step 7) --------------------------------------------------


def _current_final_text(agreement: Agreement) -> Document:
    document = agreement.documents.filter(kind=DocumentKind.FINAL_TEXT).order_by("-version").first()
    if document is None:
        raise ValidationFailed(_("El expediente no tiene texto final."))
    return document


def dictamen_issue(
    *, user, agreement_id: int, outcome: str, summary: str, observations: Iterable[dict] = ()
) -> Dictamen:
    observations = [o for o in observations if (o.get("text") or "").strip()]
    errors = {}
    if outcome not in DictamenOutcome.values:
        errors["outcome"] = [
            _("Elija el sentido del dictamen: procedente, procedente con observaciones o no procedente.")
        ]
    if not (summary or "").strip():
        errors["summary"] = [_("Escriba el resumen del dictamen.")]
    if outcome == DictamenOutcome.VIABLE_WITH_OBSERVATIONS and not observations:
        errors["observations"] = [_("Un dictamen con observaciones debe incluir al menos una observación.")]
    errors.update(length_errors(Dictamen, summary=summary))
    try:
        Observation.check_list(observations)
    except ValidationFailed as exc:
        errors.update(exc.field_errors)
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], field_errors=errors)
    with _locked(agreement_id) as agreement:
        actor = authorize(user, Action.ISSUE_DICTAMEN, agreement)
        final_text = _current_final_text(agreement)
        try:
            with transaction.atomic():
                dictamen = Dictamen.objects.create(
                    agreement=agreement,
                    final_text=final_text,
                    outcome=outcome,
                    summary=summary.strip(),
                    issued_by=user,
                )
        except IntegrityError:
            raise Conflict(
                _(
                    "Esta versión del texto final ya tiene un dictamen. No se emite un segundo dictamen sobre el mismo instrumento."
                ),
                code="duplicate_dictamen",
            ) from None
        Observation.objects.bulk_create(
            Observation(dictamen=dictamen, number=i, text=o["text"].strip(), clause=(o.get("clause") or "").strip())
            for i, o in enumerate(observations, start=1)
        )
        _move(
            agreement,
            action=Action.ISSUE_DICTAMEN,
            actor_user=user,
            actor_kind=actor,
            decision=outcome,
            comment=summary.strip(),
        )
        _notify(agreement, Action.ISSUE_DICTAMEN, params={"outcome": outcome})
    return dictamen


def _pending_dictamen(agreement: Agreement) -> Dictamen:
    dictamen = agreement.dictamenes.filter(status=DictamenStatus.ISSUED).first()
    if dictamen is None:
        raise Conflict(_("No hay un dictamen pendiente de aprobación."), code="no_pending_dictamen")
    return dictamen


# --- DGCP: approval and delivery (step 8) ---------------------------------


def dictamen_approve(*, user, agreement_id: int, cover_note: str = "") -> Dictamen:
    check_lengths(Dictamen, cover_note=cover_note)
    with _locked(agreement_id) as agreement:
        actor = authorize(user, Action.APPROVE_DICTAMEN, agreement)
        dictamen = _pending_dictamen(agreement)
        dictamen.status = DictamenStatus.APPROVED
        dictamen.reviewed_by = user
        dictamen.reviewed_at = timezone.now()
        dictamen.cover_note = (cover_note or "").strip()
        pdf = letters.reply_letter_pdf(agreement=agreement, dictamen=dictamen, signer=user)
        letter = Document(
            agreement=agreement,
            kind=DocumentKind.REPLY_LETTER,
            original_name=f"respuesta-{agreement.folio}.pdf",
            content_type=PDF,
            size=len(pdf.content),
            sha256=pdf.sha256,
            extracted_text=pdf.text,
            uploaded_by=user,
        )
        letter.file.save("reply_letter", ContentFile(pdf.content), save=False)
        letter.save()
        dictamen.reply_letter = letter
        dictamen.save()
        agreement.dictamen_outcome = dictamen.outcome
        _move(
            agreement,
            action=Action.APPROVE_DICTAMEN,
            actor_user=user,
            actor_kind=actor,
            target=ACTIONS[Action.APPROVE_DICTAMEN].target_for(dictamen.outcome),
            decision=dictamen.outcome,
            comment=dictamen.cover_note,
        )
        _notify(agreement, Action.APPROVE_DICTAMEN, params=_delivery_params(dictamen))
    return dictamen


def _delivery_params(dictamen: Dictamen) -> dict:
    """What the filer is told at step 8: the outcome, the summary, each observation and the reply letter."""
    return {
        "outcome": dictamen.outcome,
        "summary": dictamen.summary,
        "cover_note": dictamen.cover_note,
        "observations": [
            {"number": o.number, "clause": o.clause, "text": o.text} for o in dictamen.observations.order_by("number")
        ],
        "attachments": [dictamen.reply_letter_id] if dictamen.reply_letter_id else [],
    }


def dictamen_return(*, user, agreement_id: int, comment: str) -> Dictamen:
    if not (comment or "").strip():
        msg = _("Explique a la CJA por qué se devuelve el dictamen.")
        raise ValidationFailed(msg, field_errors={"comment": [msg]})
    check_length("comment", comment, max_length_of(Dictamen, "return_comment"))
    with _locked(agreement_id) as agreement:
        actor = authorize(user, Action.RETURN_DICTAMEN, agreement)
        dictamen = _pending_dictamen(agreement)
        dictamen.status = DictamenStatus.RETURNED
        dictamen.reviewed_by = user
        dictamen.reviewed_at = timezone.now()
        dictamen.return_comment = comment.strip()
        dictamen.save()
        _move(agreement, action=Action.RETURN_DICTAMEN, actor_user=user, actor_kind=actor, comment=comment.strip())
        _notify(agreement, Action.RETURN_DICTAMEN, params={"comment": comment.strip()})
    return dictamen


# --- local office: observations, signed copy (step 9) ----------------------


def observation_answer(*, user, agreement_id: int, number: int, answer: str, reply: str = "") -> Observation:
    if answer not in (ObservationAnswer.ADDRESSED, ObservationAnswer.NOT_ADDRESSED):
        msg = _("Indique si la observación fue atendida o no.")
        raise ValidationFailed(msg, field_errors={"answer": [msg]})
    if answer == ObservationAnswer.NOT_ADDRESSED and not (reply or "").strip():
        msg = _("Explique por qué la observación no fue atendida.")
        raise ValidationFailed(msg, field_errors={"reply": [msg]})
    check_lengths(Observation, reply=reply)
    with _locked(agreement_id) as agreement:
        actor = authorize(user, Action.ANSWER_OBSERVATION, agreement)
        observation = (
            Observation.objects.filter(
                dictamen__agreement=agreement, dictamen__status=DictamenStatus.APPROVED, number=number
            )
            .order_by("-dictamen__issued_at")
            .first()
        )
        if observation is None:
            raise NotFound(_("No existe la observación %(n)s.") % {"n": number})
        observation.answer = answer
        observation.reply = (reply or "").strip()
        observation.answered_by = user
        observation.answered_at = timezone.now()
        observation.save()
        _record(
            agreement,
            action=Action.ANSWER_OBSERVATION,
            actor_user=user,
            actor_kind=actor,
            from_status=agreement.status,
            from_step=agreement.current_step,
            decision=answer,
            comment=observation.reply,
            params={"number": number},
        )
    return observation


def _delivered_dictamen(agreement: Agreement) -> Dictamen | None:
    return (
        agreement.dictamenes.filter(status=DictamenStatus.APPROVED)
        .select_related("final_text")
        .order_by("-issued_at", "-id")
        .first()
    )


def signed_copy_submit(
    *,
    user,
    agreement_id: int,
    upload,
    signed_on,
    signed_place: str,
    low_match_reason: str = "",
    entry_into_force_on: dt.date | None = None,
) -> Document:
    """Step 9: the signed copy, its date (between the dictamen's delivery and today) and place.

    Its text is compared at upload with the text that received the dictamen; below
    ``SIGNED_TEXT_MATCH_THRESHOLD`` the filer must confirm with ``low_match_reason``.
    """
    if not (signed_place or "").strip():
        msg = _("Indique el lugar de firma.")
        raise ValidationFailed(msg, field_errors={"signed_place": [msg]})
    low_match_reason = (low_match_reason or "").strip()
    check_lengths(Agreement, signed_place=signed_place)
    check_length("low_match_reason", low_match_reason, max_length_of(Agreement, "signed_text_note"))
    with _locked(agreement_id) as agreement:
        actor = authorize(user, Action.UPLOAD_SIGNED_COPY, agreement)
        dictamen = _delivered_dictamen(agreement)
        delivered_on = timezone.localdate(dictamen.reviewed_at) if dictamen and dictamen.reviewed_at else None
        facts = CaseFacts(status=agreement.status, today=today(), delivered_on=delivered_on)
        _refuse(Action.UPLOAD_SIGNED_COPY, facts, {"signed_on": signed_on})  # the dates, before reading the file
        starts_on, refusal = validity.confirm_entry_into_force(
            entry_into_force=agreement.entry_into_force,
            agreed_on=agreement.entry_into_force_on,
            signed_on=signed_on,
            given_on=entry_into_force_on,
            today=today(),
        )
        if refusal:
            raise ValidationFailed(refusal, field_errors={"entry_into_force_on": [refusal]})
        checked = _check_file(DocumentKind.SIGNED_COPY, upload)
        match = workflow.text_match(dictamen.final_text.extracted_text, checked.text)[0] if dictamen else None
        _refuse(
            Action.UPLOAD_SIGNED_COPY,
            facts,
            {
                "signed_on": signed_on,
                "text_match": match,
                "signed_has_text": bool(checked.text.split()),
                "low_match_reason": low_match_reason,
            },
        )
        signature = pdf_signature_check(checked.content)
        document = _store(
            agreement,
            user=user,
            kind=DocumentKind.SIGNED_COPY,
            upload=upload,
            checked=checked,
            signature=signature,
        )
        agreement.signed_on = signed_on
        agreement.signed_place = signed_place.strip()
        agreement.entry_into_force_on = starts_on
        agreement.signed_text_match = match
        agreement.signed_text_note = low_match_reason if agreement.low_text_match else ""
        params = {"signed_on": signed_on.isoformat(), "place": agreement.signed_place, "match": match}
        params["low_match"] = bool(agreement.low_text_match)
        params.update(signature=signature.status, signer=signature.signer, rfc=signature.rfc)
        _move(
            agreement,
            action=Action.UPLOAD_SIGNED_COPY,
            actor_user=user,
            actor_kind=actor,
            comment=agreement.signed_text_note,
            params=params,
        )
    return document


# --- CJA: registration (step 11) -------------------------------------------


def agreement_register(
    *, user, agreement_id: int, registry_number: str, registered_on, recommendations_incorporated: bool
) -> Agreement:
    errors = {}
    number = (registry_number or "").strip()
    if not number:
        errors["registry_number"] = [_("Escriba el número de registro.")]
    elif not is_registry_number(number):
        errors["registry_number"] = [capfirst(str(REGISTRY_NUMBER_HELP))]
    if not isinstance(registered_on, dt.date):
        errors["registered_on"] = [_("Indique la fecha de inscripción.")]
    errors.update(registration_date_errors(signed_on=None, registered_on=registered_on, today=today()))
    if recommendations_incorporated is not True:
        errors["recommendations_incorporated"] = [
            _(
                "Solo se inscribe un acuerdo que incorporó las recomendaciones; si no fue así, devuelva la copia firmada con el motivo."
            )
        ]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], field_errors=errors)
    with _locked(agreement_id) as agreement:
        actor = authorize(user, Action.REGISTER, agreement)
        taken = (
            Agreement.objects.filter(registry_number=number).exclude(pk=agreement.pk).exists()
            or RegistryEntry.objects.filter(registry_number=number).exclude(agreement=agreement).exists()
            or RegistryAmendment.objects.filter(registry_number=number).exclude(agreement=agreement).exists()
        )
        if taken:
            msg = _("El número de registro %(n)s ya está asignado a otro acuerdo.") % {"n": number}
            raise ValidationFailed(msg, field_errors={"registry_number": [msg]})
        if errors := registration_date_errors(signed_on=agreement.signed_on, registered_on=registered_on):
            raise ValidationFailed(errors["registered_on"][0], field_errors=errors)
        agreement.registry_number = number
        agreement.registered_on = registered_on
        agreement.recommendations_incorporated = True
        _move(
            agreement,
            action=Action.REGISTER,
            actor_user=user,
            actor_kind=actor,
            params={"number": number, "registered_on": registered_on.isoformat()},
        )
    return agreement


def signed_copy_return(*, user, agreement_id: int, reason: str) -> Agreement:
    return _return_with_reason(
        user=user,
        agreement_id=agreement_id,
        reason=reason,
        action=Action.RETURN_SIGNED_COPY,
    )


# --- returns, not admissible, withdrawal -----------------------------------


def _return_with_reason(*, user, agreement_id, reason, action, required=True) -> Agreement:
    reason = (reason or "").strip()
    if required and not reason:
        msg = _("Escriba el motivo; la oficina local lo recibirá por correo.")
        raise ValidationFailed(msg, field_errors={"reason": [msg]})
    check_length("reason", reason, NOTE)
    with _locked(agreement_id) as agreement:
        actor = authorize(user, action, agreement)
        _move(agreement, action=action, actor_user=user, actor_kind=actor, comment=reason)
        _notify(agreement, action, params={"reason": reason})
    return agreement


def agreement_return(*, user, agreement_id: int, reason: str) -> Agreement:
    return _return_with_reason(
        user=user, agreement_id=agreement_id, reason=reason, action=Action.RETURN_FOR_CORRECTIONS
    )


def agreement_mark_not_admissible(*, user, agreement_id: int, reason: str) -> Agreement:
    return _return_with_reason(user=user, agreement_id=agreement_id, reason=reason, action=Action.MARK_NOT_ADMISSIBLE)


def agreement_withdraw(*, user, agreement_id: int, reason: str = "") -> Agreement:
    """The filer withdraws the request; a dictamen still waiting for the DGCP's approval is voided with it
    (it leaves the DGCP's inbox and is never delivered)."""
    reason = (reason or "").strip()
    with _locked(agreement_id) as agreement:
        actor = authorize(user, Action.WITHDRAW, agreement)
        agreement.dictamenes.filter(status=DictamenStatus.ISSUED).update(status=DictamenStatus.VOID)
        was = agreement.status
        _move(agreement, action=Action.WITHDRAW, actor_user=user, actor_kind=actor, comment=reason)
        _notify(agreement, Action.WITHDRAW, params={"reason": reason}, from_status=was)
    return agreement


__all__ = [
    "agreement_advance",
    "agreement_walk_automatic",
    "agreement_create",
    "agreement_mark_not_admissible",
    "agreement_register",
    "agreement_return",
    "agreement_submit",
    "agreement_update",
    "agreement_withdraw",
    "dictamen_approve",
    "dictamen_issue",
    "dictamen_return",
    "document_remove",
    "document_replace",
    "document_upload",
    "non_working_days",
    "observation_answer",
    "revision_submit",
    "signed_copy_return",
    "signed_copy_submit",
    "submission_refusals",
    "today",
]
