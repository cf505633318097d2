"""Reads on accounts: API tokens, access requests and who holds a permission."""

import uuid
from collections.abc import Iterable

from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone
from knox.models import AuthToken

from portal.core.queueing import on_commit

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


# Who holds each permission, cached for the workflow's notices (every automatic step tells the CJA or the DGCP).
# The cached value carries the generation it was read under; ``forget_permission_holders`` (signals: an account
# saved or deleted, its groups or a group's permissions changed) starts a new one, so a value read from the
# database before a change and stored after it is never used. The timeout bounds what a write that sends no
# signal (a queryset ``update()``, SQL by hand) can leave stale.
HOLDERS_CACHE_KEY = "institutions:permission_holders"
HOLDERS_GENERATION_KEY = "institutions:permission_holders:generation"
HOLDERS_CACHE_SECONDS = 300


def permission_holder_ids(permissions: Iterable[str]) -> frozenset[int]:
    """The ids of ``permission_holders`` of any of ``permissions`` (no filters), cached: one cache round trip
    when fresh."""
    permissions = sorted(set(permissions))
    found = cache.get_many([HOLDERS_CACHE_KEY, HOLDERS_GENERATION_KEY])
    generation = found.get(HOLDERS_GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        if not cache.add(HOLDERS_GENERATION_KEY, generation, timeout=None):
            generation = cache.get(HOLDERS_GENERATION_KEY)
    cached = found.get(HOLDERS_CACHE_KEY)
    holders = cached[1] if cached and cached[0] == generation else {}
    missing = [p for p in permissions if p not in holders]
    if missing:
        holders = {**holders, **{p: frozenset(permission_holders(p).values_list("pk", flat=True)) for p in missing}}
        cache.set(HOLDERS_CACHE_KEY, (generation, holders), HOLDERS_CACHE_SECONDS)
    return frozenset().union(*(holders[p] for p in permissions))


def forget_permission_holders() -> None:
    """Start a new generation of ``permission_holder_ids``: what was cached before is no longer read. Again once
    the change commits: a reader that cached the committed rows in between would otherwise keep them."""
    _new_holders_generation()
    on_commit(_new_holders_generation)


def _new_holders_generation() -> None:
    cache.set(HOLDERS_GENERATION_KEY, uuid.uuid4().hex, timeout=None)


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
