"""At sign-in the person's preferred language (their e-mail's) follows the interface they signed in with: the
language they chose with the selector (its cookie), else, the first time, the one their browser asked for."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

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
