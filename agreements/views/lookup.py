"""Public status by folio (no login): ``/consulta/``, the page beside ``GET /api/v1/lookup/{folio}/``."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from portal.core.throttling import page_throttle_wait

from .. import forms, selectors

LOOKUP_SCOPE = "lookup"  # the same allowance as the API's, per client address


def case_lookup(request):
    form = forms.CaseLookupForm(request.GET if "folio" in request.GET else None)
    context = {"form": form, "result": None, "breadcrumbs": [(_("Consulta por folio"), None)]}
    status = 200
    if form.is_bound:
        wait = page_throttle_wait(request, LOOKUP_SCOPE)
        if wait is not None:
            context["retry_after"] = wait
            response = render(request, "agreements/case_lookup.html", context, status=429)
            response["Retry-After"] = str(wait)
            return response
        if form.is_valid():
            context["result"] = selectors.case_lookup(form.cleaned_data["folio"])
            if context["result"] is None:
                form.add_error(
                    "folio",
                    _("No hay una solicitud enviada con el folio %(folio)s.") % {"folio": form.cleaned_data["folio"]},
                )
                status = 404
        else:
            status = 400
    return render(request, "agreements/case_lookup.html", context, status=status)
