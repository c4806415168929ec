"""Django settings, read from the environment when Django starts.

``CLUSTEROBS_HOME`` (the store), ``DATABASE_URL`` (SQLite under the data directory by default,
PostgreSQL when it says so), ``CLUSTEROBS_SECRET_KEY``, ``CLUSTEROBS_DEBUG``, ``CLUSTEROBS_ALLOWED_HOSTS``.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import plotly
from django.utils.translation import gettext_lazy as _

from clusterobs.config import Settings

BASE_DIR = Path(__file__).resolve().parent
CLUSTEROBS = Settings.from_env()
CLUSTEROBS_HOME = CLUSTEROBS.home

SECRET_KEY = os.environ.get("CLUSTEROBS_SECRET_KEY", "clusterobs-local-only-not-secret")
DEBUG = os.environ.get("CLUSTEROBS_DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("CLUSTEROBS_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "clusterobs.web",
    # one Django app per feature: own templates, URLs (namespaced), API router and translations (locale/)
    "clusterobs.web.linkages",
    "clusterobs.web.scoreboard",
    "clusterobs.web.assessments",
    "clusterobs.web.registry",
    "clusterobs.web.reports",
    "ninja",  # the API docs' Swagger UI from the package's static files, not a CDN
]

MIDDLEWARE = [
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
            ],
        },
    },
]

_default_db = f"sqlite:///{CLUSTEROBS_HOME / 'portal.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_db), conn_max_age=60)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
# Plotly.js from the plotly package itself (no CDN, no JS build): /static/plotly/plotly.min.js
PLOTLY_JS_DIR = Path(plotly.__file__).resolve().parent / "package_data"
STATICFILES_DIRS: list[tuple[str, Path]] = [("plotly", PLOTLY_JS_DIR)]
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
