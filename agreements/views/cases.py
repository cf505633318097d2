from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core.actions import add_service_errors, run_action
from portal.core.exceptions import ApplicationError

from .. import forms, selectors, services, workflow
from ..filtersets import AgreementFilterSet
from ..models import Document
from ..permissions import available_actions
from ..workflow import Action

PAGE_SIZE = 25


def _detail_url(pk):
    return reverse("agreements:agreement_detail", args=[pk])


@login_required
def agreement_list(request):
    filterset = AgreementFilterSet(request.GET, queryset=selectors.agreement_list(user=request.user))
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "agreements/agreement_list.html",
        {
            "filterset": filterset,
            "page": page,
            "query": query.urlencode(),
            "breadcrumbs": [(_("Expedientes"), None)],
        },
    )


@login_required
@permission_required("agreements.file_agreement", raise_exception=True)
def agreement_create(request):
    form = forms.AgreementForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_create(user=request.user, data=form.cleaned_data)
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Se creó el expediente %(folio)s. Ahora adjunte los documentos.") % {"folio": agreement.folio},
            )
            return redirect(_detail_url(agreement.pk))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "agreements/agreement_form.html",
        {
            "form": form,
            "breadcrumbs": [(_("Expedientes"), reverse("agreements:agreement_list")), (_("Nueva solicitud"), None)],
        },
        status=status,
    )


@login_required
def agreement_edit(request, pk):
    """Correct a draft or returned case's data (steps 1-4)."""
    agreement = selectors.agreement_detail(user=request.user, pk=pk)
    if Action.UPLOAD_DOCUMENT not in available_actions(request.user, agreement):
        raise PermissionDenied
    form = forms.AgreementForm(
        request.POST or None, user=request.user, initial=forms.AgreementForm.initial_for(agreement)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_update(user=request.user, agreement_id=agreement.pk, data=form.cleaned_data)
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Datos del expediente actualizados."))
            return redirect(_detail_url(agreement.pk))
    return render(
        request,
        "agreements/agreement_form.html",
        {
            "form": form,
            "agreement": agreement,
            "breadcrumbs": [
                (_("Expedientes"), reverse("agreements:agreement_list")),
                (agreement.folio, _detail_url(agreement.pk)),
                (_("Editar"), None),
            ],
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def agreement_detail(request, pk):
    agreement = selectors.agreement_detail(user=request.user, pk=pk)
    actions = available_actions(request.user, agreement)
    documents = list(agreement.documents.all())
    dictamen = selectors.latest_dictamen(agreement)
    context = {
        "agreement": agreement,
        "steps": selectors.agreement_steps(agreement),
        "documents": documents,
        "dictamen": dictamen,
        "dictamenes": list(agreement.dictamenes.all()),
        "timeline": list(agreement.timeline.all()),
        "actions": {a.value for a in actions},
        "Action": {a.name: a.value for a in Action},
        "comparison": selectors.signed_text_comparison(agreement)
        if agreement.status in ("registration_requested", "inscribed", "closed")
        else None,
        "document_form": forms.DocumentForm(),
        "revision_form": forms.RevisionForm(),
        "dictamen_form": forms.DictamenForm(),
        "cover_form": forms.CoverNoteForm(),
        "comment_form": forms.CommentForm(),
        "reason_form": forms.ReasonForm(),
        "signature_form": forms.SignatureForm(),
        "registration_form": forms.RegistrationForm(),
        "answer_form": forms.ObservationAnswerForm(),
        "breadcrumbs": [(_("Expedientes"), reverse("agreements:agreement_list")), (agreement.folio, None)],
        "move_labels": {"create": _("Crear expediente"), **{m.action.value: m.label for m in workflow.MOVES.values()}},
        "actor_labels": {a.value: label for a, label in workflow.ACTOR_LABELS.items()},
    }
    return render(request, "agreements/agreement_detail.html", context)


@login_required
def document_download(request, pk, document_id):
    agreement = selectors.agreement_detail(user=request.user, pk=pk)
    document = get_object_or_404(Document, pk=document_id, agreement=agreement)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404() from None
    return FileResponse(handle, as_attachment=True, filename=document.original_name, content_type=document.content_type)


def _action_view(form_class, perform, success):
    @login_required
    @require_POST
    def view(request, pk):
        selectors.agreement_detail(user=request.user, pk=pk)  # 404 for cases the user may not see
        form = form_class(request.POST, request.FILES) if form_class else _EmptyForm(request.POST)
        return run_action(
            request,
            form=form,
            perform=lambda data: perform(request, pk, data),
            success_message=success,
            redirect_to=_detail_url(pk),
        )

    return view


class _EmptyForm(forms.forms.Form):
    pass


document_upload = _action_view(
    forms.DocumentForm,
    lambda r, pk, d: services.document_upload(
        user=r.user, agreement_id=pk, kind=d["kind"], upload=d["file"], annex_type=d.get("annex_type") or ""
    ),
    _("Documento recibido y verificado."),
)
revision_submit = _action_view(
    forms.RevisionForm,
    lambda r, pk, d: services.document_upload(user=r.user, agreement_id=pk, kind="final_text", upload=d["file"]),
    _("Texto revisado enviado a la Consultoría Jurídica."),
)
agreement_submit = _action_view(
    None,
    lambda r, pk, d: services.agreement_submit(user=r.user, agreement_id=pk),
    _("Solicitud enviada a la DGCP. El sistema verificará los documentos y la turnará a la CJA."),
)
dictamen_issue = _action_view(
    forms.DictamenForm,
    lambda r, pk, d: services.dictamen_issue(
        user=r.user, agreement_id=pk, outcome=d["outcome"], summary=d["summary"], observations=d["observation_list"]
    ),
    _("Dictamen emitido y enviado a la DGCP para su aprobación."),
)
dictamen_approve = _action_view(
    forms.CoverNoteForm,
    lambda r, pk, d: services.dictamen_approve(user=r.user, agreement_id=pk, cover_note=d.get("cover_note", "")),
    _("Dictamen aprobado. Se generó el oficio de respuesta y se notificó a la oficina local."),
)
dictamen_return = _action_view(
    forms.CommentForm,
    lambda r, pk, d: services.dictamen_return(user=r.user, agreement_id=pk, comment=d["comment"]),
    _("Dictamen devuelto a la Consultoría Jurídica."),
)
observation_answer = _action_view(
    forms.ObservationAnswerForm,
    lambda r, pk, d: services.observation_answer(
        user=r.user, agreement_id=pk, number=d["number"], answer=d["answer"], reply=d.get("reply", "")
    ),
    _("Respuesta registrada."),
)
signature_submit = _action_view(
    forms.SignatureForm,
    lambda r, pk, d: services.signed_copy_submit(
        user=r.user, agreement_id=pk, upload=d["file"], signed_on=d["signed_on"], signed_place=d["signed_place"]
    ),
    _("Copia firmada recibida. La DGCP solicitará su inscripción en el registro."),
)
registration_submit = _action_view(
    forms.RegistrationForm,
    lambda r, pk, d: services.agreement_register(
        user=r.user,
        agreement_id=pk,
        registry_number=d["registry_number"],
        registered_on=d["registered_on"],
        recommendations_incorporated=d.get("recommendations_incorporated") is True,
    ),
    _("Acuerdo inscrito en el registro. El expediente se concluirá automáticamente."),
)
signed_copy_return = _action_view(
    forms.ReasonForm,
    lambda r, pk, d: services.signed_copy_return(user=r.user, agreement_id=pk, reason=d["reason"]),
    _("Copia firmada devuelta a la oficina local."),
)
agreement_return = _action_view(
    forms.ReasonForm,
    lambda r, pk, d: services.agreement_return(user=r.user, agreement_id=pk, reason=d["reason"]),
    _("Expediente devuelto a la oficina local para correcciones."),
)
agreement_not_admissible = _action_view(
    forms.ReasonForm,
    lambda r, pk, d: services.agreement_mark_not_admissible(user=r.user, agreement_id=pk, reason=d["reason"]),
    _("Expediente declarado no admitido."),
)
agreement_withdraw = _action_view(
    forms.WithdrawForm,
    lambda r, pk, d: services.agreement_withdraw(user=r.user, agreement_id=pk, reason=d.get("reason", "")),
    _("Solicitud retirada."),
)


@login_required
@permission_required("agreements.issue_dictamen", raise_exception=True)
def inbox_cja(request):
    order = "-cja_deadline" if request.GET.get("orden") == "-plazo" else "cja_deadline"
    queryset = selectors.cja_inbox(user=request.user).order_by(order, "id")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "agreements/inbox_cja.html",
        {
            "page": page,
            "order": order,
            "breadcrumbs": [(_("Bandeja de la CJA"), None)],
        },
    )


@login_required
@permission_required("agreements.approve_dictamen", raise_exception=True)
def inbox_dgcp(request):
    queryset = selectors.dgcp_inbox(user=request.user).order_by("issued_at", "id")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "agreements/inbox_dgcp.html",
        {
            "page": page,
            "breadcrumbs": [(_("Bandeja de la DGCP"), None)],
        },
    )


@login_required
@permission_required("agreements.approve_dictamen", raise_exception=True)
def dashboard(request):
    step = request.GET.get("paso")
    queryset = selectors.open_cases(user=request.user).order_by("step_entered_at", "id")
    if step and step.isdigit():
        queryset = queryset.filter(current_step=int(step))
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    holidays = services.non_working_days()
    today = services.today()
    rows = selectors.dashboard_rows(page, non_working_days=holidays, today=today)
    counts = selectors.dashboard_counts(user=request.user, non_working_days=holidays)
    return render(
        request,
        "agreements/dashboard.html",
        {
            "page": page,
            "rows": rows,
            "counts": counts,
            "max_count": max([c["total"] for c in counts] + [1]),
            "step": step,
            "query": f"paso={step}" if step else "",
            "breadcrumbs": [(_("Tablero de la DGCP"), None)],
        },
    )
