"""Who must use the second factor (TOTP), who may hold an API token, and allauth's MFA hooks.

The same rules are applied by the HTML middleware (``middleware.RequireMFAMiddleware``), by the API's
authentication and permission classes (``api/authentication.py``) and when a token is issued
(``services.api_token_create``): a session and a token are two ways in with one requirement.
"""

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings


def _demo_exempt(user) -> bool:
    """Demo accounts (published password) skip the second factor, and only outside production."""
    return user.is_demo and not settings.PRODUCTION


def user_requires_mfa(user) -> bool:
    """DGCP, CJA and administrator accounts must use TOTP; demo accounts are exempt outside production."""
    if not user.is_authenticated or _demo_exempt(user):
        return False
    return user.is_superuser or bool(user.roles & set(settings.PORTAL_MFA_REQUIRED_ROLES))


def user_has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def user_lacks_required_mfa(user) -> bool:
    """True when the account's role demands TOTP and it has none: it may not act, by session or token.

    Decided once per request (the user object lives as long as the request)."""
    if not hasattr(user, "_lacks_required_mfa"):
        user._lacks_required_mfa = user_requires_mfa(user) and not user_has_totp(user)
    return user._lacks_required_mfa


def user_may_hold_token(user) -> bool:
    """An API token outlives the session that created it: only accounts with TOTP get one (of any role)."""
    return user.is_authenticated and user.is_active and (_demo_exempt(user) or user_has_totp(user))


class PortalMFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """A role that requires TOTP cannot switch it off (it could replace it, then remove the old one)."""
        if authenticator.type != Authenticator.Type.TOTP or not user_requires_mfa(authenticator.user):
            return True
        return (
            Authenticator.objects.filter(user=authenticator.user, type=Authenticator.Type.TOTP)
            .exclude(pk=authenticator.pk)
            .exists()
        )
