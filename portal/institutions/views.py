"""The owner's page for API tokens: create one (shown once), see the valid ones, revoke any."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portal.core.exceptions import ApplicationError

from . import selectors, services
from .choices import Role
from .mfa import user_may_hold_token


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
