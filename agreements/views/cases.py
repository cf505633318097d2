import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agreements.registry.models import RegistryEntry
from portal.core.actions import add_service_errors, run_action
from portal.core.exceptions import ApplicationError
from portal.core.keyset import capped_count, keyset_page
from portal.core.uploads import safe_filename

from .. import forms, selectors, services, validity, workflow
from ..actions import ACTIONS, HUMAN_ACTIONS, labels
from ..choices import Assigned as AssignedChoices
from ..choices import CaseKind, ReviewerMove
from ..filtersets import AgreementFilterSet, CjaInboxFilterSet, DgcpInboxFilterSet
from ..permissions import (
    REVIEWER_FIELDS,
    REVIEWING_OFFICE,
    available_actions,
    available_reviewer_moves,
    may_amend,
    may_record_absences,
)
from ..workflow import Action

PAGE_SIZE = 25
CURSORS = ("page", "despues", "antes")


def _keyset(request, queryset, *, fields, kinds, descending=False) -> dict:
    """One page after or before the request's cursor and a capped total: the cost does not grow with depth
    (no OFFSET, no full count: past ``COUNT_CAP`` the page says «más de 1,000»)."""
    page = keyset_page(
        queryset,
        fields=fields,
        kinds=kinds,
        size=PAGE_SIZE,
        after=request.GET.get("despues"),
        before=request.GET.get("antes"),
        descending=descending,
    )
    count, capped = capped_count(queryset, selectors.COUNT_CAP)
    return {"page": page, "count": count, "capped": capped}


def _query_without_cursors(request) -> str:
    query = request.GET.copy()
    for name in CURSORS:
        query.pop(name, None)
    return query.urlencode()


def _detail_url(pk):
    return reverse("agreements:agreement_detail", args=[pk])


@login_required
def agreement_list(request):
    filterset = AgreementFilterSet(request.GET, queryset=selectors.agreement_list(user=request.user))
    return render(
        request,
        "agreements/agreement_list.html",
        {
            "filterset": filterset,
            **_keyset(request, filterset.qs, fields=("created_at", "id"), kinds=(dt.datetime, int), descending=True),
            "query": _query_without_cursors(request),
            "breadcrumbs": [(_("Expedientes"), None)],
        },
    )


@login_required
@permission_required("agreements.file_agreement", raise_exception=True)
def agreement_create(request):
    initial, amended = {}, None
    number, case_kind = request.GET.get("modifica"), request.GET.get("tipo")
    if number and case_kind in (CaseKind.MODIFICATION, CaseKind.EXTENSION):
        amended = get_object_or_404(RegistryEntry, registry_number=number)
        if not may_amend(request.user, amended):
            raise PermissionDenied
        initial = forms.AgreementForm.initial_for_change(amended, case_kind)
    form = forms.AgreementForm(request.POST or None, user=request.user, initial=initial)
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
        "term_label": validity.term_label(
            term=agreement.term, years=agreement.term_years, months=agreement.term_months
        ),
        "validity_ends_on": validity.end_date(
            starts_on=agreement.entry_into_force_on,
            term=agreement.term,
            years=agreement.term_years,
            months=agreement.term_months,
        ),
        "comparison": selectors.signed_text_comparison(agreement)
        if agreement.status in ("registration_requested", "inscribed", "closed")
        else None,
        "panels": [
            {
                "spec": spec,
                "form": spec.form(auto_id=f"id_{spec.action.value}_%s") if spec.form else None,
                "url": reverse(f"agreements:{spec.html_name}", args=[pk]),
            }
            for spec in HUMAN_ACTIONS
            if spec.placement == "panel" and spec.action in actions
        ],
        "editable_kinds": services.FILER_DOCUMENT_KINDS,
        "answer_form": forms.ObservationAnswerForm(),
        "submission_warnings": services.submission_refusals(agreement)
        if agreement.status in workflow.EDITABLE_STATUSES
        else [],
        "breadcrumbs": [(_("Expedientes"), reverse("agreements:agreement_list")), (agreement.folio, None)],
        "move_labels": labels(),
        "actor_labels": {a.value: label for a, label in workflow.ACTOR_LABELS.items()},
        **_reviewer_context(request.user, agreement),
    }
    return render(request, "agreements/agreement_detail.html", context)


def _reviewer_context(user, agreement) -> dict:
    """The office holding the case, its named reviewer and the take / release / assign buttons for ``user``."""
    office = REVIEWING_OFFICE.get(agreement.status)
    if office is None:
        return {}
    moves = available_reviewer_moves(user, agreement)
    reviewer_id = getattr(agreement, f"{REVIEWER_FIELDS[office]}_id")
    return {
        "review_office": workflow.ACTOR_LABELS[office],
        "reviewer": getattr(agreement, REVIEWER_FIELDS[office]) if reviewer_id else None,
        "reviewer_moves": {m.value for m in moves},
        "ReviewerMove": {m.name: m.value for m in ReviewerMove},
        "assignable": list(services.office_members(office)) if ReviewerMove.ASSIGN in moves else [],
    }


@login_required
def document_download(request, pk, document_id):
    agreement = selectors.agreement_detail(user=request.user, pk=pk)
    # Among the documents the reader may see (a reply letter only once its dictamen is delivered).
    document = next((d for d in agreement.documents.all() if d.pk == document_id), None)
    if document is None:
        raise Http404()
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404() from None
    # Names stored before uploads were normalised are cleaned here too (no bidi override, the real extension).
    filename = safe_filename(document.original_name, content_type=document.content_type)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=document.content_type)


class _EmptyForm(forms.forms.Form):
    pass


@login_required
@require_POST
def agreement_action(request, pk, action, **url_kwargs):
    """The one HTML view of every human action: the table entry gives its form, service and message."""
    spec = ACTIONS[action]
    selectors.agreement_detail(user=request.user, pk=pk)  # 404 for cases the user may not see
    form = spec.form(request.POST, request.FILES) if spec.form else _EmptyForm(request.POST)
    service = getattr(services, spec.service)
    return run_action(
        request,
        form=form,
        perform=lambda data: service(user=request.user, agreement_id=pk, **url_kwargs, **spec.service_kwargs(data)),
        success_message=spec.success,
        redirect_to=_detail_url(pk),
    )


def _inbox_links(request) -> dict:
    """The «Míos / Sin asignar / Todos» links (keeping the search and order) and the query for the pages."""
    query = request.GET.copy()
    for name in CURSORS:
        query.pop(name, None)
    links = []
    current = request.GET.get("asignado") or "todos"
    for value, label in AssignedChoices.choices:
        linked = query.copy()
        linked["asignado"] = value
        links.append({"value": value, "label": label, "query": linked.urlencode(), "current": value == current})
    return {
        "assigned_links": links,
        "query": query.urlencode(),
        "may_record_absences": may_record_absences(request.user),
    }


@login_required
@permission_required("agreements.issue_dictamen", raise_exception=True)
def inbox_cja(request):
    order = "-cja_deadline" if request.GET.get("orden") == "-plazo" else "cja_deadline"
    filterset = CjaInboxFilterSet(request.GET, queryset=selectors.cja_inbox(user=request.user), request=request)
    keyset = _keyset(
        request, filterset.qs, fields=("cja_deadline", "id"), kinds=(dt.date, int), descending=order.startswith("-")
    )
    return render(
        request,
        "agreements/inbox_cja.html",
        {
            **keyset,
            "order": order,
            "filterset": filterset,
            **_inbox_links(request),
            "breadcrumbs": [(_("Bandeja de la CJA"), None)],
        },
    )


@login_required
@permission_required("agreements.approve_dictamen", raise_exception=True)
def inbox_dgcp(request):
    filterset = DgcpInboxFilterSet(request.GET, queryset=selectors.dgcp_inbox(user=request.user), request=request)
    keyset = _keyset(request, filterset.qs, fields=("issued_at", "id"), kinds=(dt.datetime, int))
    return render(
        request,
        "agreements/inbox_dgcp.html",
        {
            **keyset,
            "filterset": filterset,
            **_inbox_links(request),
            "breadcrumbs": [(_("Bandeja de la DGCP"), None)],
        },
    )


@login_required
@permission_required("agreements.approve_dictamen", raise_exception=True)
def dashboard(request):
    step = request.GET.get("paso") or ""
    queryset = selectors.open_cases(user=request.user)
    if step:
        # isdigit() also accepts "²", which int() refuses (a 500): only the workflow's step numbers filter.
        number = int(step) if step.isascii() and step.isdigit() else None
        if number in workflow.STEP_BY_NUMBER:
            queryset = queryset.filter(current_step=number)
        else:
            messages.error(request, _("El paso «%(step)s» no existe; se muestran todos los pasos.") % {"step": step})
            step = ""
    keyset = _keyset(request, queryset, fields=("step_entered_at", "id"), kinds=(dt.datetime, int))
    holidays = services.non_working_days()
    today = services.today()
    rows = selectors.dashboard_rows(keyset["page"].items, non_working_days=holidays, today=today)
    counts = selectors.dashboard_counts(user=request.user, non_working_days=holidays)
    return render(
        request,
        "agreements/dashboard.html",
        {
            **keyset,
            "rows": rows,
            "counts": counts,
            "max_count": max([c["total"] for c in counts] + [1]),
            "step": step,
            "query": f"paso={step}" if step else "",
            "breadcrumbs": [(_("Tablero de la DGCP"), None)],
        },
    )
