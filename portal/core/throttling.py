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
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


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
    """Signed-in API use, per account, whichever its address or token (scope ``user``)."""
