"""At sign-in the person's preferred language (their e-mail's) follows the interface they signed in with: the
language they chose with the selector (its cookie), else, the first time, the one their browser asked for.

Cache invalidation: who holds a permission (``selectors.permission_holder_ids``) changes with an account's
activity, its groups, a group's permissions, or a deletion."""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .models import User
from .selectors import forget_permission_holders
from .services import user_language_set


@receiver(user_logged_in, dispatch_uid="institutions.language_at_sign_in")
def language_at_sign_in(sender, request, user, **kwargs):
    if request is None:
        return
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if chosen:
        user_language_set(user=user, language=chosen)
    elif not user.language:
        user_language_set(user=user, language=getattr(request, "LANGUAGE_CODE", ""))


@receiver(post_save, sender=User, dispatch_uid="institutions.holders_account_saved")
def holders_account_saved(sender, instance, created, update_fields=None, raw=False, **kwargs):
    """A new account holds nothing until it is given a group; a save that leaves ``is_active`` alone (the last
    sign-in, the language) changes no holder."""
    if not created and (update_fields is None or "is_active" in update_fields):
        forget_permission_holders()


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="institutions.holders_groups_changed")
@receiver(m2m_changed, sender=Group.permissions.through, dispatch_uid="institutions.holders_permissions_changed")
def holders_memberships_changed(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        forget_permission_holders()


@receiver(post_delete, sender=User, dispatch_uid="institutions.holders_account_deleted")
@receiver(post_delete, sender=Group, dispatch_uid="institutions.holders_group_deleted")
@receiver(post_delete, sender=Permission, dispatch_uid="institutions.holders_permission_deleted")
@receiver(post_save, sender=Permission, dispatch_uid="institutions.holders_permission_saved")
def holders_rows_changed(sender, **kwargs):
    forget_permission_holders()
