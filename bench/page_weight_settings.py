"""Settings of the server bench/page_weight.py starts: the embedded default's database and
services, with production's static files (whitenoise's compressed manifest, cached for a year),
debug off, and the HTML compressed with gzip as the proxy does in production (README)."""

from comptoir.settings.dev import *  # noqa: F403
from comptoir.settings.dev import MIDDLEWARE

DEBUG = False
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = False
WHITENOISE_AUTOREFRESH = False
MIDDLEWARE = ["django.middleware.gzip.GZipMiddleware", *MIDDLEWARE]
