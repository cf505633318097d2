from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portal.core.throttling import client_ip

from .choices import Role
from .roles import group_for


class PortalAccountAdapter(DefaultAccountAdapter):
    """Self-registered people get the read-only analyst role; staff are created by administrators."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            user.groups.add(group_for(Role.ANALYST))
        return user

    def send_mail(self, template_prefix, email, context):
        """allauth's e-mails name the portal (never the host the request came to: «127.0.0.1:8201»)."""
        site = SimpleNamespace(name=_("Portal de Acuerdos Interinstitucionales"), domain=settings.PORTAL_BASE_URL)
        return super().send_mail(template_prefix, email, {**context, "current_site": site})

    def get_client_ip(self, request) -> str:
        """The address behind our trusted proxies (``TRUSTED_PROXY_COUNT``), for every rate limit."""
        return client_ip(request)

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """Failed logins are counted per account *and* client address (``login_failed``'s ``key`` rate)."""
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}:{client_ip(request)}"
