"""Reads on accounts: API tokens, access requests and who holds a permission."""

from django.db.models import Q
from django.utils import timezone
from knox.models import AuthToken

from .choices import AccessRequestStatus, Level
from .models import AccessRequest, User
from .permissions import user_can_review_access_requests


def permission_holders(permission: str, **filters):
    """Active accounts whose groups grant ``permission`` (``"app_label.codename"``), narrowed by ``filters`` (for
    instance ``institution_id=``); unordered."""
    app_label, codename = permission.split(".")
    return User.objects.filter(
        is_active=True,
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=app_label,
        **filters,
    ).distinct()


def api_tokens_of(user):
    """The account's tokens still valid, newest first (expired ones no longer authenticate)."""
    return AuthToken.objects.filter(user=user, expiry__gt=timezone.now()).order_by("-created")


def pending_request_of(user) -> AccessRequest | None:
    return AccessRequest.objects.filter(user=user, status=AccessRequestStatus.PENDING).first()


def access_requests_for_review(user):
    """Pending requests the administrator may decide, oldest first (a state's administrator sees that state's)."""
    if not user_can_review_access_requests(user):
        return AccessRequest.objects.none()
    qs = AccessRequest.objects.filter(status=AccessRequestStatus.PENDING).select_related(
        "user", "institution", "institution__state", "state"
    )
    office = user.institution
    if not (user.is_superuser or office is None or office.level == Level.FEDERAL):
        qs = qs.filter(Q(institution__state_id=office.state_id) | Q(institution__isnull=True, state_id=office.state_id))
    return qs.exclude(user=user)
