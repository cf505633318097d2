"""Named reviewers: take, release and assign a case; record an absence with a delegate."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core.actions import add_service_errors, run_action
from portal.core.exceptions import ApplicationError

from .. import forms, selectors, services
from ..choices import ReviewerMove
from ..models import ReviewerAbsence
from ..permissions import REVIEW_OFFICES, is_head, may_record_absences, person_of

SERVICES = {
    ReviewerMove.TAKE: services.reviewer_take,
    ReviewerMove.RELEASE: services.reviewer_release,
    ReviewerMove.ASSIGN: services.reviewer_assign,
}


class _EmptyForm(forms.forms.Form):
    pass


@login_required
@require_POST
def reviewer_move(request, pk, move):
    selectors.agreement_detail(user=request.user, pk=pk)  # 404 for cases the user may not see
    service = SERVICES[move]
    form = forms.ReviewerAssignForm(request.POST) if move == ReviewerMove.ASSIGN else _EmptyForm(request.POST)
    messages_by_move = {
        ReviewerMove.TAKE: _("Tomó el expediente; ahora aparece en «Míos»."),
        ReviewerMove.RELEASE: _("El expediente quedó sin asignar."),
        ReviewerMove.ASSIGN: _("Expediente asignado."),
    }
    kwargs = (lambda data: {"reviewer_id": data["reviewer"]}) if move == ReviewerMove.ASSIGN else (lambda data: {})
    return run_action(
        request,
        form=form,
        perform=lambda data: service(user=request.user, agreement_id=pk, **kwargs(data)),
        success_message=messages_by_move[move],
        redirect_to=reverse("agreements:agreement_detail", args=[pk]),
    )


@login_required
def reviewer_absences(request):
    """A reviewer records their own absence; an office head anyone's in the office."""
    if not may_record_absences(request.user):
        raise PermissionDenied
    person = person_of(request.user)
    offices = sorted(person.offices & REVIEW_OFFICES)
    office = offices[0]
    members = list(services.office_members(office))
    head = is_head(person, office)
    form = forms.ReviewerAbsenceForm(request.POST or None, initial={"reviewer": request.user.pk})
    if request.method == "POST" and form.is_valid():
        try:
            services.reviewer_absence_record(
                user=request.user,
                reviewer_id=form.cleaned_data["reviewer"],
                delegate_id=form.cleaned_data["delegate"],
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
            )
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Ausencia registrada."))
            return redirect("agreements:reviewer_absences")
    current = (
        ReviewerAbsence.objects.filter(reviewer__in=members, ends_on__gte=timezone.localdate())
        .select_related("reviewer", "delegate")
        .order_by("starts_on", "id")
    )
    return render(
        request,
        "agreements/reviewer_absences.html",
        {
            "form": form,
            "members": members,
            "head": head,
            "absences": current,
            "breadcrumbs": [(_("Ausencias de revisores"), None)],
        },
        status=400 if request.method == "POST" else 200,
    )
