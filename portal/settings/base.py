"""Settings for every environment.

This is the one module that reads the process environment. With nothing set the
portal runs on an embedded SQLite database with Celery tasks executed in-process
(eager); ``PORTAL_ENV=production`` demands the real services and refuses to start
without them.
"""

import datetime as dt
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from portal.env import Env

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = Env()

# --- Mode -----------------------------------------------------------------
PORTAL_ENV = env.choice("PORTAL_ENV", ("development", "production"), default="development")
PRODUCTION = PORTAL_ENV == "production"
DEBUG = env.bool("DJANGO_DEBUG", default=not PRODUCTION)

if PRODUCTION:
    missing = [name for name in ("SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS") if not env.str(name)]
    if missing:
        raise ImproperlyConfigured(
            "PORTAL_ENV=production requires these environment variables: "
            + ", ".join(missing)
            + ". See README.md, section 'Variables de entorno'."
        )

SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-development-only-key-do-not-use-in-prod")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Applications ---------------------------------------------------------
INSTALLED_APPS = [
    # django.contrib.admin with the portal's admin site (portal/core/admin_site.py).
    "portal.core.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    # API tokens stored as hashes, with an expiry, several per account, revocable (django-rest-knox).
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "simple_history",
    "portal.core",
    "portal.geography",
    "portal.institutions",
    "portal.audit",
    "portal.notifications",
    "agreements",
    "agreements.registry",
    "agreements.followup",
    "migrants",
    "cooperation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Who made a change, for the history of offices, focal points and partnerships (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.institutions.middleware.RequireMFAMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.core.context_processors.portal",
                "portal.notifications.context_processors.unread",
            ],
            "builtins": ["portal.core.templatetags.portal_tags"],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASE_URL = env.str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env.int("CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # PostgreSQL's JIT compiles a statement whose estimated cost is high, which the portal's bounded statements often
    # are on paper (a search sought year by year is costed as if it read every year): 20-40 ms of compiling for a
    # statement that runs in a few. Off unless POSTGRES_JIT=on. work_mem: a search combined with a state builds
    # bitmaps of ~100,000 entries at 1,000,000, which the server's default 4 MB turns lossy (every row of 4,360
    # blocks checked again: 211 ms where 16 MB keeps them exact).
    options = DATABASES["default"].setdefault("OPTIONS", {})
    jit = "on" if env.bool("POSTGRES_JIT", False) else "off"
    work_mem = env.str("POSTGRES_WORK_MEM", default="16MB")
    # random_page_cost: the server's 4 prices a page read out of order as a disk seek; the portal's data sits in
    # memory or on SSD, where 1.1 is the usual value. At 4 a search with a state («educacion» in Jalisco) built the
    # bitmaps of 173,614 entries of the word and 74,758 of the state to count 101 of them (60 ms at 1,000,000
    # entries); at 1.1 it walks the state's entries and stops at 101 (3 ms).
    random_page_cost = env.str("POSTGRES_RANDOM_PAGE_COST", default="1.1")
    options["options"] = (
        f"{options.get('options', '')} -c jit={jit} -c work_mem={work_mem} -c random_page_cost={random_page_cost}"
    ).strip()
USING_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
# The covering (INCLUDE) indexes are a PostgreSQL optimisation; SQLite simply builds them without it.
SILENCED_SYSTEM_CHECKS = [] if USING_POSTGRES else ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, broker and Celery --------------------------------------------
REDIS_URL = env.str("REDIS_URL")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache that degrades to this process's memory while Redis is unreachable (the cache
            # is an optimisation: a Redis outage never fails a request); /healthz still reports it.
            "BACKEND": "portal.core.cache.FallbackRedisCache",
            "LOCATION": REDIS_URL,
            # Portals sharing one Redis never read each other's cached statistics.
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default=f"aii:{DATABASES['default']['NAME']}"),
            "OPTIONS": {
                # A Redis that does not answer costs a request at most this long, once per RETRY_SECONDS.
                "socket_connect_timeout": 1,
                "socket_timeout": 1,
                "RETRY_SECONDS": 5,
                "FALLBACK_MAX_TIMEOUT": 300,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Template fragments that change only with a deploy or with reference data (the navigation per language and
# role, the registry's filter form per filter set): kept in each process's memory, no network round trip.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "portal-fragments",
    "TIMEOUT": 600,
    "OPTIONS": {"MAX_ENTRIES": 2000},
}

# Without a broker the tasks run in-process, right after the transaction commits.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://localhost/"  # in-process; a host name keeps kombu from warning about none
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # kombu's Redis transport, one client per channel for its publishes (portal/core/broker.py).
    CELERY_BROKER_TRANSPORT = "portal.core.broker:Transport"
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = env.int("CELERY_WORKER_PREFETCH_MULTIPLIER", 4)
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
# Celery closes the database connection around every task unless this is set; portal/celery.py
# closes it the way Django does after a request instead (CONN_MAX_AGE, health checks).
CELERY_DB_REUSE_MAX = 1_000_000
# A message a crashed worker took but never acknowledged goes back to the queue after this many seconds
# (Redis transport, for every queue alike). It must exceed the longest task's hard time limit (the registry's
# export and import jobs: 1,900 s, agreements/registry/jobs.py) plus the longest retry countdown
# (retry_backoff_max=120 in agreements/services/walk.py), or a long export would run twice. What a crash loses
# sooner is caught up without it: the workflow's sweep re-queues stalled steps, the certificates' catch-up issues
# missing certificates, the outbox flush sends pending notices (portal/celery.py's beat schedule).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", 2_100)}
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="portal")
# Long or CPU-heavy work (registry imports and exports, the certificates' PDFs) has a queue of its own, so a
# 30-minute export or a batch of certificates never holds up the workflow's steps and the e-mails. A worker with
# no -Q serves both queues (`make worker`); docker-compose.yml runs one worker per queue. The statistics of a broad
# search (a few seconds, with visitors waiting for them) stay on the default queue: never behind an export.
CELERY_HEAVY_QUEUE = env.str("CELERY_HEAVY_QUEUE", default=f"{CELERY_TASK_DEFAULT_QUEUE}-heavy")
CELERY_TASK_QUEUES = (Queue(CELERY_TASK_DEFAULT_QUEUE), Queue(CELERY_HEAVY_QUEUE))
# The CPU priority a worker serving the heavy queue alone gives up (a nice increment, 0-19; 0 keeps the default):
# the pages' gunicorn and the workflow's worker are served first and an export takes what they leave idle
# (portal/celery.py, ``heavy_worker_lower_priority``).
CELERY_HEAVY_NICE = env.int("CELERY_HEAVY_NICE", 10)
CELERY_TASK_ROUTES = {
    name: {"queue": CELERY_HEAVY_QUEUE}
    for name in (
        "agreements.registry.jobs.registry_import_task",
        "agreements.registry.jobs.registry_export_task",
        "agreements.registry.tasks.registry_certificate_issue_task",
    )
}
CELERY_TIMEZONE = "America/Mexico_City"

# --- Authentication (django-allauth) -------------------------------------
AUTH_USER_MODEL = "institutions.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"
ACCOUNT_LOGOUT_REDIRECT_URL = "core:home"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    # Failed logins: 5 per account *and* client address (the adapter puts both in the key), so one person's
    # mistakes or an attack on one account never lock out the colleagues behind the same address; 30 per
    # address over all accounts.
    "login_failed": "30/5m/ip,5/5m/key",
    "login": "30/m/ip",
    "signup": "10/h/ip",
    "reset_password": "5/h/ip,3/h/key",
    "confirm_email": "1/3m/key",
}
ACCOUNT_ADAPTER = "portal.institutions.adapter.PortalAccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Portal AII] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Portal AII · SRE"
MFA_ADAPTER = "portal.institutions.mfa.PortalMFAAdapter"
# Roles whose accounts must have TOTP before they can work (demo accounts are exempt).
PORTAL_MFA_REQUIRED_ROLES = ("dgcp", "cja", "administrador")

# --- REST API -------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first so anonymous API calls get 401 with a WWW-Authenticate header. Both refuse accounts whose
        # role requires the second factor when they have none.
        "portal.institutions.api.authentication.MFATokenAuthentication",
        "portal.institutions.api.authentication.MFASessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticatedOrReadOnly",
        "portal.institutions.api.authentication.HasRequiredSecondFactor",
    ],
    # JSON with a nesting limit (a deeply nested body was a RecursionError and a 500).
    "DEFAULT_PARSER_CLASSES": [
        "portal.core.api.PortalJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["portal.core.api.PortalFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "portal.core.pagination.PortalCursorPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "portal.core.api.BrowsableAPIRenderer",
    ],
    "EXCEPTION_HANDLER": "portal.core.api_errors.exception_handler",
    # Past these rates the API answers 429 with Retry-After (per client address, or per account).
    "DEFAULT_THROTTLE_CLASSES": [
        "portal.core.throttling.AnonymousThrottle",
        "portal.core.throttling.SignedInThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="120/min"),
        "user": env.str("API_THROTTLE_USER", default="600/min"),
        # Public status by folio, page and API together, per client address: enough for a person, not a crawl.
        "lookup": env.str("API_THROTTLE_LOOKUP", default="20/min"),
    },
}
# API tokens: created by their owner (with TOTP) on /mis-tokens/ or POST /api/v1/tokens/, shown once, stored
# as a hash, valid for API_TOKEN_TTL_DAYS, revocable by the owner and by administrators.
REST_KNOX = {
    "TOKEN_TTL": dt.timedelta(days=env.int("API_TOKEN_TTL_DAYS", 30)),
    "TOKEN_LIMIT_PER_USER": 5,
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Portal AII — API v1",
    "DESCRIPTION": "Acuerdos interinstitucionales, registro público y cooperación local.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    # Every operation documents the errors it may answer (400/401/403/404/409/429, one error shape).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "portal.core.schema.add_error_responses",
    ],
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "AgreementKindEnum": "agreements.choices.Kind",
        "AgreementStatusEnum": "agreements.choices.Status",
        "DictamenOutcomeEnum": "agreements.choices.DictamenOutcome",
        "DictamenStatusEnum": "agreements.choices.DictamenStatus",
        "DocumentKindEnum": "agreements.choices.DocumentKind",
        "UploadDocumentKindEnum": ["request_letter", "final_text", "annex", "signed_copy"],
        "StepStateEnum": ["done", "current", "pending", "skipped"],
        "RegistryEntryStatusEnum": "agreements.choices.EntryStatus",
        "IndicatorKindEnum": "agreements.followup.choices.IndicatorKind",
    },
}

# --- Internationalisation -------------------------------------------------
LANGUAGE_CODE = "es-mx"
LANGUAGES = [("es-mx", _("Español (México)")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Mexico_City"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files -------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "var" / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    # Uploaded review documents live outside the web root and are only served through views.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "documents"))},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = STORAGES["default"]["OPTIONS"]["location"]
# Outside production WhiteNoise serves the source folders directly, so the site keeps its stylesheet with
# DJANGO_DEBUG=0 (to see the real 404/500 pages in development) without running collectstatic.
WHITENOISE_USE_FINDERS = not PRODUCTION
PORTAL_MAX_UPLOAD_BYTES = env.int("PORTAL_MAX_UPLOAD_MB", 20) * 1024 * 1024
# PDF signatures on signed copies are checked against these trust roots only (paths of PEM or DER files, comma
# separated; e.g. the SAT's e.firma CA certificates). None is shipped: without them a signature is reported as
# intact but its signer as not verified.
PORTAL_SIGNATURE_TRUST_ROOTS = env.list("PORTAL_SIGNATURE_TRUST_ROOTS", default=[])
# Public pages (the registry's list, statistics and API; the profiles) served to anonymous visitors from the cache
# for up to this many seconds, until what they show changes (portal.core.pagecache); 0 turns the cache off (the
# benchmark's per-page sections measure what a page costs to build).
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", 10 * 60)
# Registry exports: up to these many rows a file is streamed within the request (seconds at most); above them
# a Celery task writes it with a progress bar and a download link valid for EXPORT_TTL_HOURS. An export that
# cannot finish then fails as a job the user sees, never as a silently short file.
EXPORT_STREAM_MAX_ROWS = {
    "csv": env.int("EXPORT_STREAM_MAX_ROWS_CSV", 20_000),
    "xlsx": env.int("EXPORT_STREAM_MAX_ROWS_XLSX", 2_000),
}
EXPORT_TTL_HOURS = env.int("EXPORT_TTL_HOURS", 24)
# An export job rests this many seconds per second of work after each chunk it has read and written (a duty cycle:
# 4 keeps it to a fifth of a core, itself and the PostgreSQL backend serving it together, which a nice cannot
# reach); 0 turns the pauses off. The export streamed within a request never pauses (agreements/registry/exports.py).
# Measured with the pages' load on both cores (bench/README.md, session 13): 0.5 slowed the list 2.9×, 2 1.8×, 4 1.5×.
EXPORT_JOB_PAUSE_RATIO = env.float("EXPORT_JOB_PAUSE_RATIO", 4)
# Registry statistics of a filter other than a state or signing years (a search, a type, a theme…): counted in
# the request when at most this many entries match (tens of milliseconds); more, by a task on the heavy queue
# while the page says it is counting them (agreements/registry/jobs.py). Counting them in the request took ~2 s
# for a broad search at a million entries.
REGISTRY_STATS_LIVE_MAX_ROWS = env.int("REGISTRY_STATS_LIVE_MAX_ROWS", 20_000)
EXPORT_MAX_PENDING = env.int("EXPORT_MAX_PENDING", 20)
# A request's fields other than files: the longest form (a dictamen with every observation at its longest) is
# about 300 KB even percent-encoded; past this Django and the API parsers answer 400 before anything is read.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- E-mail ---------------------------------------------------------------
EMAIL_URL = env.str("EMAIL_URL")
if EMAIL_URL:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    _email = urlparse(EMAIL_URL)
    EMAIL_HOST = _email.hostname or "localhost"
    EMAIL_PORT = _email.port or 25
    EMAIL_HOST_USER = _email.username or ""
    EMAIL_HOST_PASSWORD = _email.password or ""
    EMAIL_USE_TLS = _email.scheme == "smtp+tls"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Portal AII <no-responder@portal-aii.gob.mx>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
PORTAL_PORT = env.int("PORT", 8000)
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default=f"http://127.0.0.1:{PORTAL_PORT}")

# --- Security -------------------------------------------------------------
# How many reverse proxies of ours stand in front of the portal: the client's address is that many entries
# from the right of X-Forwarded-For (0: the header is ignored). Used by the login limiter and the API
# throttles (portal/core/throttling.py).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", 0)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 60 * 60
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content-Security-Policy (django-csp): only this origin's files run or style the page. No inline <script>,
# on*= handler or style= attribute anywhere (tests/portal/test_security_headers.py scans templates/), so neither
# scripts nor styles need 'unsafe-inline' or nonces. data: images: allauth draws the TOTP QR code as a data: URI
# and Swagger UI's stylesheet embeds its icons that way. DRF's browsable API is the one relaxation (inline
# styles only, on its own pages: portal/core/api.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        **({"upgrade-insecure-requests": True} if PRODUCTION else {}),
    }
}
# Permissions-Policy (django-permissions-policy): the portal uses no device, sensor or payment feature; none
# may be used by this page or by anything it could embed. Only features Chromium recognises (unknown names make
# the browser log an error on every page).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# History of offices, focal points and partnerships (django-simple-history): evidence, not an undo button.
SIMPLE_HISTORY_REVERT_DISABLED = True

# Reference views for the benchmark harness (hello world, raw SQL); off unless asked for.
PORTAL_BENCH_VIEWS = env.bool("PORTAL_BENCH_VIEWS", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "celery.app.trace": {"level": "WARNING"},
        # fpdf2 subsets the PDF fonts with fontTools, which logs every table it touches at INFO.
        "fontTools": {"level": "WARNING"},
    },
}

# Reference data (real, with sources) and demo data (marked is_demo) are loaded by
# these functions, in order, from `load_reference_data` and `load_demo_data`.
PORTAL_REFERENCE_LOADERS = [
    "portal.geography.reference.load",
    "portal.institutions.reference.load",
    "agreements.reference.load",
    "migrants.reference.load",
    "cooperation.reference.load",
]
PORTAL_DEMO_LOADERS = [
    "portal.institutions.demo.load",
    "agreements.demo.load",
    "agreements.followup.demo.load",
    "cooperation.demo.load",
]
PORTAL_DEMO_PASSWORD = env.str("PORTAL_DEMO_PASSWORD", default="Demo-AII-2026!")

PORTAL_HOME_CONTEXT = "agreements.selectors.home_context"
