"""The owner's page for API tokens: create one (shown once), see the valid ones, revoke any."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import defaults
from django.views import i18n as i18n_views
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portal.core.exceptions import ApplicationError, NotFound

from . import selectors, services
from .choices import Role
from .forms import AccessDecisionForm, AccessRequestForm
from .mfa import user_may_hold_token
from .models import Institution
from .permissions import user_can_review_access_requests


@login_required
def account(request):
    """«Mi cuenta»: who the person is in the portal (office, roles) and where to manage e-mail, password,
    two-step verification and API tokens."""
    user = request.user
    return render(
        request,
        "institutions/account.html",
        {
            "role_labels": [Role(role).label for role in sorted(user.roles)],
            "breadcrumbs": [(_("Mi cuenta"), None)],
        },
    )


@never_cache
@login_required
def api_token_list(request):
    """The secret of a token just created is shown on this answer only (the page is not cached)."""
    secret = None
    if request.method == "POST":
        try:
            _token, secret = services.api_token_create(user=request.user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("institutions:api_token_list")
    return render(
        request,
        "institutions/apitoken_list.html",
        {
            "tokens": selectors.api_tokens_of(request.user),
            "secret": secret,
            "may_hold_token": user_may_hold_token(request.user),
            "ttl_days": settings.REST_KNOX["TOKEN_TTL"].days,
            "breadcrumbs": [(_("Tokens de la API"), None)],
        },
    )


@login_required
@require_POST
def api_token_revoke(request, token_key: str):
    try:
        services.api_token_revoke(user=request.user, token_key=token_key)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Token revocado: ya no da acceso a la API."))
    return redirect("institutions:api_token_list")


@login_required
def access_request(request):
    """A person without an office asks for one and for the role they need; the pending request is shown."""
    pending = selectors.pending_request_of(request.user)
    form = AccessRequestForm(request.POST or None)
    if request.method == "POST" and not pending and form.is_valid():
        try:
            services.access_request_submit(user=request.user, language=translation.get_language(), **form.cleaned_data)
        except ApplicationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request, _("Solicitud enviada. Le avisaremos por correo electrónico cuando la administración decida.")
            )
            return redirect("institutions:access_request")
    return render(
        request,
        "institutions/accessrequest_form.html",
        {"form": form, "pending": pending, "breadcrumbs": [(_("Solicitar acceso"), None)]},
    )


@login_required
def access_request_queue(request):
    if not user_can_review_access_requests(request.user):
        raise PermissionDenied
    return render(
        request,
        "institutions/accessrequest_list.html",
        {
            "requests": selectors.access_requests_for_review(request.user),
            "institutions": Institution.objects.order_by("name"),
            "breadcrumbs": [(_("Solicitudes de acceso"), None)],
        },
    )


@login_required
@require_POST
def access_request_decide(request, pk: int):
    form = AccessDecisionForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        if request.POST.get("decision") == "approve":
            done = services.access_request_approve(
                reviewer=request.user, request_id=pk, institution=data.get("institution")
            )
            messages.success(request, _("Acceso concedido a %(p)s.") % {"p": done.user})
        else:
            done = services.access_request_reject(reviewer=request.user, request_id=pk, reason=data.get("reason", ""))
            messages.success(request, _("Solicitud de %(p)s rechazada.") % {"p": done.user})
    except NotFound as exc:
        raise Http404 from exc
    except ApplicationError as exc:
        details = " ".join(str(m) for messages_ in exc.field_errors.values() for m in messages_)
        messages.error(request, f"{exc.message} {details}".strip())
    return redirect("institutions:access_request_queue")


def _add_errors(form, exc) -> None:
    for field, errors in exc.field_errors.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)
    if not exc.field_errors:
        form.add_error(None, exc.message)


def permission_denied(request, exception=None):
    """403. A signed-in person without an office (a new, self-registered account) is shown how to get access
    rather than a bare refusal."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.institution_id is None and not user.is_staff:
        context = {"pending": selectors.pending_request_of(user), "breadcrumbs": [(_("Cómo obtener acceso"), None)]}
        return render(request, "institutions/no_access.html", context, status=403)
    return defaults.permission_denied(request, exception)


def language_set(request):
    """Django's language selector (``set_language``), which also records the choice as the signed-in person's
    preferred language, the one their e-mail is written in."""
    response = i18n_views.set_language(request)
    if request.method == "POST" and request.user.is_authenticated:
        services.user_language_set(user=request.user, language=request.POST.get("language", ""))
    return response
