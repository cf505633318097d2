from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.actions import add_service_errors
from portal.core.exceptions import ApplicationError
from portal.core.listviews import FilteredListView, Keyset

from . import selectors, services
from .filtersets import MigrantOfficeFilterSet
from .forms import MigrantOfficeForm
from .permissions import user_can_edit_office


class OfficeListView(FilteredListView):
    template_name = "migrants/migrantoffice_list.html"
    filterset_class = MigrantOfficeFilterSet
    keyset = Keyset(("institution__level", "state_key", "institution__name"), (str, str, str))  # the name is unique
    page_size = 50
    form_fields = ("level", "institutional_form", "population", "service", "has_offices_abroad")
    breadcrumbs = ((gettext_lazy("Oficinas de atención a migrantes"), None),)

    def get_queryset(self):
        return selectors.office_directory()


office_list = OfficeListView.as_view()


def office_detail(request, pk):
    office = selectors.office_detail(pk=pk)
    return render(
        request,
        "migrants/migrantoffice_detail.html",
        {
            "office": office,
            "history": selectors.office_history(office=office, limit=50),
            "legacy_history": selectors.office_legacy_audit(office)[:50],
            "can_edit": user_can_edit_office(request.user, office),
            "breadcrumbs": [
                (_("Oficinas de atención a migrantes"), reverse("migrants:office_list")),
                (office.institution.name, None),
            ],
        },
    )


@login_required
def office_edit(request, pk):
    office = selectors.office_detail(pk=pk)
    if not user_can_edit_office(request.user, office):
        raise DjangoPermissionDenied
    form = MigrantOfficeForm(request.POST or None, initial=MigrantOfficeForm.initial_for(office))
    if request.method == "POST" and form.is_valid():
        try:
            services.migrant_office_update(user=request.user, office_id=office.pk, data=form.cleaned_data)
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Datos de la oficina actualizados y confirmados."))
            return redirect("migrants:office_detail", pk=office.pk)
    return render(
        request,
        "migrants/migrantoffice_form.html",
        {
            "office": office,
            "form": form,
            "breadcrumbs": [
                (_("Oficinas de atención a migrantes"), reverse("migrants:office_list")),
                (office.institution.name, reverse("migrants:office_detail", args=[office.pk])),
                (_("Actualizar"), None),
            ],
        },
        status=400 if request.method == "POST" else 200,
    )
