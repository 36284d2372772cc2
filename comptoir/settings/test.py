"""Settings for pytest: fast hashing, mails kept in memory, tasks run at once."""

import uuid

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "django-insecure-comptoir-tests-only"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tests sign up and log in many times from one address; the limits themselves are tested
# by switching them back on where it matters.
ACCOUNT_RATE_LIMITS = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

# Each test run has its own cache keys: nothing cached in Redis by an earlier run (or by a
# development site on the same server) can leak into this one, and they expire soon after.
if "KEY_PREFIX" in CACHES["default"]:  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = f"comptoir-test-{uuid.uuid4().hex[:12]}"  # noqa: F405
    CACHES["default"]["TIMEOUT"] = 600  # noqa: F405
# Likewise for the channel layer's groups: two runs on one Redis never hear each other.
if "CONFIG" in CHANNEL_LAYERS["default"]:  # noqa: F405
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = f"comptoir-test-{uuid.uuid4().hex[:12]}"  # noqa: F405
