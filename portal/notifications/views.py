from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .services import notification_mark_read


@login_required
def notification_list(request):
    page = Paginator(request.user.notifications.all(), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/notification_list.html",
        {"page": page, "breadcrumbs": [(_("Notificaciones"), None)]},
    )


@login_required
@require_POST
def notification_read(request):
    notification_mark_read(
        user=request.user, notification_id=int(request.POST["id"]) if request.POST.get("id", "").isdigit() else None
    )
    return redirect("notifications:list")
