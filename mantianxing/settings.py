"""Settings for Mantianxing, read from the environment (see README, "Configuration")."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from mantianxing.lib.env import env_bool, env_int, env_list, env_str, load_secret

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
    "axes",
    "csp",
    "mantianxing.core",
    "mantianxing.vocabularies",
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
    # Before anything reads the body: an oversized upload is refused unread (imports/limits.py).
    "mantianxing.imports.limits.RequestSizeLimitMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "mantianxing.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mantianxing.core.middleware.IdleSessionMiddleware",
    "mantianxing.core.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "mantianxing.audit.middleware.AuditMiddleware",
    # Last, as django-axes requires: it turns a locked-out sign-in into the lock-out response.
    "axes.middleware.AxesMiddleware",
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
        # An import holds the write lock for its whole run (imports/locking.py): a form saved
        # meanwhile waits this many seconds for it instead of SQLite's default 5.
        "timeout": float(env_str("MTX_SQLITE_TIMEOUT", "30")),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Seconds an import waits for the import running before it, then gives up (imports/locking.py).
MTX_IMPORT_LOCK_TIMEOUT = float(env_str("MTX_IMPORT_LOCK_TIMEOUT", "60"))
# Hostile files (imports/limits.py): a 613 KB .xlsx once unpacked to gigabytes in one worker. A city
# roster month (600,000 rows) is ~15 MB packed, ~200 MB unpacked, ~5 M cells.
MTX_UPLOAD_MAX_MB = env_int("MTX_UPLOAD_MAX_MB", 50, minimum=1)
MTX_UNZIPPED_MAX_MB = env_int("MTX_UNZIPPED_MAX_MB", 1024, minimum=1)
MTX_IMPORT_MAX_ROWS = env_int("MTX_IMPORT_MAX_ROWS", 1_000_000, minimum=1)
MTX_IMPORT_MAX_CELLS = env_int("MTX_IMPORT_MAX_CELLS", 20_000_000, minimum=1)
# Uploads past Django's 2.5 MB threshold (FILE_UPLOAD_MAX_MEMORY_SIZE) are spooled to a temporary
# file, not held in memory; a body past MTX_UPLOAD_MAX_MB is refused before it is read.

AUTH_USER_MODEL = "accounts.User"
# django-axes' backend first: it refuses a locked-out account or address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Password rules (等保 2.0 level 3), with Chinese messages: see accounts/passwords.py.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "mantianxing.accounts.passwords.MinimumLength",
        "OPTIONS": {"min_length": env_int("MTX_PASSWORD_MIN_LENGTH", 8, minimum=8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "mantianxing.accounts.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
]
if env_bool("MTX_FAST_PASSWORD_HASHING", False):
    # Test runs only (set in pyproject's pytest env): PBKDF2's deliberate slowness costs minutes there.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in throttling (django-axes): after MTX_LOGIN_FAILURE_LIMIT failures an account, and separately an
# address, is refused for MTX_LOGIN_COOLOFF_MINUTES or until the city office unlocks it (accounts/lockout.py).
AXES_FAILURE_LIMIT = env_int("MTX_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("MTX_LOGIN_COOLOFF_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# A success clears the failures of its own account only (accounts/lockout.py): axes' own reset also clears
# the address's, which would let anyone holding one account guess another's password without end.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "mantianxing.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "mantianxing.core.middleware.client_address"
AXES_ENABLE_ADMIN = False  # the city office's own admin (accounts/admin.py) unlocks, with history
AXES_VERBOSE = False

API_TOKEN_DAYS = env_int("MTX_API_TOKEN_DAYS", 90, minimum=1)

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
SECURE_COOKIES = env_bool("MTX_SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
# Idle sign-out: core.middleware.IdleSessionMiddleware ends a session left alone this long; the cookie
# and the stored session expire with it, renewed (at most once a minute) while the user is active.
SESSION_IDLE_MINUTES = env_int("MTX_SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
# Messages live in the server-side session, never in a cookie the browser keeps.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
X_FRAME_OPTIONS = "DENY"
if SECURE_COOKIES:
    # HTTPS only: redirect plain HTTP and tell browsers to stay on HTTPS. Behind the TLS proxy the
    # proxy must set X-Forwarded-Proto (and strip a client's own), or every request would redirect.
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("MTX_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("MTX_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("MTX_HSTS_PRELOAD", True)
    # The health check answers the load balancer on plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Content-Security-Policy (django-csp): only the app's own assets, no inline script, no other origin.
# 'unsafe-eval' is for Alpine.js, which django-unfold's pages (ours extend them) run on; inline
# styles are allowed because unfold and our templates set style attributes (no script runs from them).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-eval'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Change history (django-auditlog): the request id ties every row of one request or command run.
AUDITLOG_CID_GETTER = "mantianxing.core.middleware.current_request_id"
# Days the change history and the access log are kept at least; a system check refuses under 183.
MTX_HISTORY_RETENTION_DAYS = int(env_str("MTX_HISTORY_RETENTION_DAYS", "183"))
# Addresses of the reverse proxies whose X-Forwarded-For the access log believes (none by default).
MTX_TRUSTED_PROXIES = env_list("MTX_TRUSTED_PROXIES", [])

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500
NINJA_PAGINATION_CLASS = "mantianxing.core.pagination.BoundedLimitOffset"  # offset bounded

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
