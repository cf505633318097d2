"""Every action on a case, declared once.

One entry per workflow action holds everything the portal needs to offer it, authorise it,
validate it, run it and tell people about it:

- the move: the statuses it starts from, where it leads (with the outcome-dependent endings),
  which actors may make it and which of the twelve steps it completes;
- its guard: the status, a ``when`` condition (offered at all?) and ``checks`` that refuse with a
  clear message naming what is missing. Both are pure functions of plain case facts
  (:class:`CaseFacts`) and of the submitted data (``guards.py``), so the database-free unit tests
  of this table cover every rule;
- its interface: the HTML form and the API input serializer, the URL of each, the labels of the
  buttons template and the success message;
- its notices: which recipient receives which event (``Recipient -> event code``);
- for automatic steps, the ``fallback`` taken when a check fails (step 5 sends an incomplete
  request back to the filer).

``permissions.available_actions`` reads ``sources``, ``actors``, ``permission`` and ``when`` here and is
the one function that draws the buttons and authorises the services. One HTML view
(``views.cases.agreement_action``), one API dispatcher (``api.views``) and the buttons template
iterate over :data:`ACTIONS`. Adding an action touches this table, its service and at most a form.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext_lazy

from portal.core.uploads import DOCX, PDF
from portal.notifications.choices import NoticeEvent

from . import forms
from .api import serializers
from .choices import DictamenOutcome, DocumentKind, ReviewerMove, Status
from .guards import (
    WITH_THE_CJA,
    CaseFacts,
    Check,
    Refusal,
    always,
    documents_attached,
    documents_valid,
    in_time_or_urgent,
    is_late,
    observations_answered,
    revision_invited,
    signed_text_matches_or_confirmed,
    signed_within_validity,
    signing_date_ahead,
    was_sent,
    was_with_the_cja,
)
from .workflow import EDITABLE_STATUSES, OPEN_STATUSES, Action, Actor

# The guards are re-exported: the table is read as one declaration with them.
__all__ = [
    "ACTIONS",
    "ActionSpec",
    "CaseFacts",
    "Check",
    "DOCUMENT_RULES",
    "DocumentRule",
    "Fallback",
    "HUMAN_ACTIONS",
    "Recipient",
    "Refusal",
    "TransitionNotAllowed",
    "WITH_THE_CJA",
    "always",
    "document_step",
    "documents_attached",
    "documents_valid",
    "ensure_allowed",
    "in_time_or_urgent",
    "is_allowed",
    "is_late",
    "labels",
    "observations_answered",
    "revision_invited",
    "signed_text_matches_or_confirmed",
    "signed_within_validity",
    "signing_date_ahead",
    "target_status",
    "was_sent",
    "was_with_the_cja",
]


class Recipient(StrEnum):
    """Who a notice goes to: the person who filed the case (the domain README's "who is told what": the
    local office hears only of decisions that concern it, and through its filer), the DGCP, the CJA."""

    FILER = "filer"
    DGCP = "dgcp"
    CJA = "cja"


# --- the table ---------------------------------------------------------------


@dataclass(frozen=True)
class Fallback:
    """What an automatic step does when one of its checks fails."""

    target: Status
    decision: str
    notices: Mapping[Recipient, str]


@dataclass(frozen=True)
class DocumentRule:
    content_types: tuple[str, ...]
    step: int  # the step an upload of this kind completes


@dataclass(frozen=True)
class ActionSpec:
    action: Action
    sources: frozenset[Status]
    target: Status | None  # None: the action records something without changing status
    actors: frozenset[Actor]
    completes_step: int | None
    label: str  # how the timeline names the action
    service: str = ""  # name of the service in ``agreements.services`` (automatic steps: none)
    # The one permission (``app.codename``, held through a role's group) that grants this action; each
    # permission grants one kind of decision. ``permissions.py`` checks it (automatic steps: none).
    permission: str = ""
    when: Callable[[CaseFacts], bool] = always
    checks: tuple[Check, ...] = ()
    notices: Mapping[Recipient, str] = field(default_factory=dict)
    # A recipient listed here is told only when its condition holds for the status the case moved *from*.
    notice_when: Mapping[Recipient, Callable[[Status], bool]] = field(default_factory=dict)
    outcome_targets: Mapping[str, Status] = field(default_factory=dict)
    fallback: Fallback | None = None
    # interface
    form: type | None = None
    serializer: type | None = None
    inputs: Mapping[str, str] = field(default_factory=dict)  # form/API field -> service argument
    html_path: str = ""  # under /expedientes/<pk>/
    html_name: str = ""
    api_path: str = ""  # under /api/v1/agreements/<pk>/ (a regex, DRF style)
    api_name: str = ""
    api_status: int = 200
    success: str = ""
    heading: str = ""
    button: str = ""
    button_class: str = "btn"
    form_id: str = ""
    multipart: bool = False
    placement: str = "panel"  # panel: the actions card; observation / document: beside each item

    @property
    def automatic(self) -> bool:
        return self.actors == {Actor.SYSTEM}

    def allowed_in(self, status: Status) -> bool:
        return status in self.sources

    def target_for(self, outcome: str | None = None) -> Status | None:
        return self.outcome_targets.get(outcome or "", self.target)

    def service_kwargs(self, data: Mapping) -> dict:
        """A form's or serializer's cleaned data as the service's keyword arguments (``inputs`` renames)."""
        return {self.inputs.get(name, name): value for name, value in data.items()}

    def notices_from(self, status: Status) -> dict[Recipient, str]:
        """Who is told, and what, when the action moves a case out of ``status``."""
        return {
            recipient: event
            for recipient, event in self.notices.items()
            if self.notice_when.get(recipient, lambda _status: True)(status)
        }

    def refusals(self, facts: CaseFacts, data: Mapping | None = None) -> list[Refusal]:
        data = data or {}
        return [refusal for check in self.checks if (refusal := check(facts, data)) is not None]


DOCUMENT_RULES: dict[str, DocumentRule] = {
    DocumentKind.REQUEST_LETTER: DocumentRule((PDF,), 1),
    DocumentKind.FINAL_TEXT: DocumentRule((DOCX,), 2),
    DocumentKind.ANNEX: DocumentRule((PDF, DOCX), 3),
    DocumentKind.SIGNED_COPY: DocumentRule((PDF,), 9),
}
_FILE = {"file": "upload"}
_FILE_PERM = "agreements.file_agreement"  # the local office's filing, answers, signed copy and withdrawal

ACTIONS: dict[Action, ActionSpec] = {
    spec.action: spec
    for spec in (
        # --- steps 1-4: the local office files --------------------------------
        ActionSpec(
            Action.UPLOAD_DOCUMENT,
            EDITABLE_STATUSES,
            None,
            frozenset({Actor.LOCAL}),
            None,
            gettext_lazy("Adjuntar documento"),
            permission=_FILE_PERM,
            service="document_upload",
            form=forms.DocumentForm,
            serializer=serializers.DocumentInputSerializer,
            inputs=_FILE,
            html_path="documentos/",
            html_name="document_upload",
            api_path="documents",
            api_name="documents",
            api_status=201,
            success=gettext_lazy("Documento recibido y verificado."),
            heading=gettext_lazy("Adjuntar documento"),
            button=gettext_lazy("Cargar y verificar"),
            button_class="btn btn-secondary",
            form_id="upload-form",
            multipart=True,
        ),
        ActionSpec(
            Action.REPLACE_DOCUMENT,
            EDITABLE_STATUSES,
            None,
            frozenset({Actor.LOCAL}),
            None,
            gettext_lazy("Reemplazar documento"),
            permission=_FILE_PERM,
            service="document_replace",
            form=forms.ReplaceDocumentForm,
            serializer=serializers.ReplaceDocumentSerializer,
            inputs=_FILE,
            html_path="documentos/<int:document_id>/reemplazar/",
            html_name="document_replace",
            api_path=r"documents/(?P<document_id>[0-9]+)/replace",
            api_name="document_replace",
            success=gettext_lazy("Documento reemplazado."),
            heading=gettext_lazy("Reemplazar"),
            button=gettext_lazy("Reemplazar"),
            button_class="btn btn-secondary",
            multipart=True,
            placement="document",
        ),
        ActionSpec(
            Action.REMOVE_DOCUMENT,
            EDITABLE_STATUSES,
            None,
            frozenset({Actor.LOCAL}),
            None,
            gettext_lazy("Eliminar documento"),
            permission=_FILE_PERM,
            service="document_remove",
            html_path="documentos/<int:document_id>/eliminar/",
            html_name="document_remove",
            api_path=r"documents/(?P<document_id>[0-9]+)/remove",
            api_name="document_remove",
            success=gettext_lazy("Documento eliminado del expediente."),
            heading=gettext_lazy("Eliminar"),
            button=gettext_lazy("Eliminar"),
            button_class="btn btn-danger",
            placement="document",
        ),
        ActionSpec(
            Action.SUBMIT,
            EDITABLE_STATUSES,
            Status.SUBMITTED,
            frozenset({Actor.LOCAL}),
            4,
            gettext_lazy("Enviar a la DGCP"),
            permission=_FILE_PERM,
            service="agreement_submit",
            checks=(documents_attached, signing_date_ahead, in_time_or_urgent),
            notices={Recipient.FILER: NoticeEvent.RECEIPT, Recipient.DGCP: NoticeEvent.SUBMITTED},
            html_path="enviar/",
            html_name="agreement_submit",
            api_path="submit",
            api_name="submit",
            success=gettext_lazy(
                "Solicitud enviada a la DGCP. El sistema verificará los documentos y la turnará a la CJA."
            ),
            heading=gettext_lazy("Enviar la solicitud (paso 4)"),
            button=gettext_lazy("Enviar solicitud a la DGCP"),
            form_id="submit-form",
        ),
        # --- automatic steps 5 and 6 ---------------------------------------------
        ActionSpec(
            Action.CHECK_COMPLETENESS,
            frozenset({Status.SUBMITTED}),
            Status.FORWARDED,
            frozenset({Actor.SYSTEM}),
            5,
            gettext_lazy("Verificar integración y turnar a la CJA"),
            checks=(documents_valid,),
            fallback=Fallback(Status.RETURNED, "incomplete", {Recipient.FILER: NoticeEvent.INCOMPLETE}),
        ),
        ActionSpec(
            Action.COMPUTE_DEADLINE,
            frozenset({Status.FORWARDED}),
            Status.IN_REVIEW,
            frozenset({Actor.SYSTEM}),
            6,
            gettext_lazy("Calcular el plazo"),
            notices={Recipient.CJA: NoticeEvent.IN_REVIEW},
        ),
        # --- step 7: the CJA -----------------------------------------------------
        ActionSpec(
            Action.ISSUE_DICTAMEN,
            frozenset({Status.IN_REVIEW}),
            Status.DICTAMEN_ISSUED,
            frozenset({Actor.CJA}),
            7,
            gettext_lazy("Emitir dictamen"),
            permission="agreements.issue_dictamen",
            service="dictamen_issue",
            notices={Recipient.DGCP: NoticeEvent.DICTAMEN_ISSUED},
            form=forms.DictamenForm,
            serializer=serializers.DictamenInputSerializer,
            html_path="dictamen/",
            html_name="dictamen_issue",
            api_path="dictamen",
            api_name="dictamen",
            api_status=201,
            success=gettext_lazy("Dictamen emitido y enviado a la DGCP para su aprobación."),
            heading=gettext_lazy("Emitir dictamen de procedencia (paso 7)"),
            button=gettext_lazy("Emitir dictamen"),
            form_id="dictamen-form",
        ),
        # --- step 8: the DGCP ----------------------------------------------------
        ActionSpec(
            Action.APPROVE_DICTAMEN,
            frozenset({Status.DICTAMEN_ISSUED}),
            Status.AWAITING_SIGNATURE,
            frozenset({Actor.DGCP}),
            8,
            gettext_lazy("Aprobar y entregar el dictamen"),
            permission="agreements.approve_dictamen",
            service="dictamen_approve",
            outcome_targets={DictamenOutcome.NOT_VIABLE: Status.NOT_VIABLE},  # the not-viable ending
            notices={Recipient.FILER: NoticeEvent.DICTAMEN_DELIVERED},
            form=forms.CoverNoteForm,
            serializer=serializers.CoverNoteSerializer,
            html_path="dictamen/aprobar/",
            html_name="dictamen_approve",
            api_path="dictamen/approve",
            api_name="dictamen_approve",
            success=gettext_lazy(
                "Dictamen aprobado. Se generó el oficio de respuesta y se notificó a la oficina local."
            ),
            heading=gettext_lazy("Aprobar y entregar el dictamen (paso 8)"),
            button=gettext_lazy("Aprobar y entregar"),
            form_id="approve-form",
        ),
        ActionSpec(
            Action.RETURN_DICTAMEN,
            frozenset({Status.DICTAMEN_ISSUED}),
            Status.IN_REVIEW,
            frozenset({Actor.DGCP}),
            None,
            gettext_lazy("Devolver el dictamen a la CJA"),
            permission="agreements.approve_dictamen",
            service="dictamen_return",
            notices={Recipient.CJA: NoticeEvent.DICTAMEN_RETURNED},
            form=forms.CommentForm,
            serializer=serializers.CommentSerializer,
            html_path="dictamen/devolver/",
            html_name="dictamen_return",
            api_path="dictamen/return",
            api_name="dictamen_return",
            success=gettext_lazy("Dictamen devuelto a la Consultoría Jurídica."),
            heading=gettext_lazy("Devolver el dictamen a la CJA"),
            button=gettext_lazy("Devolver a la CJA"),
            button_class="btn btn-secondary",
            form_id="return-dictamen-form",
        ),
        # --- after delivery: the local office ---------------------------------------
        ActionSpec(
            Action.ANSWER_OBSERVATION,
            frozenset({Status.AWAITING_SIGNATURE}),
            None,
            frozenset({Actor.LOCAL}),
            None,
            gettext_lazy("Responder observación"),
            permission=_FILE_PERM,
            service="observation_answer",
            when=revision_invited,
            form=forms.ObservationAnswerForm,
            serializer=serializers.ObservationAnswerSerializer,
            html_path="observaciones/responder/",
            html_name="observation_answer",
            api_path=r"observations/(?P<number>[0-9]+)/answer",
            api_name="observation_answer",
            success=gettext_lazy("Respuesta registrada."),
            heading=gettext_lazy("Responder"),
            button=gettext_lazy("Guardar respuesta"),
            button_class="btn btn-secondary",
            placement="observation",
        ),
        ActionSpec(
            Action.SUBMIT_REVISION,
            frozenset({Status.AWAITING_SIGNATURE}),
            Status.IN_REVIEW,
            frozenset({Actor.LOCAL}),
            None,
            gettext_lazy("Enviar texto revisado"),
            permission=_FILE_PERM,
            service="revision_submit",
            when=revision_invited,
            checks=(observations_answered,),
            notices={Recipient.CJA: NoticeEvent.REVISION_SUBMITTED, Recipient.DGCP: NoticeEvent.REVISION_INFORMED},
            form=forms.RevisionForm,
            serializer=serializers.RevisionSerializer,
            inputs=_FILE,
            html_path="revision/",
            html_name="revision_submit",
            api_path="revision",
            api_name="revision",
            success=gettext_lazy("Texto revisado enviado a la Consultoría Jurídica."),
            heading=gettext_lazy("Enviar texto revisado (vuelve al paso 7)"),
            button=gettext_lazy("Enviar revisión"),
            button_class="btn btn-secondary",
            form_id="revision-form",
            multipart=True,
        ),
        # --- step 9 and the automatic step 10 ------------------------------------
        ActionSpec(
            Action.UPLOAD_SIGNED_COPY,
            frozenset({Status.AWAITING_SIGNATURE}),
            Status.SIGNED,
            frozenset({Actor.LOCAL}),
            9,
            gettext_lazy("Enviar copia firmada"),
            permission=_FILE_PERM,
            service="signed_copy_submit",
            checks=(signed_within_validity, signed_text_matches_or_confirmed),
            form=forms.SignatureForm,
            serializer=serializers.SignatureSerializer,
            inputs=_FILE,
            html_path="firma/",
            html_name="signature_submit",
            api_path="signature",
            api_name="signature",
            success=gettext_lazy("Copia firmada recibida. La DGCP solicitará su inscripción en el registro."),
            heading=gettext_lazy("Enviar copia firmada (paso 9)"),
            button=gettext_lazy("Enviar copia firmada"),
            form_id="signature-form",
            multipart=True,
        ),
        ActionSpec(
            Action.REQUEST_REGISTRATION,
            frozenset({Status.SIGNED}),
            Status.REGISTRATION_REQUESTED,
            frozenset({Actor.SYSTEM}),
            10,
            gettext_lazy("Solicitar el registro"),
            notices={Recipient.CJA: NoticeEvent.REGISTRATION_REQUESTED},
        ),
        # --- step 11: the CJA; step 12 automatic ----------------------------------
        ActionSpec(
            Action.REGISTER,
            frozenset({Status.REGISTRATION_REQUESTED}),
            Status.INSCRIBED,
            frozenset({Actor.CJA}),
            11,
            gettext_lazy("Inscribir en el registro"),
            permission="agreements.register_agreement",
            service="agreement_register",
            form=forms.RegistrationForm,
            serializer=serializers.RegistrationSerializer,
            html_path="registro/",
            html_name="registration_submit",
            api_path="registration",
            api_name="registration",
            success=gettext_lazy("Acuerdo inscrito en el registro. El expediente se concluirá automáticamente."),
            heading=gettext_lazy("Inscribir en el registro (paso 11)"),
            button=gettext_lazy("Inscribir"),
            form_id="registration-form",
        ),
        ActionSpec(
            Action.RETURN_SIGNED_COPY,
            frozenset({Status.REGISTRATION_REQUESTED}),
            Status.AWAITING_SIGNATURE,
            frozenset({Actor.CJA}),
            None,
            gettext_lazy("Devolver la copia firmada"),
            permission="agreements.register_agreement",
            service="signed_copy_return",
            notices={Recipient.FILER: NoticeEvent.SIGNED_COPY_RETURNED},
            form=forms.ReasonForm,
            serializer=serializers.ReasonSerializer,
            html_path="registro/devolver/",
            html_name="signed_copy_return",
            api_path="registration/return",
            api_name="registration_return",
            success=gettext_lazy("Copia firmada devuelta a la oficina local."),
            heading=gettext_lazy("Devolver la copia firmada"),
            button=gettext_lazy("Devolver"),
            button_class="btn btn-secondary",
            form_id="return-signed-copy-form",
        ),
        ActionSpec(
            Action.CLOSE,
            frozenset({Status.INSCRIBED}),
            Status.CLOSED,
            frozenset({Actor.SYSTEM}),
            12,
            gettext_lazy("Concluir el expediente"),
            notices={Recipient.FILER: NoticeEvent.CLOSED, Recipient.DGCP: NoticeEvent.CLOSED_INFORMED},
        ),
        # --- returns, not admissible, withdrawal --------------------------------
        ActionSpec(
            Action.RETURN_FOR_CORRECTIONS,
            frozenset({Status.IN_REVIEW}),
            Status.RETURNED,
            frozenset({Actor.DGCP, Actor.CJA}),
            None,
            gettext_lazy("Devolver para correcciones"),
            permission="agreements.return_agreement",
            service="agreement_return",
            notices={Recipient.FILER: NoticeEvent.RETURNED},
            form=forms.ReasonForm,
            serializer=serializers.ReasonSerializer,
            html_path="devolver/",
            html_name="agreement_return",
            api_path="return",
            api_name="return_for_corrections",
            success=gettext_lazy("Expediente devuelto a la oficina local para correcciones."),
            heading=gettext_lazy("Devolver para correcciones"),
            button=gettext_lazy("Devolver a la oficina local"),
            button_class="btn btn-secondary",
            form_id="return-form",
        ),
        ActionSpec(
            Action.MARK_NOT_ADMISSIBLE,
            frozenset({Status.IN_REVIEW}),
            Status.NOT_ADMISSIBLE,
            frozenset({Actor.DGCP, Actor.CJA}),
            None,
            gettext_lazy("Declarar no admitido"),
            permission="agreements.return_agreement",
            service="agreement_mark_not_admissible",
            notices={Recipient.FILER: NoticeEvent.NOT_ADMISSIBLE},
            form=forms.ReasonForm,
            serializer=serializers.ReasonSerializer,
            html_path="no-admitido/",
            html_name="agreement_not_admissible",
            api_path="not-admissible",
            api_name="not_admissible",
            success=gettext_lazy("Expediente declarado no admitido."),
            heading=gettext_lazy("Declarar no admitido"),
            button=gettext_lazy("No admitir"),
            button_class="btn btn-danger",
            form_id="not-admissible-form",
        ),
        ActionSpec(
            Action.WITHDRAW,
            OPEN_STATUSES - {Status.INSCRIBED},
            Status.WITHDRAWN,
            frozenset({Actor.LOCAL}),
            None,
            gettext_lazy("Retirar la solicitud"),
            permission=_FILE_PERM,
            service="agreement_withdraw",
            notices={Recipient.DGCP: NoticeEvent.WITHDRAWN, Recipient.CJA: NoticeEvent.WITHDRAWN},
            notice_when={Recipient.DGCP: was_sent, Recipient.CJA: was_with_the_cja},
            form=forms.WithdrawForm,
            serializer=serializers.OptionalReasonSerializer,
            html_path="retirar/",
            html_name="agreement_withdraw",
            api_path="withdraw",
            api_name="withdraw",
            success=gettext_lazy("Solicitud retirada."),
            heading=gettext_lazy("Retirar la solicitud"),
            button=gettext_lazy("Retirar"),
            button_class="btn btn-danger",
            form_id="withdraw-form",
        ),
    )
}

HUMAN_ACTIONS: tuple[ActionSpec, ...] = tuple(spec for spec in ACTIONS.values() if not spec.automatic)


class TransitionNotAllowed(Exception):
    def __init__(self, action: Action, status: Status):
        self.action, self.status = action, status
        super().__init__(f"{action} is not allowed while the case is {status}")


def is_allowed(action: Action, status: Status) -> bool:
    return ACTIONS[action].allowed_in(status)


def ensure_allowed(action: Action, status: Status) -> ActionSpec:
    spec = ACTIONS[action]
    if not spec.allowed_in(status):
        raise TransitionNotAllowed(action, status)
    return spec


def target_status(action: Action, *, outcome: str | None = None) -> Status | None:
    """Where ``action`` leads; approving a *not viable* dictamen ends the procedure."""
    return ACTIONS[action].target_for(outcome)


def document_step(kind: str) -> int:
    return DOCUMENT_RULES[kind].step


def labels() -> dict[str, str]:
    """How the timeline names each recorded action."""
    return {
        "create": gettext_lazy("Crear expediente"),
        **{spec.action.value: spec.label for spec in ACTIONS.values()},
        **{
            ReviewerMove.TAKE: gettext_lazy("Tomó el expediente"),
            ReviewerMove.ASSIGN: gettext_lazy("Asignó el expediente"),
            ReviewerMove.RELEASE: gettext_lazy("Liberó el expediente"),
            ReviewerMove.ABSENCE: gettext_lazy("Registró la ausencia del revisor y su suplente"),
        },
    }
