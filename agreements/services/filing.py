"""Filing (steps 1-4): create and correct the request, then send it with its receipt.

The request's rules are the model's (``Agreement`` field validators and ``clean()``); these services
``full_clean`` and turn the errors into one 400 with every field's messages.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.registry.models import RegistryEntry
from portal.core.exceptions import PermissionDenied, ValidationFailed, full_clean_or_fail
from portal.core.text import fold

from .. import letters, workflow
from ..actions import ACTIONS
from ..choices import CaseKind, DocumentKind, Status
from ..guards import CaseFacts, Refusal
from ..models import Agreement, Document
from ..permissions import authorize, may_amend, user_can_file
from ..workflow import Action, Actor
from .documents import FILER_DOCUMENT_KINDS, generated_pdf_store
from .transitions import documents_present, locked_case, non_working_days, notify, record_event, refuse, today
from .walk import apply_person_action

__all__ = [
    "agreement_create",
    "agreement_submit",
    "agreement_update",
    "submission_refusals",
]


def _assign(agreement: Agreement, data: dict) -> None:
    """Set the request fields ``data`` names on ``agreement``, trimmed; an empty answer to a date or number is no
    answer. The rules are the model's (``full_clean`` in ``_validated``)."""
    for name in Agreement.REQUEST_FIELDS:
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
    theme_errors: dict[str, list[str]] = {}
    if check_themes:
        try:
            themes = Agreement.clean_themes(themes)
        except ValidationError as exc:
            theme_errors = exc.message_dict
    full_clean_or_fail(agreement, exclude=_DERIVED_FIELDS, extra=theme_errors)
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
        record_event(
            agreement,
            action="create",
            actor_user=user,
            actor_kind=Actor.LOCAL,
            from_status=Status.DRAFT,
            from_step=None,
        )
    return agreement


def agreement_update(*, user, agreement_id: int, data: dict) -> Agreement:
    with locked_case(agreement_id) as agreement:
        authorize(user, Action.UPLOAD_DOCUMENT, agreement)
        _assign(agreement, data)
        themes = _validated(agreement, themes=data.get("themes"), check_themes="themes" in data)
        agreement.cja_deadline = workflow.cja_deadline(agreement.intended_signing_date, non_working_days())
        agreement.search_text = _search_text(agreement)
        agreement.save()
        if themes is not None:
            agreement.themes.set(themes)
    return agreement


def _submission_facts(agreement: Agreement) -> CaseFacts:
    has_letter, has_text = documents_present(agreement)
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
    return generated_pdf_store(agreement, kind=DocumentKind.RECEIPT, name="acuse", pdf=pdf, user=user)


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
    with locked_case(agreement_id) as agreement:
        actor = authorize(user, Action.SUBMIT, agreement)
        refuse(Action.SUBMIT, _submission_facts(agreement))
        agreement.submitted_at = timezone.now()
        apply_person_action(agreement, action=Action.SUBMIT, actor_user=user, actor_kind=actor)
        receipt = _receipt_store(agreement, user=user)
        params = {**_receipt_params(agreement), "receipt_sha256": receipt.sha256, "attachments": [receipt.pk]}
        notify(agreement, Action.SUBMIT, params=params)
    return agreement


def submission_refusals(agreement: Agreement) -> list[Refusal]:
    """Why the case could not be sent now (for its page: a draft past its deadline says so)."""
    return ACTIONS[Action.SUBMIT].refusals(_submission_facts(agreement))
