"""Tenderspot settings. Everything that differs between machines comes from the environment (see README)."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.csp import CSP

from config.env import env_bool, env_int, env_list, env_str, secret_key
from config.sqlite import is_sqlite, sqlite_database

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

DEBUG = env_bool("DJANGO_DEBUG", default=False)
SECRET_KEY = secret_key(DEBUG, VAR_DIR / "secret_key")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "accounts",
    "routines",
    "journal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "config.middleware.VaryOnHtmxMiddleware",
    "config.pwa.OfflineUserMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
    "accounts.middleware.PrivatePagesMiddleware",
    "accounts.middleware.KnownDeviceMiddleware",
    # Axes must come last: it turns a locked-out login into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.pwa.offline_user",
            ],
        },
    },
]

# SQLite by default; PostgreSQL (psycopg 3) when DATABASE_URL says so. A `sqlite:///path` URL gets the same
# SQLite options as the default file (config.sqlite.sqlite_database).
SQLITE_PATH = VAR_DIR / "tenderspot.sqlite3"
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES: dict[str, dict[str, Any]] = {
        "default": dict(dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60)))
    }
    if is_sqlite(DATABASES["default"]):
        DATABASES["default"] = sqlite_database(DATABASES["default"]["NAME"])
    else:
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    # The database and the secret key live here: for the owner only.
    VAR_DIR.mkdir(mode=0o700, exist_ok=True)
    VAR_DIR.chmod(0o700)
    DATABASES = {"default": sqlite_database(SQLITE_PATH)}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Login throttling (django-axes): 5 failed attempts for one username from one address within 15 minutes lock
# that pair, so a stranger's guesses never lock the real user out of their own address; one address failing 30
# times (any usernames) is locked as a whole (accounts.security.login_failure_limit). A password reset lifts the
# lock on its username. Behind a reverse proxy set DJANGO_PROXY_COUNT, or every client shares the proxy's address.
TENDERSPOT_LOGIN_FAILURE_LIMIT = env_int("TENDERSPOT_LOGIN_FAILURE_LIMIT", 5)
TENDERSPOT_LOGIN_ADDRESS_LIMIT = env_int("TENDERSPOT_LOGIN_ADDRESS_LIMIT", 30)
# A browser where a username signed in (or reset its password) is exempt from the address-wide limit for it.
TENDERSPOT_KNOWN_DEVICE_AGE = timedelta(days=180)
AXES_FAILURE_LIMIT = "accounts.security.login_failure_limit"
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Only failed attempts are kept (for the lockout); successful log-ins are not recorded.
AXES_DISABLE_ACCESS_LOG = True
# Reverse proxies in front (each appends to X-Forwarded-For); config.http.client_address reads the client's address
# for the lockout, the throttles and the share-link miss limiter alike (django-ipware is not used).
TENDERSPOT_PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "config.http.client_address"

SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Per process and in memory: nothing here needs to be shared between workers. "reports" keeps the share page's
# figures (journal.exports.report.cached_report_context), each keyed on the state of the rows it was made from, so
# an entry can go stale only by being dropped; the limits bound the memory (a ten-year report is about 100 kB).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "reports": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "reports",
        "TIMEOUT": 60 * 60,
        "OPTIONS": {"MAX_ENTRIES": 100},
    },
}
SESSION_COOKIE_AGE = 60 * 60 * 24 * 30

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: printed to the console in local (debug) use; SMTP in production, to EMAIL_HOST (default: an MTA on
# localhost), or whenever EMAIL_HOST is set.
_email_host = env_str("EMAIL_HOST")
if _email_host or not DEBUG:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host or "localhost",
                "port": env_int("EMAIL_PORT", 587 if _email_host else 25),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", default=bool(_email_host)),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "Tenderspot <tenderspot@localhost>")

# Security headers. CSP from Django's own middleware: no inline script or style, no eval.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    # The installable app: its service worker and manifest come from this site only.
    "worker-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # htmx reads no cookie: the token goes in hx-headers, but forms need none of this.

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint logs every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Tenderspot's own knobs.
TENDERSPOT_MIN_HOLD_SECONDS = 10
TENDERSPOT_ABANDON_AFTER = timedelta(hours=12)
# The JSON import reads its file as a stream, an item at a time (journal/backup/reader.py), so memory does not grow
# with these: they bound the time one import takes. An upload (plain or gzip) up to IMPORT_MAX_BYTES, unpacked up to
# IMPORT_MAX_JSON_BYTES: a compact export of 50 years of daily sessions fits in both.
TENDERSPOT_IMPORT_MAX_BYTES = env_int("TENDERSPOT_IMPORT_MAX_BYTES", 64 * 1024 * 1024)
TENDERSPOT_IMPORT_MAX_JSON_BYTES = env_int("TENDERSPOT_IMPORT_MAX_JSON_BYTES", 256 * 1024 * 1024)
# Share and calendar links: this many misses (unknown, expired or revoked tokens) from one address within the
# window answer 429 until the window has passed.
TENDERSPOT_SHARE_MISS_LIMIT = env_int("TENDERSPOT_SHARE_MISS_LIMIT", 10)
TENDERSPOT_SHARE_MISS_WINDOW = timedelta(minutes=10)
# Namespace of the app-defined FHIR code systems and extensions (override with your own domain if you have one).
TENDERSPOT_FHIR_NAMESPACE = env_str("TENDERSPOT_FHIR_NAMESPACE", "https://tenderspot.invalid/fhir")
# Heavy requests (journal.lib.heavy): at most this many at once per user and per share link (CSV and PDF downloads),
# and PDF renders per instance; more answer 429 with Retry-After. A worker that dies leaves its slot for at most
# TENDERSPOT_HEAVY_LEASE_SECONDS.
TENDERSPOT_HEAVY_PER_USER = env_int("TENDERSPOT_HEAVY_PER_USER", 2)
TENDERSPOT_HEAVY_PER_LINK = env_int("TENDERSPOT_HEAVY_PER_LINK", 1)
TENDERSPOT_PDF_CONCURRENCY = env_int("TENDERSPOT_PDF_CONCURRENCY", 2)
TENDERSPOT_HEAVY_RETRY_AFTER = 10
# The PDF report is laid out in a child process with these limits (journal.exports.pdf_bounded); past them the
# child is killed and the reader is asked to choose a shorter period.
TENDERSPOT_PDF_CPU_SECONDS = env_int("TENDERSPOT_PDF_CPU_SECONDS", 20)
TENDERSPOT_PDF_WALL_SECONDS = env_int("TENDERSPOT_PDF_WALL_SECONDS", 30)
TENDERSPOT_PDF_MEMORY_MB = env_int("TENDERSPOT_PDF_MEMORY_MB", 1024)
TENDERSPOT_HEAVY_LEASE_SECONDS = 120
# Sign-up and password-reset requests: at most TENDERSPOT_THROTTLE_PER_ADDRESS per address and (reset only)
# TENDERSPOT_THROTTLE_PER_EMAIL per e-mail asked for, within the window; more answer 429.
TENDERSPOT_THROTTLE_WINDOW = timedelta(hours=1)
TENDERSPOT_THROTTLE_PER_ADDRESS = env_int("TENDERSPOT_THROTTLE_PER_ADDRESS", 10)
TENDERSPOT_THROTTLE_PER_EMAIL = env_int("TENDERSPOT_THROTTLE_PER_EMAIL", 3)
TENDERSPOT_MAIL_ON_THREAD = True
