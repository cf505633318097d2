from allauth.account.adapter import DefaultAccountAdapter

from .choices import Role
from .roles import group_for


class PortalAccountAdapter(DefaultAccountAdapter):
    """Self-registered people get the read-only analyst role; staff are created by administrators."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            user.groups.add(group_for(Role.ANALYST))
        return user
