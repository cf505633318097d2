from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .filtersets import NotificationFilterSet
from .forms import NotificationReadForm
from .selectors import notifications_of
from .services import notification_mark_read


@login_required
def notification_list(request):
    notices = NotificationFilterSet(request.GET, queryset=notifications_of(request.user)).qs
    page = Paginator(notices, 25).get_page(request.GET.get("page"))
    for notice in page:  # in the reader's language, from the event and its parameters
        notice.shown_subject, notice.shown_body = notice.rendered()
    return render(
        request,
        "notifications/notification_list.html",
        {"page": page, "breadcrumbs": [(_("Notificaciones"), None)]},
    )


@login_required
@require_POST
def notification_read(request):
    form = NotificationReadForm(request.POST)
    if not form.is_valid():  # "²" passed isdigit() and broke int(); an invalid id must not mark everything read
        messages.error(request, _("La notificación indicada no es válida."))
        return redirect("notifications:list")
    notification_mark_read(user=request.user, notification_id=form.cleaned_data["id"])
    return redirect("notifications:list")
