"""Settings for Mantianxing, read from the environment (see README, "Configuration")."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from mantianxing.lib.env import env_bool, env_list, env_str, load_secret

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("MTX_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("MTX_DEBUG", False)

# Secrets: given in the environment in production; generated once into var/ for local debug runs.
_SECRETS_FILE = VAR_DIR / "secrets.json"
SECRET_KEY = load_secret("MTX_SECRET_KEY", debug=DEBUG, store=_SECRETS_FILE)
# Key of the HMAC that matches people across rosters without storing their ID numbers.
PII_KEY = load_secret("MTX_PII_KEY", debug=DEBUG, store=_SECRETS_FILE)

ALLOWED_HOSTS = env_list("MTX_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("MTX_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "unfold",
    "unfold.contrib.filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    # Before auditlog: its `auditlogflush` replaces the library's with one that keeps the retention window.
    "mantianxing.audit",
    "auditlog",
    "mantianxing.core",
    "mantianxing.geo",
    "mantianxing.accounts",
    "mantianxing.carriers",
    "mantianxing.enterprises",
    "mantianxing.plans",
    "mantianxing.people",
    "mantianxing.stats",
    "mantianxing.imports",
    "mantianxing.monitoring",
    "mantianxing.reporting",
    "mantianxing.evaluation",
    "mantianxing.bulletins",
    "mantianxing.honours",
    "mantianxing.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "mantianxing.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "mantianxing.audit.middleware.AuditMiddleware",
]

ROOT_URLCONF = "mantianxing.urls"
WSGI_APPLICATION = "mantianxing.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "mantianxing" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mantianxing.core.navigation.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{VAR_DIR / 'mantianxing.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while an import writes; IMMEDIATE avoids "database is locked" upgrades;
    # a 256 MB page cache (allocated only as used) halves the first import of a city's roster.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-262144;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
if env_bool("MTX_FAST_PASSWORD_HASHING", False):
    # Test runs only (set in pyproject's pytest env): PBKDF2's deliberate slowness costs minutes there.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
# Chinese whatever the browser asks for: the strings are written in Chinese and marked for
# translation, so another language is a locale/ folder away, not a code change.
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "mantianxing" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("MTX_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("MTX_STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("MTX_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "SAMEORIGIN"

# Change history (django-auditlog): the request id ties every row of one request or command run.
AUDITLOG_CID_GETTER = "mantianxing.core.middleware.current_request_id"
# Days the change history and the access log are kept at least; a system check refuses under 183.
MTX_HISTORY_RETENTION_DAYS = int(env_str("MTX_HISTORY_RETENTION_DAYS", "183"))
# Addresses of the reverse proxies whose X-Forwarded-For the access log believes (none by default).
MTX_TRUSTED_PROXIES = env_list("MTX_TRUSTED_PROXIES", [])

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("MTX_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

UNFOLD = {
    "SITE_TITLE": _("满天星 管理后台"),
    "SITE_HEADER": _("满天星"),
    "SITE_SUBHEADER": _("软件和信息服务业行动计划"),
    "SITE_SYMBOL": "auto_awesome",
    "SITE_URL": "/",
    "SHOW_HISTORY": True,
    "SHOW_VIEW_ON_SITE": True,
    "SIDEBAR": {"show_search": True, "show_all_applications": True},
}
