import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from agreements.registry.models import RegistryEntry
from portal.core.actions import add_service_errors, run_action
from portal.core.exceptions import ApplicationError
from portal.core.listviews import FilteredListView, Keyset
from portal.core.uploads import safe_filename

from .. import forms, selectors, services, validity, workflow
from ..actions import ACTIONS, HUMAN_ACTIONS, labels
from ..choices import Assigned as AssignedChoices
from ..choices import CaseKind, ReviewerMove
from ..filtersets import AgreementFilterSet, CjaInboxFilterSet, DashboardFilterSet, DgcpInboxFilterSet
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


class CaseListView(FilteredListView):
    """The case lists: ``PAGE_SIZE`` rows a page and totals capped at ``selectors.COUNT_CAP`` (both read per
    request)."""

    def get_page_size(self) -> int:
        return PAGE_SIZE

    def get_count_cap(self, filterset) -> int:
        return selectors.COUNT_CAP


def _detail_url(pk):
    return reverse("agreements:agreement_detail", args=[pk])


class AgreementListView(CaseListView):
    template_name = "agreements/agreement_list.html"
    filterset_class = AgreementFilterSet
    keyset = Keyset(("created_at", "id"), (dt.datetime, int), descending=True)
    form_fields = ("q", "status", "kind", "current_step", "theme", "is_late")
    breadcrumbs = ((gettext_lazy("Expedientes"), None),)

    def get_queryset(self):
        return selectors.agreement_list(user=self.request.user)


agreement_list = login_required(AgreementListView.as_view())


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
        "comparison": selectors.signed_text_comparison(agreement),
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


class InboxView(CaseListView):
    """A review inbox: free text and the «Míos / Sin asignar / Todos» links (keeping the search and order)."""

    def get_context_data(self, **context):
        context = super().get_context_data(**context)
        current = self.request.GET.get("asignado") or "todos"
        links = []
        for value, label in AssignedChoices.choices:
            linked = QueryDict(context["query"], mutable=True)
            linked["asignado"] = value
            links.append({"value": value, "label": label, "query": linked.urlencode(), "current": value == current})
        return {**context, "assigned_links": links, "may_record_absences": may_record_absences(self.request.user)}


class CjaInboxView(InboxView):
    template_name = "agreements/inbox_cja.html"
    filterset_class = CjaInboxFilterSet
    breadcrumbs = ((gettext_lazy("Bandeja de la CJA"), None),)

    def get_queryset(self):
        return selectors.cja_inbox(user=self.request.user)

    def get_keyset(self) -> Keyset:
        # Nearest deadline first; «orden=-plazo» the farthest first.
        return Keyset(("cja_deadline", "id"), (dt.date, int), descending=self.request.GET.get("orden") == "-plazo")

    def get_context_data(self, **context):
        order = "-cja_deadline" if self.get_keyset().descending else "cja_deadline"
        return {**super().get_context_data(**context), "order": order}


class DgcpInboxView(InboxView):
    template_name = "agreements/inbox_dgcp.html"
    filterset_class = DgcpInboxFilterSet
    keyset = Keyset(("issued_at", "id"), (dt.datetime, int))
    breadcrumbs = ((gettext_lazy("Bandeja de la DGCP"), None),)

    def get_queryset(self):
        return selectors.dgcp_inbox(user=self.request.user)


class DashboardView(CaseListView):
    """Open cases per step, then the cases (of one step, ``?paso=7``), longest in their step first."""

    template_name = "agreements/dashboard.html"
    filterset_class = DashboardFilterSet
    keyset = Keyset(("step_entered_at", "id"), (dt.datetime, int))
    breadcrumbs = ((gettext_lazy("Tablero de la DGCP"), None),)

    def get_queryset(self):
        return selectors.open_cases(user=self.request.user)

    def get_context_data(self, **context):
        context = super().get_context_data(**context)
        filterset = context["filterset"]
        for errors in filterset.errors.values():
            messages.error(self.request, " ".join(errors))
        holidays = services.non_working_days()
        counts = selectors.dashboard_counts(user=self.request.user, non_working_days=holidays)
        return {
            **context,
            "rows": selectors.dashboard_rows(context["page"].items, non_working_days=holidays, today=services.today()),
            "counts": counts,
            "max_count": max([c["total"] for c in counts] + [1]),
            "step": filterset.form.cleaned_data.get("paso", "") if filterset.is_bound else "",
        }


_approvers = permission_required("agreements.approve_dictamen", raise_exception=True)
inbox_cja = login_required(
    permission_required("agreements.issue_dictamen", raise_exception=True)(CjaInboxView.as_view())
)
inbox_dgcp = login_required(_approvers(DgcpInboxView.as_view()))
dashboard = login_required(_approvers(DashboardView.as_view()))
