import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal.core.actions import add_service_errors
from portal.core.exceptions import ApplicationError
from portal.core.listviews import FilteredListView, Keyset
from portal.geography.government import get_government

from . import selectors, services
from .filtersets import FocalPointFilterSet, PartnershipFilterSet
from .forms import FocalPointForm
from .permissions import user_can_manage_focal_point, user_can_see_contacts


def _profile_url(government):
    name = "geography:state_detail" if government.kind == "state" else "geography:municipality_detail"
    return reverse(name, args=[government.code])


class PartnershipListView(FilteredListView):
    template_name = "cooperation/partnership_list.html"
    filterset_class = PartnershipFilterSet
    keyset = Keyset(("organisation__name", "institution__name", "id"), (str, str, int))
    page_size = 50
    form_fields = ("q", "state", "organisation_kind", "instrument", "status")
    breadcrumbs = ((gettext_lazy("Cooperación"), None),)

    def get_queryset(self):
        return selectors.partnership_list()

    def get_context_data(self, **context):
        return {
            **super().get_context_data(**context),
            "organisations": selectors.organisation_list(),
            "networks": selectors.network_list(),
        }


partnership_list = PartnershipListView.as_view()


def partnership_detail(request, pk):
    partnership = get_object_or_404(selectors.partnership_list().with_values(), pk=pk)
    return render(
        request,
        "cooperation/partnership_detail.html",
        {
            "partnership": partnership,
            "breadcrumbs": [(_("Cooperación"), reverse("cooperation:partnership_list")), (partnership.title, None)],
        },
    )


class FocalPointListView(FilteredListView):
    """Current focal points first, then the latest designations (filtered by the query string, as the API)."""

    template_name = "cooperation/focalpoint_list.html"
    filterset_class = FocalPointFilterSet
    keyset = Keyset(("is_current", "designated_on", "id"), (bool, dt.date, int), descending=True)
    page_size = 50
    breadcrumbs = ((gettext_lazy("Puntos focales"), None),)

    def get_queryset(self):
        return selectors.focal_point_list()

    def get_context_data(self, **context):
        return {**super().get_context_data(**context), "show_contacts": user_can_see_contacts(self.request.user)}


focal_point_list = FocalPointListView.as_view()


@login_required
def focal_point_assign(request, kind, code):
    government = get_government(kind, code)
    if not user_can_manage_focal_point(request.user, government):
        raise DjangoPermissionDenied
    form = FocalPointForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "designation_document"}
        try:
            services.focal_point_assign(
                user=request.user,
                government=government,
                data=data,
                document=form.cleaned_data.get("designation_document"),
            )
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Punto focal designado. El anterior queda en el historial."))
            return redirect(_profile_url(government))
    return render(
        request,
        "cooperation/focalpoint_form.html",
        {
            "government": government,
            "form": form,
            "current": selectors.focal_point_for(government),
            "history": selectors.focal_point_history(government),
            "breadcrumbs": [(government.name, _profile_url(government)), (_("Punto focal"), None)],
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def focal_point_confirm(request, kind, code):
    government = get_government(kind, code)
    try:
        services.focal_point_confirm(user=request.user, government=government)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Punto focal confirmado para la administración en curso."))
    return redirect(_profile_url(government))


def change_of_administration(request):
    return render(
        request,
        "cooperation/change_of_administration.html",
        {
            "rows": selectors.handover_pending(),
            "breadcrumbs": [(_("Cambio de administración"), None)],
        },
    )
