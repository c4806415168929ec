"""Django settings, read from the environment when Django starts.

``CLUSTEROBS_HOME`` (the store), ``DATABASE_URL`` (SQLite under the data directory by default,
PostgreSQL when it says so), ``CLUSTEROBS_SECRET_KEY``, ``CLUSTEROBS_DEBUG``, ``CLUSTEROBS_ALLOWED_HOSTS``;
``CLUSTEROBS_PRODUCTION=1`` (secure cookies, HSTS, SSL redirect; a real secret key is then required);
e-mail: ``CLUSTEROBS_EMAIL_HOST`` (SMTP; console otherwise), ``CLUSTEROBS_EMAIL_PORT``, ``CLUSTEROBS_EMAIL_USER``,
``CLUSTEROBS_EMAIL_PASSWORD``, ``CLUSTEROBS_EMAIL_TLS``, ``CLUSTEROBS_EMAIL_FILE_PATH`` (file backend, for tests),
``CLUSTEROBS_FROM_EMAIL``; ``CLUSTEROBS_SQLITE_TIMEOUT`` (seconds a write waits for SQLite's lock, 20). See
docs/registry.md and docs/operating.md.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import plotly
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from clusterobs.charts import plotlyjs
from clusterobs.config import Settings
from clusterobs.web.cacheconfig import caches_from_url

BASE_DIR = Path(__file__).resolve().parent
CLUSTEROBS = Settings.from_env()
CLUSTEROBS_HOME = CLUSTEROBS.home

PRODUCTION = os.environ.get("CLUSTEROBS_PRODUCTION", "0") == "1"
_LOCAL_KEY = "clusterobs-local-only-not-secret"
SECRET_KEY = os.environ.get("CLUSTEROBS_SECRET_KEY", _LOCAL_KEY)
if PRODUCTION and (SECRET_KEY == _LOCAL_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("CLUSTEROBS_PRODUCTION=1 needs CLUSTEROBS_SECRET_KEY: 50 or more random characters")
DEBUG = os.environ.get("CLUSTEROBS_DEBUG", "0") == "1" and not PRODUCTION
ALLOWED_HOSTS = os.environ.get("CLUSTEROBS_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "clusterobs.web",  # the site kernel: base templates, static files, template tags
    # one Django app per feature: own templates, URLs (namespaced but the mapping tool's), API router (added from
    # its AppConfig.ready(), in this order) and translations (locale/); the kernel's urls.py includes each app's urls
    "clusterobs.web.mapping",
    "clusterobs.web.linkages",
    "clusterobs.web.complexity",
    "clusterobs.web.scoreboard",
    "clusterobs.web.assessments",
    "clusterobs.web.accounts",
    "clusterobs.web.registry",
    "clusterobs.web.reports",
    "ninja",  # the API docs' Swagger UI from the package's static files, not a CDN
]

MIDDLEWARE = [
    "clusterobs.web.middleware.DatasetVersionMiddleware",  # first: one dataset version for the whole request
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "clusterobs.web.middleware.EmbedFrameMiddleware",  # after it: ?embed=1 pages may be framed
    "clusterobs.web.dbbusy.DatabaseBusyMiddleware",  # "database is locked" after the busy timeout: 503 + Retry-After
]

ROOT_URLCONF = "clusterobs.web.urls"
WSGI_APPLICATION = "clusterobs.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clusterobs.web.context.observatory",
                # last: a page rendered to be kept (pagecache.cached_page) gets a placeholder for its CSRF token
                "clusterobs.web.pagecache.csrf_hole",
            ],
        },
    },
]

_default_db = f"sqlite:///{CLUSTEROBS_HOME / 'portal.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_db), conn_max_age=60)}
#: seconds a write waits for SQLite's lock (busy timeout) before it gives up (then 503 + Retry-After: dbbusy.py)
SQLITE_BUSY_TIMEOUT = float(os.environ.get("CLUSTEROBS_SQLITE_TIMEOUT", "20"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # concurrent writers on SQLite, as Django 5.1+ recommends: every transaction takes the write lock when it
    # begins (IMMEDIATE: no read-then-write upgrade that fails at once with "database is locked"), waits up to the
    # busy timeout for it, and readers never block the writer (WAL; synchronous=NORMAL is durable under WAL but
    # for the last transactions on a power cut). PostgreSQL's settings are left as they are.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "transaction_mode": "IMMEDIATE",
        "timeout": SQLITE_BUSY_TIMEOUT,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
# the project's one catalogue (clusterobs/locale), shared with the reports (clusterobs.reports.i18n)
LOCALE_PATHS = [BASE_DIR.parent / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
# Plotly.js from the plotly package itself (no CDN, no JS build): /static/plotly/plotly.min.js
PLOTLY_JS_DIR = Path(plotly.__file__).resolve().parent / "package_data"
# Plotly's own partial bundles of the same release, vendored in clusterobs/charts/bundles (charts/plotlyjs.py)
STATICFILES_DIRS: list[tuple[str, Path]] = [("plotly", PLOTLY_JS_DIR), (plotlyjs.STATIC_PREFIX, plotlyjs.VENDOR_DIR)]
# `clusterobs serve` collects the static files into the data directory with hashed names (served immutable, with
# gzip and brotli copies: staticstorage.py); without it (tests, `manage.py runserver`) they are served unhashed from
# the packages with a one-hour max-age.
STATIC_ROOT = CLUSTEROBS_HOME / "static"
HASHED_STATIC = os.environ.get("CLUSTEROBS_HASHED_STATIC", "0") == "1"
WHITENOISE_USE_FINDERS = not HASHED_STATIC
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_MAX_AGE = 3600
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "clusterobs.web.staticstorage.HashedStaticFilesStorage" if HASHED_STATIC
                    else "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# ---- accounts (the registry's sign-up, login, roles): docs/registry.md -------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:account"
LOGOUT_REDIRECT_URL = "registry:index"
# login throttling (clusterobs.web.accounts.throttle, docs/registry.md#throttling-behind-a-proxy): attempts per
# account at one client address, and per client address, counted on the cache before the password is checked
AUTHENTICATION_BACKENDS = ["clusterobs.web.accounts.throttle.ThrottledModelBackend"]
LOGIN_FAILURE_LIMIT = int(os.environ.get("CLUSTEROBS_LOGIN_FAILURE_LIMIT", "5"))
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("CLUSTEROBS_LOGIN_ADDRESS_FAILURE_LIMIT", "50"))
LOGIN_FAILURE_WINDOW = int(os.environ.get("CLUSTEROBS_LOGIN_FAILURE_WINDOW", "900"))  # seconds
# how many reverse proxies in front of the server append to X-Forwarded-For (0: the header is not read, the client
# is REMOTE_ADDR)
TRUSTED_PROXY_COUNT = int(os.environ.get("CLUSTEROBS_TRUSTED_PROXIES", "0"))
if TRUSTED_PROXY_COUNT < 0 or min(LOGIN_FAILURE_LIMIT, LOGIN_ADDRESS_FAILURE_LIMIT, LOGIN_FAILURE_WINDOW) < 1:
    raise ImproperlyConfigured("CLUSTEROBS_TRUSTED_PROXIES must be 0 or more, and the CLUSTEROBS_LOGIN_* limits and "
                               "window 1 or more")
# Django's cache (the throttle counters): per process by default; CLUSTEROBS_CACHE_URL=redis://… or db://table to
# share it between workers (clusterobs.web.cacheconfig)
CACHES = caches_from_url(os.environ.get("CLUSTEROBS_CACHE_URL"))

MEDIA_ROOT = Path(os.environ.get("CLUSTEROBS_MEDIA_ROOT", CLUSTEROBS_HOME / "media"))
MEDIA_URL = "/registry/media/"
FILE_UPLOAD_PERMISSIONS = 0o644
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

DEFAULT_FROM_EMAIL = os.environ.get("CLUSTEROBS_FROM_EMAIL", "clusterobs <noreply@localhost>")
if os.environ.get("CLUSTEROBS_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["CLUSTEROBS_EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("CLUSTEROBS_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("CLUSTEROBS_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("CLUSTEROBS_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("CLUSTEROBS_EMAIL_TLS", "1") == "1"
elif os.environ.get("CLUSTEROBS_EMAIL_FILE_PATH"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ["CLUSTEROBS_EMAIL_FILE_PATH"]
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# ---- production mode: CLUSTEROBS_PRODUCTION=1 (behind HTTPS) ------------------------------------------------
if PRODUCTION:
    SECURE_SSL_REDIRECT = os.environ.get("CLUSTEROBS_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = int(os.environ.get("CLUSTEROBS_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    CSRF_COOKIE_SECURE = True
    X_FRAME_OPTIONS = "DENY"
    if os.environ.get("CLUSTEROBS_BEHIND_PROXY", "0") == "1":  # the proxy sets X-Forwarded-Proto
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
