from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .mfa import user_lacks_required_mfa

SESSION_KEY = "portal_mfa_verified"


class RequireMFAMiddleware:
    """Sends reviewers and administrators without TOTP to the TOTP set-up page.

    The API (``/api/``) answers for itself: its authentication and permission classes refuse the same
    accounts, for sessions and tokens alike, with a 401/403 a script can read instead of a redirect.
    """

    allowed_prefixes = ("/cuentas/", "/accounts/", "/static/", "/healthz", "/i18n/", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.session.get(SESSION_KEY)
            and not request.path.startswith(self.allowed_prefixes)
        ):
            if user_lacks_required_mfa(user):
                messages.warning(
                    request,
                    _(
                        "Su función exige verificación en dos pasos. Configure una aplicación de autenticación para continuar."
                    ),
                )
                return redirect(reverse("mfa_activate_totp"))
            request.session[SESSION_KEY] = True
        return self.get_response(request)
