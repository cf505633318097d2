"""Reads on accounts."""

from django.utils import timezone
from knox.models import AuthToken


def api_tokens_of(user):
    """The account's tokens still valid, newest first (expired ones no longer authenticate)."""
    return AuthToken.objects.filter(user=user, expiry__gt=timezone.now()).order_by("-created")
