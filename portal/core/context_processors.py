from django.conf import settings


def portal(request):
    """Navigation entries the signed-in user may use (drawn from the same permissions the services check)."""
    user = getattr(request, "user", None)
    nav = {}
    if user is not None and user.is_authenticated:
        nav = {
            "file": user.has_perm("agreements.file_agreement"),
            "cja": user.has_perm("agreements.issue_dictamen"),
            "dgcp": user.has_perm("agreements.approve_dictamen"),
            "admin": user.is_staff,
        }
    return {"portal_nav": nav, "portal_demo_mode": not settings.PRODUCTION}
