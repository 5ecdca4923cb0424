"""Settings for the test suite: the production settings with fast hashing and short holds."""

import os

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-that-is-long-enough-for-checks-0123456789")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")

from config.settings import *  # noqa: F403
from config.settings import DATABASES, VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Browser tests run 1-second holds.
TENDERSPOT_MIN_HOLD_SECONDS = 1
if DATABASES["default"]["ENGINE"] == "config.sqlite":
    # TENDERSPOT_TEST_DB lets two test runs of one checkout (e.g. the suite and a single audit) run side by side.
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TENDERSPOT_TEST_DB") or str(VAR_DIR / "test.sqlite3")}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The test machine is shared and busy: a report's wall-clock limit is generous here (its CPU limit is not). The
# limits themselves are tested with small values (tests/test_heavy_requests.py).
TENDERSPOT_PDF_WALL_SECONDS = 300
# Account mail is sent at once, so that tests read it right after the request (production: on a thread).
TENDERSPOT_MAIL_ON_THREAD = False
