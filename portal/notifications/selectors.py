from .models import Notification


def notifications_of(user):
    """The person's own notices, newest first, with what rendering them in the reader's language reads."""
    return Notification.objects.filter(recipient=user).select_related("agreement__institution")
