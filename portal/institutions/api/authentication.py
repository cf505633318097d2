"""The API's ways in: expiring, revocable tokens (django-rest-knox) and the browser session, each
refusing an account whose role requires the second factor when it has none (see ``mfa.py``)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import BasePermission

from ..mfa import user_lacks_required_mfa

MFA_REQUIRED_MESSAGE = _("Su función exige verificación en dos pasos: configúrela en el portal antes de usar la API.")


class MFATokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``; expired or revoked tokens are refused (401), and so are the tokens of
    an account whose role requires TOTP and that has none (it was removed, or the role changed)."""

    def validate_user(self, auth_token):
        user, token = super().validate_user(auth_token)
        if user_lacks_required_mfa(user):
            raise exceptions.AuthenticationFailed(MFA_REQUIRED_MESSAGE, code="mfa_required")
        return user, token


class MFASessionAuthentication(SessionAuthentication):
    """The browser session (with CSRF), under the same second-factor requirement as tokens."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None and user_lacks_required_mfa(result[0]):
            raise exceptions.PermissionDenied(MFA_REQUIRED_MESSAGE, code="mfa_required")
        return result


class HasRequiredSecondFactor(BasePermission):
    """Second line, for any authentication class a view might name itself: no action without TOTP when
    the account's role requires it."""

    message = MFA_REQUIRED_MESSAGE
    code = "mfa_required"

    def has_permission(self, request, view):
        user = request.user
        return not (user and user.is_authenticated and user_lacks_required_mfa(user))


class MFATokenScheme(OpenApiAuthenticationExtension):
    """The token scheme in the OpenAPI schema (``tokenAuth``: ``Authorization: Token <key>``)."""

    target_class = MFATokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Token")


class MFASessionScheme(SessionScheme):
    target_class = MFASessionAuthentication
