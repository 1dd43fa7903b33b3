"""Settings for neuroinfo, read from the environment with safe local defaults.

Every variable is listed in `.env.example`. Debug is off unless asked for; with debug off
the site refuses to start without a secret key.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from neuroinfo.clients import trusted_networks
from neuroinfo.environment import (
    cache_config,
    env_bool,
    env_list,
    env_text,
    per_language,
    site_path,
    web_address,
)
from neuroinfo.errors import admins_from, start_error_tracking

BASE_DIR = Path(__file__).resolve().parent.parent


# --- Core -----------------------------------------------------------------------------
DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it, or set DJANGO_DEBUG=1 for local work."
        )
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 (debug only)

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

ROOT_URLCONF = "neuroinfo.urls"
WSGI_APPLICATION = "neuroinfo.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# modeltranslation must come before the admin so its patches apply to admin forms.
INSTALLED_APPS = [
    "modeltranslation",
    "neuroinfo.adminconfig.NeuroinfoAdminConfig",  # django.contrib.admin, own site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "csp",
    "axes",
    "reversion",
    "neuroinfo",
]

# Order matters: the request log times everything; a cached public page is answered
# next, before any other middleware, with the headers they gave it when it was built;
# WhiteNoise answers static files before any session or database work;
# LocaleMiddleware sits after sessions and before common so /en/ and /fr/ choose the
# language and / redirects by browser language; axes goes last, as its documentation
# asks.
MIDDLEWARE = [
    "neuroinfo.middleware.RequestLogMiddleware",
    # Answers cached public pages as they were first served (neuroinfo.pagecache).
    "neuroinfo.pagecache.CachedPageMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "neuroinfo.middleware.SecurityHeadersMiddleware",
    # A database outage: the 503 page (neuroinfo.outage); wraps sessions and auth.
    "neuroinfo.outage.DatabaseOutageMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # 405 to a method the view does not serve, before CSRF or the view run.
    "neuroinfo.methods.AllowedMethodsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

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
                "neuroinfo.organisation.publisher_context",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# SQLite in the project folder unless DATABASE_URL names another database (PostgreSQL).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        # A kept connection is checked before reuse: after a database restart the first
        # request reconnects instead of failing (neuroinfo.outage).
        conn_health_checks=True,
    )
}

# --- Cache ----------------------------------------------------------------------------
# Public pages are cached here. Several app servers (and several gunicorn workers) must
# share one cache, so that a change saved through one is served at once by all:
# CACHE_URL=redis://... in production. Without CACHE_URL, debug (`make run`) keeps an
# in-process cache and production defaults to a table in the database, shared by every
# worker (`migrate` creates it); `check --deploy` refuses an in-process cache with
# several workers.
CACHES = {
    "default": cache_config(
        os.environ.get("CACHE_URL")
        or ("locmem://" if DEBUG else "db://neuroinfo_cache")
    )
}
# A Redis failure is logged (one line now and then) and the page built without it.
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "neuroinfo.cache"
PAGE_CACHE_ENABLED = env_bool("NEUROINFO_PAGE_CACHE", True)
# How long a shared cache (nginx, a CDN) may keep a public page, in seconds.
PAGE_CACHE_SHARED_MAX_AGE = int(os.environ.get("NEUROINFO_SHARED_MAX_AGE", "5"))

# A constant view of a page's size at /bench/constant/, the floor `make bench` compares
# pages against. Off unless asked for.
BENCH_VIEWS = env_bool("NEUROINFO_BENCH_VIEWS", False)
BENCH_RESPONSE_SIZE = int(os.environ.get("NEUROINFO_BENCH_SIZE", "12000"))

# --- Security ---------------------------------------------------------------------------
# Safe by default: with debug off, HTTPS only, secure cookies and HSTS. Each can be
# turned off by its variable, e.g. to run the production server on plain loopback HTTP.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SECURE_HSTS_SECONDS = int(
    os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
    # Only behind a proxy that sets this header itself (the shipped nginx does).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A form sent without its valid token gets a short page in the reader's language.
CSRF_FAILURE_VIEW = "neuroinfo.feedback.csrf_failure"
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)

# A strict policy: no inline script or style anywhere, no third-party hosts. Public
# pages need no nonce, so their header is the same for everyone and they cache whole.
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
    }
}

# --- Admin sign-in ----------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "60")))
# Lock the account from that address: a typo elsewhere does not lock a colleague out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# And lock the address, for every account, after this many failures from it across
# accounts within the cool-off (password spraying); higher than AXES_FAILURE_LIMIT, as a
# clinic's staff may share one address (neuroinfo.signin.SignInHandler).
NEUROINFO_SIGNIN_ADDRESS_LIMIT = int(
    os.environ.get("NEUROINFO_SIGNIN_ADDRESS_LIMIT", "20")
)
AXES_HANDLER = "neuroinfo.signin.SignInHandler"
# A page in the reader's language, styled as the sign-in page, saying how long it lasts.
AXES_LOCKOUT_CALLABLE = "neuroinfo.signin.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The client address, for sign-in lockouts and the feedback limit (neuroinfo.clients):
# the connection's, or X-Forwarded-For's when the connection comes from one of these
# proxies (addresses or networks, comma-separated; the shipped nginx on the same
# machine: 127.0.0.1). Empty: never believe X-Forwarded-For, anyone can write it.
TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES")
try:
    trusted_networks(tuple(TRUSTED_PROXIES))
except ValueError as error:
    raise ImproperlyConfigured(f"DJANGO_TRUSTED_PROXIES: {error}") from error
if os.getenv("DJANGO_PROXY_COUNT", "0").strip() not in ("", "0"):
    # No longer read: left alone, every client would share the proxy's address.
    raise ImproperlyConfigured(
        "DJANGO_PROXY_COUNT is no longer read: set DJANGO_TRUSTED_PROXIES to the "
        "proxies' addresses instead (127.0.0.1 for nginx on the same machine)."
    )
AXES_CLIENT_IP_CALLABLE = "neuroinfo.clients.client_address"
# django-axes keeps every sign-in attempt (user name, address, browser) until deleted:
# `manage.py purge_signin_attempts` (run daily) deletes those older than this many days,
# the period the privacy page states. At least the lockout period above.
SIGNIN_RETENTION_DAYS = int(os.environ.get("NEUROINFO_SIGNIN_RETENTION_DAYS", "30"))

# --- Passwords ------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages ------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["neuroinfo.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "America/Toronto")

MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# Ship jQuery UI for the admin's language tabs instead of loading it from a CDN.
JQUERY_UI_URL = "vendor/jquery-ui.min.js"

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
# Hashed, compressed file names (served by WhiteNoise with a year-long cache lifetime)
# once `collectstatic` has run; plain names while developing.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "neuroinfo.staticfiles.MinifiedStaticFilesStorage"
    },
}

# --- Content --------------------------------------------------------------------------
CONTENT_DIR = Path(os.environ.get("NEUROINFO_CONTENT_DIR") or BASE_DIR / "content")
# `load_content` refuses a content file bigger than this, in bytes (1 MB by default;
# the shipped files are a few kilobytes): a runaway file fails fast with its name.
CONTENT_MAX_BYTES = int(os.environ.get("NEUROINFO_CONTENT_MAX_BYTES", "1000000"))
# Each page is medically reviewed at least this often (3 years by default); the admin
# lists pages overdue or due within REVIEW_DUE_SOON.
REVIEW_INTERVAL_YEARS = int(os.environ.get("NEUROINFO_REVIEW_INTERVAL_YEARS", "3"))
REVIEW_DUE_SOON = timedelta(days=60)
# Reading level targets, each in its language's formula (neuroinfo.readability); the
# admin flags text harder than its target. English: the highest Flesch-Kincaid grade
# (8: the plain-language standard of health publishers); French: the lowest
# Kandel-Moles reading ease (60: the bottom of its "standard" band; higher is easier).
READING_TARGETS = {
    "en": float(os.environ.get("NEUROINFO_READING_TARGET_EN", "8")),
    "fr": float(os.environ.get("NEUROINFO_READING_TARGET_FR", "60")),
}
# "Was this page helpful?": at most this many answers per client in this many seconds
# (counted in the shared cache, by a salted hash of the client's address).
FEEDBACK_RATE_LIMIT = int(os.environ.get("NEUROINFO_FEEDBACK_RATE_LIMIT", "5"))
FEEDBACK_RATE_WINDOW = int(os.environ.get("NEUROINFO_FEEDBACK_RATE_WINDOW", "600"))
# Answers are deleted after this many days by `manage.py purge_feedback` (run daily).
FEEDBACK_RETENTION_DAYS = int(
    os.environ.get("NEUROINFO_FEEDBACK_RETENTION_DAYS", "730")
)
# The email address the privacy page gives for questions; empty: ask the care team.
NEUROINFO_PRIVACY_CONTACT = os.environ.get("NEUROINFO_PRIVACY_CONTACT", "").strip()

# --- Email -----------------------------------------------------------------------------
# Staff are told by email when a change waits for review, is published or sent back, and
# of reviews due (`manage.py review_digest`). Local work prints emails to the console;
# production sends them through an SMTP server. EMAIL_BACKEND overrides either.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "neuroinfo@localhost")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# The address staff open the admin at: links in emails start with it.
NEUROINFO_SITE_URL = os.environ.get("NEUROINFO_SITE_URL", "http://127.0.0.1:8000")
# --- Who publishes the guide ------------------------------------------------------------
# Shown on every page (header and footer), the printable guide and the structured data.
# Each text may have a French version (the same name ending in _FR); French pages use
# the English one when it is empty. Left empty, the shipped defaults name no real
# organisation (neuroinfo/organisation.py).
NEUROINFO_ORGANISATION = {
    "name": per_language("NEUROINFO_ORG_NAME"),
    "call": per_language("NEUROINFO_ORG_CALL"),
    "address": per_language("NEUROINFO_ORG_ADDRESS"),
    "url": per_language("NEUROINFO_ORG_URL", web_address),
    "logo": site_path("NEUROINFO_ORG_LOGO"),
}

# --- Logging --------------------------------------------------------------------------
# One line per request on stdout (neuroinfo.middleware.RequestLogMiddleware). A server
# error is also emailed to ADMINS when debug is off; neither the log nor the email shows
# form values, cookies or sessions (DEFAULT_EXCEPTION_REPORTER_FILTER below).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        # One email per kind of error every 5 minutes: an outage is not a flood.
        "once_per_interval": {"()": "neuroinfo.errors.OncePerInterval", "seconds": 300},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false", "once_per_interval"],
            "class": "django.utils.log.AdminEmailHandler",
        },
    },
    "root": {
        "handlers": ["console"],
        "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO"),
    },
    "loggers": {
        # Replaces Django's default (its own console and email handlers): messages
        # reach the root's console once, and request errors one email.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # Server errors only (traceback and email): a 4xx is already in the request's
        # own line, and a second line per refused request would only add noise.
        "django.request": {
            "handlers": ["mail_admins"],
            "level": "ERROR",
            "propagate": True,
        },
    },
}

# --- Error reports --------------------------------------------------------------------
# Who is emailed each server error: DJANGO_ADMINS="Name <ops@example.org>, b@example.org".
try:
    ADMINS = admins_from(os.environ.get("DJANGO_ADMINS", ""))
except ValueError as error:
    raise ImproperlyConfigured(f"DJANGO_ADMINS: {error}") from error
DEFAULT_EXCEPTION_REPORTER_FILTER = "neuroinfo.errors.PrivateExceptionReporterFilter"
# Optional error tracking (Sentry or a compatible service): off unless SENTRY_DSN is set;
# sends no form data, cookies, addresses or user details (neuroinfo.errors).
SENTRY_ENABLED = start_error_tracking(
    env_text("SENTRY_DSN"),
    environment=env_text("SENTRY_ENVIRONMENT"),
    release=env_text("SENTRY_RELEASE"),
)
