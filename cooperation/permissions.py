"""Who may name a government's focal point, and who may read contact details."""

from portal.geography.government import Government, user_government
from portal.institutions.choices import Role

STAFF_ROLES = {Role.LOCAL, Role.DGCP, Role.CJA, Role.ADMIN}


def user_can_manage_focal_point(user, government: Government) -> bool:
    if not user.is_authenticated or not user.has_perm("cooperation.change_focalpoint"):
        return False
    if user.is_superuser:
        return True
    own = user_government(user)
    return own is not None and (own.kind, own.code) == (government.kind, government.code)


def user_can_see_contacts(user) -> bool:
    """Personal contact data is for signed-in staff, never for anonymous visitors or analysts."""
    return bool(user.is_authenticated and (user.is_superuser or user.roles & STAFF_ROLES))
