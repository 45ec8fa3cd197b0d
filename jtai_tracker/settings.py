"""Settings for the JTAI action-plan tracker, read from the environment.

Two modes:

* development (the default): SQLite in the project folder, static files served
  from the app folders, a throwaway secret key. Good for the demo and tests.
* production (``DJANGO_PRODUCTION=true``): a real secret key is required, HTTPS
  is enforced and ``manage.py check --deploy --fail-level WARNING`` passes.

``DATABASE_URL`` picks the database in either mode (PostgreSQL in production).
"""

import json
import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = env_bool("DJANGO_PRODUCTION")
DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_PRODUCTION is true.")
    # Development only: a fixed key is fine for a local demo and the tests.
    SECRET_KEY = "dev-only-key-not-for-production-use-7c1f0e5b9a2d4e6f8a0b"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "jtai_tracker.apps.SupportAdminConfig",  # the Django admin as the superusers-only support site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    "django_filters",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.usersessions",
    "inspections",
    "people",
    "accounts",
    "audit",
    "onboarding",
    "actions",
    "reports",
    "setup",
    "transfers",
    "monitors",
    "register",
    "yearly",
    "demo",
    "rest_framework",
    "drf_spectacular",
    "api",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files are answered here, before anything below: they keep WhiteNoise's caching.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outermost of ours, so nothing below can weaken the headers it sets on every other response.
    "jtai_tracker.middleware.ResponseHeadersMiddleware",
    "jtai_tracker.middleware.SupportAdminAllowListMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "jtai_tracker.middleware.AbsoluteSessionLimitMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # An outside monitor reaches only their own pages and their account's: every other address is a 404.
    "monitors.middleware.MonitorWallMiddleware",
    "accounts.middleware.SecondFactorRequiredMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "jtai_tracker.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "people.context_processors.membership",
            ],
            "libraries": {"govuk_forms": "jtai_tracker.form_tags"},
        },
    },
]

WSGI_APPLICATION = "jtai_tracker.wsgi.application"

# Databases -----------------------------------------------------------------
# SQLite by default, tuned so a small team can use it for real: WAL lets
# readers and one writer work at once, IMMEDIATE transactions take the write
# lock up front (no "database is locked" half-way through a save), and the
# timeout makes a second writer wait instead of failing.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Authentication ------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # A username or an email address and a password (django-allauth's, on top of Django's ModelBackend).
    "allauth.account.auth_backends.AuthenticationBackend",
]
#: The rules a new password must pass (accounts/passwords.py), in the order their messages matter: a page shows
#: the first one a password breaks.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.passwords.NotCurrentPasswordValidator"},
    {"NAME": "accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "accounts.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.passwords.CommonPasswordValidator"},
    {"NAME": "accounts.passwords.NumericPasswordValidator"},
    {"NAME": "accounts.passwords.GuessablePasswordValidator", "OPTIONS": {"min_score": 3}},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

SESSION_COOKIE_AGE = 30 * 60  # 30 minutes idle
# Not written on every request: at most once a minute (jtai_tracker.middleware.AbsoluteSessionLimitMiddleware).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 60

# Big plans: what one page shows before it pages or summarises (a page of 5,000 actions would be unreadable anyway;
# every one is in the list view's pages and the exports).
PLAN_PAGE_ACTIONS = int(os.environ.get("PLAN_PAGE_ACTIONS", "50"))  # per area on the plan page
LIST_PER_PAGE = int(os.environ.get("LIST_PER_PAGE", "100"))  # rows per page of the board's list view
BOARD_QUADRANT_LIMIT = int(os.environ.get("BOARD_QUADRANT_LIMIT", "60"))  # actions shown in each quadrant of the board
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_LIMIT_SECONDS = 12 * 3600  # signed out 12 hours after signing in, however active

# Sign-in, second factors and single sign-on: django-allauth -----------------------------------------------
# No one signs themselves up: people are invited (accounts.services.invite) or matched by single sign-on
# to someone already invited (accounts.adapter).
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapter.SignOnAdapter"
MFA_ADAPTER = "accounts.adapter.SecondFactorAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
#: Changing a second factor asks for the password again unless the session signed in this recently (seconds).
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False  # no email to an address that has no account here
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
#: People are emailed when their password or second factor changes.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_USER_DISPLAY = "accounts.adapter.display_name"
ACCOUNT_FORMS = {
    "login": "accounts.forms.SignInForm",
    "change_password": "accounts.forms.ChangePasswordForm",
    "reset_password": "accounts.forms.ResetRequestForm",
    "reset_password_from_key": "accounts.forms.ResetChoosePasswordForm",
}
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # accounts.adapter matches by verified email, within the partnership
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"OAUTH_PKCE_ENABLED": True}}
#: Managers, chairs, officers and support staff (and everyone, where a partnership says so) must use a second
#: factor (accounts.second_factor). Always in production; off in the local demo unless asked for.
SECOND_FACTOR_REQUIRED = PRODUCTION or env_bool("DJANGO_SECOND_FACTOR_REQUIRED")
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = os.environ.get("MFA_TOTP_ISSUER", "JTAI action plan tracker")
MFA_RECOVERY_CODE_COUNT = 10
# A code from the 30 seconds before or after is accepted too (phones' clocks drift); each code works once.
MFA_TOTP_TOLERANCE = 1
MFA_PASSKEY_LOGIN_ENABLED = False
# Security keys need HTTPS, except on this machine's own address in development and tests.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION
MFA_TRUST_ENABLED = False

# Throttling (allauth's rate limits, kept in the cache; the client address is jtai_tracker.client_ip's).
# A sign-in name from one address: 10 failures in 15 minutes lock that name out from that address only;
# one address: 30 failures in 15 minutes, across any names, stop it trying any (password spraying);
# one name: 100 failures in an hour from all addresses together stop it being tried (a spread-out attack).
# Second-factor codes: 10 wrong in 15 minutes per person. Reset links: 5 an address, 3 an address a
# quarter of an hour.
ACCOUNT_RATE_LIMITS = {
    "login_failed_address": "30/15m/ip",
    "login_failed": "10/15m/key",
    "login_failed_name": "100/h/key",
    "login": "60/m/ip",
    "reset_password": "5/15m/ip,3/15m/key",
    "reset_password_from_key": "20/15m/ip",
    "change_password": "10/15m/user",
    "reauthenticate": "10/15m/user",
    "signup": "0/m/ip",
}
MFA_RATE_LIMITS = {"webauthn_login": "10/m/ip"}
ALLAUTH_TRUSTED_PROXY_COUNT = 0  # jtai_tracker.client_ip reads X-Forwarded-For, not allauth

#: Reverse proxies whose X-Forwarded-For is believed (addresses or networks): jtai_tracker.client_ip.
TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES")
#: The client addresses (addresses or networks) from which the support site, /support/, can be reached; from
#: anywhere else every address under it is not found (jtai_tracker.admin.support_site_reachable). Empty: from
#: anywhere in development, from nowhere in production (and `check --deploy` warns).
SUPPORT_ADMIN_ALLOWED_NETWORKS = env_list("DJANGO_SUPPORT_ADMIN_ALLOWED_NETWORKS")

# The cache holds the rate limits: Redis (REDIS_URL) when several processes serve the app, so every
# process counts the same failures; this process's memory otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "jtai"}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

#: Days the security audit log keeps an event: ``manage.py prune_audit_log`` deletes older ones.
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", "730"))
if AUDIT_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("AUDIT_RETENTION_DAYS must be a whole number of days, 1 or more.")

# Internationalisation ------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"

# Static files --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Published reports and background jobs' files (jobs.Job.result): a folder here, or object storage
    # named by DJANGO_FILE_STORAGE (a storage class: its own settings come from its own variables).
    "default": {"BACKEND": os.environ.get("DJANGO_FILE_STORAGE", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
#: Files the default storage keeps (published reports, jobs' files): never served as they are, only by views
#: that check who is asking.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))


def _file_storage(prefix: str, subfolder: str) -> dict:
    """A storage of the app's own files (jtai_tracker/storage.py): ``<prefix>_STORAGE_BACKEND`` with
    ``<prefix>_STORAGE_OPTIONS`` (JSON), e.g. an object store's; by default a private folder under EVIDENCE_ROOT."""
    backend = os.environ.get(f"{prefix}_STORAGE_BACKEND", "")
    if not backend:
        return {"BACKEND": "jtai_tracker.storage.PrivateStorage", "OPTIONS": {"subfolder": subfolder}}
    try:
        options = json.loads(os.environ.get(f"{prefix}_STORAGE_OPTIONS", "") or "{}")
    except ValueError as bad:
        raise ImproperlyConfigured(f"{prefix}_STORAGE_OPTIONS must be a JSON object") from bad
    return {"BACKEND": backend, "OPTIONS": options}


# Evidence files, and an import's rows between its steps: never served as static or media files.
STORAGES["evidence"] = _file_storage("EVIDENCE", "")
STORAGES["imports"] = _file_storage("IMPORTS", "imports")
# Outside production, serve straight from the source folders: no collectstatic.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

# Forms ---------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Email ---------------------------------------------------------------------
# Email: printed to the console unless configured. GOV.UK Notify (through its own client) when a Notify key
# is set; SMTP when a mail host is; EMAIL_BACKEND overrides both.
NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "")
NOTIFY_TEMPLATE_ID = os.environ.get("NOTIFY_TEMPLATE_ID", "")
NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
if NOTIFY_API_KEY:
    _EMAIL_BACKEND = "accounts.notify.NotifyEmailBackend"
elif os.environ.get("EMAIL_HOST"):
    _EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    _EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", _EMAIL_BACKEND)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "jtai-tracker@localhost")
#: The address links in emails start with (invitations): the first allowed host, unless set.
SITE_URL = os.environ.get("SITE_URL") or (
    f"https://{ALLOWED_HOSTS[0]}" if PRODUCTION and ALLOWED_HOSTS else "http://127.0.0.1:8000"
)
#: A password reset link works once, for a day.
PASSWORD_RESET_TIMEOUT = 24 * 60 * 60

# Security ------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
# Content Security Policy: scripts and styles only from our own static files, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
#: Browser features no page of the service uses, turned off for its pages and anything they could embed;
#: passkeys (WebAuthn, for multi-factor sign-in) only from the service's own pages. Sent on every response
#: (jtai_tracker.middleware.ResponseHeadersMiddleware, and WhiteNoise for static files). Only features Chromium
#: recognises: it reports any other name as an error in the console of every page.
PERMISSIONS_POLICY = ", ".join(
    [
        f"{feature}=()"
        for feature in (
            "accelerometer",
            "autoplay",
            "browsing-topics",
            "camera",
            "captured-surface-control",
            "compute-pressure",
            "display-capture",
            "encrypted-media",
            "gamepad",
            "geolocation",
            "gyroscope",
            "hid",
            "identity-credentials-get",
            "idle-detection",
            "interest-cohort",
            "keyboard-map",
            "local-fonts",
            "magnetometer",
            "microphone",
            "midi",
            "otp-credentials",
            "payment",
            "picture-in-picture",
            "screen-wake-lock",
            "serial",
            "speaker-selection",
            "usb",
            "window-management",
            "xr-spatial-tracking",
        )
    ]
    + ["publickey-credentials-create=(self)", "publickey-credentials-get=(self)"]
)


def _static_file_headers(headers, path, url):
    headers["Permissions-Policy"] = PERMISSIONS_POLICY


WHITENOISE_ADD_HEADERS_FUNCTION = _static_file_headers
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # /health is polled by load balancers over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^health$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint reports every GOV.UK CSS rule it does not support; only real errors matter.
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
        # django-tasks logs every task's start and end; a job's own row says what it did.
        "django_tasks": {"level": "WARNING"},
    },
}

# Evidence files ------------------------------------------------------------
# Outside the web root and outside STATIC_ROOT/MEDIA_ROOT: served only by a view that checks access.
EVIDENCE_ROOT = Path(os.environ.get("EVIDENCE_ROOT", BASE_DIR / "evidence"))
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_MB", "20")) * 1024 * 1024
#: The most rows of actions a spreadsheet import reads (transfers.spreadsheets): a plan has tens.
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "2000"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Days before an update deadline that leads get a reminder.
REMINDER_DAYS_BEFORE_DEADLINE = int(os.environ.get("REMINDER_DAYS_BEFORE_DEADLINE", "7"))

# The read-only API (api/): Django REST framework, its schema by drf-spectacular --------------------------
#: Requests one API token may make (DRF's "N/second|minute|hour|day"), counted in the shared cache (REDIS_URL).
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "600/minute")
if not re.fullmatch(r"[1-9][0-9]*/(second|minute|hour|day)", API_RATE_LIMIT):
    raise ImproperlyConfigured("API_RATE_LIMIT must be requests per second, minute, hour or day, e.g. 600/minute.")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_VERSIONING_CLASS": None,
    "UNICODE_JSON": True,
    # `format` is the facts feed's own parameter (json or csv), not DRF's renderer switch.
    "URL_FORMAT_OVERRIDE": None,
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "JTAI action plan tracker API",
    "DESCRIPTION": (
        "Read-only access to one partnership's action plans, rounds, figures and published reports. "
        "Send a token a partnership manager made: `Authorization: Bearer <token>`."
    ),
    "VERSION": "1",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api",
    "COMPONENT_SPLIT_REQUEST": True,
    # An update's proposed and agreed quadrants are one scale (actions.quadrants): one enum in the schema.
    "ENUM_NAME_OVERRIDES": {"QuadrantEnum": "actions.quadrants.Quadrant"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_error_responses",
    ],
}
# Background work (jobs/) -------------------------------------------------
# django-tasks runs jobs: TASKS_BACKEND=database (the default: a table, worked by `manage.py db_worker`, no other
# server), rq (RQ on REDIS_URL, worked by `manage.py rqworker --job-class django_tasks_rq.Job default`) or
# immediate (in the request: tests only).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, not {TASKS_BACKEND!r}.")
if TASKS_BACKEND == "rq" and not REDIS_URL:
    raise ImproperlyConfigured("TASKS_BACKEND=rq needs REDIS_URL.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}
RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 600}}
#: A report's PDF is rendered in a child process of the worker (jobs/bounded.py) with these limits: the wall-clock
#: time, the CPU time and the memory it may add to the worker's own size. Hitting one fails the job with a message.
REPORT_PDF_TIMEOUT_SECONDS = int(os.environ.get("REPORT_PDF_TIMEOUT_SECONDS", "120"))
REPORT_PDF_CPU_SECONDS = int(os.environ.get("REPORT_PDF_CPU_SECONDS", str(REPORT_PDF_TIMEOUT_SECONDS)))
REPORT_PDF_MEMORY_MB = int(os.environ.get("REPORT_PDF_MEMORY_MB", "1536"))
#: Days a finished job (and its file: a draft PDF, an export) is kept: ``manage.py prune_jobs`` deletes older ones.
JOB_RETENTION_DAYS = int(os.environ.get("JOB_RETENTION_DAYS", "7"))
