"""Who may decide on access requests: the one predicate used by the queue, its buttons and the services."""

from .choices import Level, Role


def user_can_review_access_requests(user) -> bool:
    """Administrators review requests: portal-wide without an office or with a federal one, otherwise those of
    their own state."""
    return bool(user.is_authenticated and (user.is_superuser or user.has_role(Role.ADMIN)))


def user_can_decide_access_request(user, access_request) -> bool:
    if not user_can_review_access_requests(user) or access_request.user_id == user.pk:
        return False
    office = user.institution
    if user.is_superuser or office is None or office.level == Level.FEDERAL:
        return True
    state_id = access_request.institution.state_id if access_request.institution_id else access_request.state_id
    return state_id == office.state_id
