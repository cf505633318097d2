"""Follow-up pages: an agreement's plan and reports, the report form, the DGCP's dashboard, evidence downloads and
the public annual report of each government. Thin: permission → selector → one service → render."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal.core.actions import add_service_errors
from portal.core.exceptions import ApplicationError, NotFound
from portal.core.listviews import FilteredListView, Keyset
from portal.geography.government import get_government

from . import annual, forms, selectors, services
from .choices import FollowupStatus
from .filtersets import FollowupFilterSet
from .permissions import (
    user_can_edit_followup,
    user_can_see_evidence,
    user_can_view_followup,
    visible_entry_ids_filter,
)

PAGE_SIZE = 50


def _entry_or_404(user, registry_number):
    entry = selectors.followup_entry(registry_number=registry_number)
    if entry is None or not user_can_view_followup(user, entry):
        raise Http404()
    return entry


def _breadcrumbs(entry, last=None):
    crumbs = [
        (_("Registro público"), reverse("agreements:registry_list")),
        (entry.registry_number, reverse("agreements:registry_detail", args=[entry.registry_number])),
    ]
    if last:
        crumbs += [(_("Seguimiento"), reverse("followup:entry_detail", args=[entry.registry_number])), (last, None)]
    else:
        crumbs.append((_("Seguimiento"), None))
    return crumbs


def _detail_context(request, entry, **forms_given):
    plan = selectors.plan_detail(entry)
    may_edit = user_can_edit_followup(request.user, entry)
    context = {
        "entry": entry,
        "status_label": FollowupStatus(entry.followup_status).label,
        "plan": plan,
        "facts": selectors.plan_facts(plan) if plan else None,
        "may_edit": may_edit,
        "may_see_evidence": user_can_see_evidence(request.user, entry),
        "timeline": selectors.entry_timeline(entry),
        "breadcrumbs": _breadcrumbs(entry),
    }
    if may_edit:
        initial = (
            {"starts_on": plan.starts_on, "ends_on": plan.ends_on, "objectives": plan.objectives}
            if plan
            else {"starts_on": entry.registered_on}
        )
        context["plan_form"] = forms_given.get("plan_form") or forms.WorkPlanForm(initial=initial)
        context["activity_form"] = forms_given.get("activity_form") or forms.ActivityForm(prefix="activity")
        context["indicator_form"] = forms_given.get("indicator_form") or forms.IndicatorForm(prefix="indicator")
    return context


@login_required
def entry_detail(request, registry_number):
    entry = _entry_or_404(request.user, registry_number)
    return render(request, "followup/entry_detail.html", _detail_context(request, entry))


def _post(request, registry_number, *, form_name, form, perform, success):
    """Run ``perform`` with the valid form; on error show the detail page again with the form's messages."""
    entry = _entry_or_404(request.user, registry_number)
    if not user_can_edit_followup(request.user, entry):
        raise PermissionDenied
    if form.is_valid():
        try:
            perform(entry, form.cleaned_data)
        except NotFound:
            raise Http404() from None
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("followup:entry_detail", registry_number=entry.registry_number)
    entry = _entry_or_404(request.user, registry_number)
    return render(
        request, "followup/entry_detail.html", _detail_context(request, entry, **{form_name: form}), status=400
    )


@login_required
@require_POST
def plan_save(request, registry_number):
    def perform(entry, data):
        plan = selectors.plan_detail(entry)
        if plan is None:
            services.work_plan_create(user=request.user, entry_id=entry.pk, **data)
        else:
            services.work_plan_update(user=request.user, plan_id=plan.pk, **data)

    return _post(
        request,
        registry_number,
        form_name="plan_form",
        form=forms.WorkPlanForm(request.POST),
        perform=perform,
        success=_("Plan de trabajo guardado."),
    )


def _plan_id(entry) -> int:
    plan = selectors.plan_detail(entry)
    if plan is None:
        raise NotFound()
    return plan.pk


@login_required
@require_POST
def activity_add(request, registry_number):
    return _post(
        request,
        registry_number,
        form_name="activity_form",
        form=forms.ActivityForm(request.POST, prefix="activity"),
        perform=lambda entry, data: services.activity_add(user=request.user, plan_id=_plan_id(entry), **data),
        success=_("Actividad agregada al plan."),
    )


@login_required
@require_POST
def indicator_add(request, registry_number):
    return _post(
        request,
        registry_number,
        form_name="indicator_form",
        form=forms.IndicatorForm(request.POST, prefix="indicator"),
        perform=lambda entry, data: services.indicator_add(user=request.user, plan_id=_plan_id(entry), **data),
        success=_("Indicador agregado al plan."),
    )


@login_required
def report_create(request, registry_number):
    entry = _entry_or_404(request.user, registry_number)
    if not user_can_edit_followup(request.user, entry):
        raise PermissionDenied
    plan = selectors.plan_detail(entry)
    if plan is None:
        messages.error(request, _("Registre primero el plan de trabajo."))
        return redirect("followup:entry_detail", registry_number=entry.registry_number)
    facts = selectors.plan_facts(plan)
    expected = facts["next_report"]
    initial = {"period_start": expected.period_start, "period_end": expected.period_end} if expected else {}
    for row in facts["activities"]:
        initial[f"activity_{row['activity'].pk}_percent"] = row["percent"]
    form = forms.ReportForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        activities=plan.activities.all(),
        indicators=plan.indicators.all(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.report_file(
                user=request.user,
                plan_id=plan.pk,
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                summary=form.cleaned_data["summary"],
                progress=form.progress(),
                values=form.values(),
                evidence=form.cleaned_data["evidence"],
            )
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Informe semestral presentado."))
            return redirect("followup:entry_detail", registry_number=entry.registry_number)
    return render(
        request,
        "followup/report_form.html",
        {
            "entry": entry,
            "plan": plan,
            "expected": expected,
            "form": form,
            "breadcrumbs": _breadcrumbs(entry, _("Nuevo informe")),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def evidence_download(request, pk):
    evidence = selectors.evidence_get(pk)
    if evidence is None:
        raise Http404()
    entry = evidence.report.plan.entry
    if not user_can_view_followup(request.user, entry):
        raise Http404()
    if not user_can_see_evidence(request.user, entry):
        raise PermissionDenied
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.name, content_type="application/pdf"
    )


class DashboardView(FilteredListView):
    """The DGCP's view of implementation across all agreements (a local office sees its own): the state × status
    table of every followed agreement, then the filtered list."""

    template_name = "followup/dashboard.html"
    filterset_class = FollowupFilterSet
    keyset = Keyset(("state_id", "registry_number"), (str, str))
    page_size = PAGE_SIZE
    breadcrumbs = ((gettext_lazy("Seguimiento de acuerdos"), None),)

    def dispatch(self, request, *args, **kwargs):
        if visible_entry_ids_filter(request.user) is None:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.followup_list(user=self.request.user)

    def get_context_data(self, **context):
        context = super().get_context_data(**context)
        return {
            **context,
            **selectors.dashboard_table(context["filterset"].queryset),
            "status_labels": dict(FollowupStatus.choices),
        }


dashboard = login_required(DashboardView.as_view())


def _annual(kind, code, year):
    government = get_government(kind, code)
    if year not in annual.report_years():
        raise Http404()
    return annual.annual_report(government, year)


def annual_report(request, kind, code, year):
    report = _annual(kind, code, year)
    government = report["government"]
    if government.kind == "state":
        profile = reverse("geography:state_detail", args=[government.code])
    else:
        profile = reverse("geography:municipality_detail", args=[government.code])
    years = [y for y in annual.report_years() if y >= year - 4][-6:]
    return render(
        request,
        "followup/annual_report.html",
        {
            **report,
            "kind": kind,
            "rows": annual.figure_rows(report),
            "years": years,
            "breadcrumbs": [(government.name, profile), (_("Informe anual %(y)s") % {"y": year}, None)],
        },
    )


def annual_report_pdf(request, kind, code, year):
    report = _annual(kind, code, year)
    content = annual.annual_report_pdf(report)
    filename = f"informe-anual-{report['government'].code}-{year}.pdf"
    return FileResponse(io.BytesIO(content), as_attachment=False, filename=filename, content_type="application/pdf")
