from django.conf import settings

from agreements.followup.permissions import user_can_view_all_followup
from agreements.permissions import may_decide_termination

# Each language named in itself, as a language selector should (Django's own name for es-mx is «español de Mexico»).
LANGUAGE_NAMES = {"es-mx": "Español (México)", "en": "English"}


def portal(request):
    """Navigation entries the signed-in user may use (drawn from the same permissions the services check)."""
    user = getattr(request, "user", None)
    nav = {}
    if user is not None and user.is_authenticated:
        nav = {
            "file": user.has_perm("agreements.file_agreement"),
            "cja": user.has_perm("agreements.issue_dictamen"),
            "dgcp": user.has_perm("agreements.approve_dictamen"),
            "terminations": may_decide_termination(user),
            "followup": user_can_view_all_followup(user),
            "admin": user.is_staff,
        }
    return {
        "portal_nav": nav,
        "portal_demo_mode": not settings.PRODUCTION,
        "portal_language_names": [(code, LANGUAGE_NAMES.get(code, code)) for code, _name in settings.LANGUAGES],
    }
