import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal.core.listviews import FilteredListView, Keyset

from .filtersets import NotificationFilterSet
from .forms import NotificationReadForm
from .selectors import notifications_of
from .services import notification_mark_read


class NotificationListView(FilteredListView):
    """The reader's notices, newest first (``?read=false``: the unread ones)."""

    template_name = "notifications/notification_list.html"
    filterset_class = NotificationFilterSet
    keyset = Keyset(("created_at", "id"), (dt.datetime, int), descending=True)
    breadcrumbs = ((gettext_lazy("Notificaciones"), None),)

    def get_queryset(self):
        return notifications_of(self.request.user)

    def get_context_data(self, **context):
        context = super().get_context_data(**context)
        for notice in context["page"]:  # in the reader's language, from the event and its parameters
            notice.shown_subject, notice.shown_body = notice.rendered()
        return context


notification_list = login_required(NotificationListView.as_view())


@login_required
@require_POST
def notification_read(request):
    form = NotificationReadForm(request.POST)
    if not form.is_valid():  # "²" passed isdigit() and broke int(); an invalid id must not mark everything read
        messages.error(request, _("La notificación indicada no es válida."))
        return redirect("notifications:list")
    notification_mark_read(user=request.user, notification_id=form.cleaned_data["id"])
    return redirect("notifications:list")
