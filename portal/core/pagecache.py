"""Whole public pages cached for anonymous visitors (issue #14): the public registry is read-mostly, and most of
its visitors are signed out and ask for the same lists, searches and statistics.

A response is served from the cache, or stored in it, only when all of these hold:

* the request is a GET (or a HEAD, served only: a HEAD stores nothing), with no ``Authorization`` header (an API
  token), no signed-in user (who may see a different header, drafts, buttons) and no message waiting to be shown
  (the messages framework would show it on the page);
* the response is a 200, not streamed, of one of the content types the page allows, that sets no cookie and does
  not say ``Cache-Control: no-store`` (a page standing in for figures still being counted, which reloads itself).

The key names the page, the version of the data it shows (``version()``: for the registry, the version every
registry write bumps, so that no visitor is served a page older than the last publish, amendment, termination or
import; for the profiles, the version a committed write to what they show bumps, ``portal.geography.profiles``),
today's date (what "vence el…" and the expiry labels say depends on it), the language of the request, the
negotiated format (an API) and the full path with its query string as sent.

What differs from one visitor to the next is never stored: the view's response is stored before the middleware
adds the session's and CSRF's cookies, the ``Vary``, CSP and security headers (they are added again to the response
served from the cache). The one visitor-specific value a page renders, the CSRF token of the language form, is
stored as a placeholder and replaced by the visitor's own token when served (``get_token`` also makes the CSRF
middleware set the visitor's cookie when there is none, as rendering the form does).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

__all__ = [
    "anonymous_page_cache",
    "bump_version",
    "bump_versions",
    "cached_anonymous_response",
]

_CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_CSRF_PLACEHOLDER = b"\x00csrf-token\x00"
# Headers of the view's own response worth keeping (the middleware adds the others to each response served).
_KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Allow", "Link")


def bump_version(key: str) -> None:
    """Make every cached value keyed on the version under ``key`` unreachable (the next reader counts again)."""
    try:
        cache.incr(key)
    except ValueError:  # never set, or evicted: any value but the usual first one
        cache.set(key, 2, None)


def bump_versions(*keys: str) -> None:
    """``bump_version`` of each key, in one round trip when the cache can (``FallbackRedisCache.commit_writes``)."""
    commit_writes = getattr(cache, "commit_writes", None)
    if commit_writes is not None:
        commit_writes(list(keys), [])
        return
    for key in keys:
        bump_version(key)


def _django_request(request) -> HttpRequest:
    """Django's request under DRF's (DRF's ``Request`` wraps it as ``_request``)."""
    return getattr(request, "_request", request)


def _anonymous_reader(request) -> bool:
    """True when the response may be the one every signed-out visitor gets."""
    return (
        request.method in ("GET", "HEAD")
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.user.is_authenticated
        # ``len`` reads the waiting messages without marking them shown.
        and not len(messages.get_messages(_django_request(request)))
    )


def _key(name: str, version, variant: str, request) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"page:{name}:{version}:{timezone.localdate().isoformat()}:{get_language()}:{variant}:{path}"


def _stored(response) -> dict:
    content = _CSRF_INPUT.sub(rb"\g<1>" + _CSRF_PLACEHOLDER + rb"\g<2>", response.content)
    return {"content": content, "headers": {h: response[h] for h in _KEPT_HEADERS if h in response}}


def _served(stored: dict, request) -> HttpResponse:
    content = stored["content"]
    if _CSRF_PLACEHOLDER in content:
        content = content.replace(_CSRF_PLACEHOLDER, get_token(_django_request(request)).encode())
    return HttpResponse(content, headers=stored["headers"])


def cached_anonymous_response(
    request,
    respond: Callable[[], HttpResponse],
    *,
    name: str,
    version: Callable[[], object],
    content_types: tuple[str, ...] = ("text/html",),
    variant: str = "",
):
    """``respond()``'s response for this request, from the cache when an anonymous visitor already got it (see the
    module's docstring for when); ``variant`` separates responses the path does not (an API's negotiated format)."""
    # The lifetime (settings.PUBLIC_PAGE_CACHE_SECONDS) only bounds what an unversioned change (reference data, a
    # deploy's templates) may leave stale, and the memory the keys take; 0 turns the cache off.
    seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
    if seconds <= 0 or not _anonymous_reader(request):
        return respond()
    key = _key(name, version(), variant, request)
    stored = cache.get(key)
    if stored is not None:
        return _served(stored, request)
    response = respond()
    if request.method != "GET":
        return response

    def store(rendered):
        if (
            rendered.status_code == 200
            and not rendered.streaming
            and not rendered.cookies
            and "no-store" not in rendered.get("Cache-Control", "")
            and rendered.get("Content-Type", "").split(";")[0].strip() in content_types
        ):
            cache.set(key, _stored(rendered), seconds)

    if hasattr(response, "add_post_render_callback") and not response.is_rendered:
        response.add_post_render_callback(store)
    else:
        store(response)
    return response


def anonymous_page_cache(*, name: str, version: Callable[[], object], content_types: tuple[str, ...] = ("text/html",)):
    """A view decorator: :func:`cached_anonymous_response` for every request of the view."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            return cached_anonymous_response(
                request,
                lambda: view(request, *args, **kwargs),
                name=name,
                version=version,
                content_types=content_types,
            )

        return wrapped

    return decorator
