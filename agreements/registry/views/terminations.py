"""Terminations of registered agreements: the office's notice and the CJA's queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agreements.permissions import may_decide_termination, may_request_termination
from portal.core.actions import add_service_errors
from portal.core.exceptions import ApplicationError

from .. import forms, selectors, services
from ..models import Termination


@login_required
def termination_create(request, registry_number):
    entry = selectors.registry_entry_detail(registry_number=registry_number)
    if not may_request_termination(request.user, entry):
        raise PermissionDenied
    form = forms.TerminationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.termination_request(
                user=request.user,
                entry=entry,
                terminated_on=form.cleaned_data["terminated_on"],
                reason=form.cleaned_data["reason"],
                notice_letter=form.cleaned_data["notice_letter"],
            )
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Se envió la terminación a la Consultoría Jurídica; el registro cambiará cuando la confirme."),
            )
            return redirect("agreements:registry_detail", registry_number=entry.registry_number)
    detail_url = reverse("agreements:registry_detail", args=[entry.registry_number])
    return render(
        request,
        "registry/termination_form.html",
        {
            "form": form,
            "entry": entry,
            "breadcrumbs": [
                (_("Registro público"), reverse("agreements:registry_list")),
                (entry.registry_number, detail_url),
                (_("Notificar terminación"), None),
            ],
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def termination_queue(request):
    if not may_decide_termination(request.user):
        raise PermissionDenied
    return render(
        request,
        "registry/termination_queue.html",
        {
            "pending": selectors.terminations_pending(),
            "decided": selectors.terminations_decided(),
            "return_form": forms.TerminationReturnForm(),
            "breadcrumbs": [(_("Registro público"), reverse("agreements:registry_list")), (_("Terminaciones"), None)],
        },
    )


@login_required
@require_POST
def termination_confirm(request, pk):
    try:
        services.termination_confirm(user=request.user, termination_id=pk)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Terminación confirmada: el registro muestra el acuerdo como terminado."))
    return redirect("agreements:termination_queue")


@login_required
@require_POST
def termination_return(request, pk):
    form = forms.TerminationReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indique el motivo de la devolución."))
        return redirect("agreements:termination_queue")
    try:
        services.termination_return(user=request.user, termination_id=pk, reason=form.cleaned_data["return_reason"])
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Terminación devuelta a la oficina."))
    return redirect("agreements:termination_queue")


@login_required
def termination_notice(request, pk):
    termination = get_object_or_404(Termination.objects.select_related("entry"), pk=pk)
    if not (may_decide_termination(request.user) or may_request_termination(request.user, termination.entry)):
        raise PermissionDenied
    return FileResponse(
        termination.notice_letter.open("rb"),
        as_attachment=True,
        filename=termination.notice_name,
        content_type="application/pdf",
    )
