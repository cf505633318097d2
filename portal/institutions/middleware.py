from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

SESSION_KEY = "portal_mfa_verified"


def user_requires_mfa(user) -> bool:
    """DGCP, CJA and administrator accounts must use TOTP; demo accounts are exempt outside production."""
    if not user.is_authenticated or (user.is_demo and not settings.PRODUCTION):
        return False
    return user.is_superuser or bool(user.roles & set(settings.PORTAL_MFA_REQUIRED_ROLES))


def user_has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RequireMFAMiddleware:
    """Sends reviewers and administrators without TOTP to the TOTP set-up page."""

    allowed_prefixes = ("/cuentas/", "/accounts/", "/static/", "/healthz", "/i18n/")

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
            if user_requires_mfa(user) and not user_has_totp(user):
                messages.warning(
                    request,
                    _(
                        "Su función exige verificación en dos pasos. Configure una aplicación de autenticación para continuar."
                    ),
                )
                return redirect(reverse("mfa_activate_totp"))
            request.session[SESSION_KEY] = True
        return self.get_response(request)
