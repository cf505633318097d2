"""Writes on accounts: API tokens (issued to accounts with TOTP, expiring, revoked by their owner)."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from knox.models import AuthToken

from portal.core.exceptions import Conflict, NotFound, PermissionDenied

from .mfa import user_may_hold_token
from .models import User


def api_token_create(*, user) -> tuple[AuthToken, str]:
    """A new token for ``user`` and its secret (shown once: only a hash is stored).

    Only accounts with two-step verification get one, at most ``REST_KNOX["TOKEN_LIMIT_PER_USER"]`` alive.
    """
    if not user_may_hold_token(user):
        raise PermissionDenied(
            _("Para obtener un token de la API, configure primero la verificación en dos pasos."),
            code="mfa_required",
        )
    limit = settings.REST_KNOX["TOKEN_LIMIT_PER_USER"]
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one creation at a time per account
        AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
        if AuthToken.objects.filter(user=user).count() >= limit:
            raise Conflict(
                ngettext(
                    "Ya tiene %(limit)s token vigente: revóquelo antes de crear otro.",
                    "Ya tiene %(limit)s tokens vigentes: revoque uno antes de crear otro.",
                    limit,
                )
                % {"limit": limit},
                code="token_limit",
            )
        return AuthToken.objects.create(user=user, expiry=settings.REST_KNOX["TOKEN_TTL"])


def api_token_revoke(*, user, token_key: str) -> None:
    """Revoke one of ``user``'s own tokens; another person's token, or none, is a 404."""
    deleted, _counts = AuthToken.objects.filter(user=user, token_key=token_key).delete()
    if not deleted:
        raise NotFound()
