"""Test settings: only overrides of ``base``."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
STORAGES["default"]["OPTIONS"]["location"] = str(BASE_DIR / "var" / "test-documents")  # noqa: F405
MEDIA_ROOT = STORAGES["default"]["OPTIONS"]["location"]  # noqa: F405
ACCOUNT_RATE_LIMITS = {**ACCOUNT_RATE_LIMITS, "login": False}  # noqa: F405
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None}}  # noqa: F405

# A fresh key prefix per run: rate-limit counters never leak between tests or runs on a shared Redis.
CACHES = {**CACHES, "default": {**CACHES["default"], "KEY_PREFIX": f"test-{__import__('uuid').uuid4().hex[:12]}"}}  # noqa: F405
