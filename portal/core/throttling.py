"""Who is asking: the client's address behind the trusted proxies, and the API's request rates.

One setting, ``TRUSTED_PROXY_COUNT``, says how many reverse proxies of ours stand in front of the portal.
Each appends the address it received the request from to ``X-Forwarded-For``, so the client is the
N-th entry from the right; anything further left was written by the client and is ignored. With 0 (no
proxy) ``X-Forwarded-For`` is ignored altogether. The login limiter (allauth, through the account adapter)
and the API throttles use this one function.
"""

import ipaddress

from django.conf import settings
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle


def client_ip(request) -> str:
    """The client's address as our own proxies saw it (see the module doc)."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [a.strip() for a in request.headers.get("x-forwarded-for", "").split(",") if a.strip()]
    if not forwarded:
        return remote  # did not come through the proxy
    candidate = forwarded[-min(count, len(forwarded))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


class _PortalRates:
    """Rates read from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` when a throttle is built (DRF reads
    them once, at import), the client told apart by ``client_ip``."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        return client_ip(request)


class AnonymousThrottle(_PortalRates, AnonRateThrottle):
    """Anonymous API use, per client address (scope ``anon``)."""


class SignedInThrottle(_PortalRates, UserRateThrottle):
    """Signed-in API use, per account, whichever its address or token (scope ``user``).

    An anonymous request is ``AnonymousThrottle``'s alone: DRF's ``UserRateThrottle`` would also count it per
    address under this scope, two more cache round trips per anonymous request for a limit the stricter ``anon``
    rate reaches first."""

    def allow_request(self, request, view):
        if not request.user.is_authenticated:
            return True
        return super().allow_request(request, view)


class AddressScopedThrottle(_PortalRates, ScopedRateThrottle):
    """A view's own rate (its ``throttle_scope``) per client address, signed in or not.

    HTML pages share a scope's allowance with the API through :func:`page_throttle_wait`. The counters live
    in the default cache, which falls back to process memory when Redis cannot be reached (``core.cache``).
    """

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class _PageView:
    def __init__(self, scope: str):
        self.throttle_scope = scope


def page_throttle_wait(request, scope: str) -> int | None:
    """Count one use of ``scope`` by this client; the seconds to wait when over its rate, else None."""
    throttle = AddressScopedThrottle()
    if throttle.allow_request(request, _PageView(scope)):
        return None
    return max(1, int(throttle.wait() or 1))
