"""HTTP entry point for gunicorn in production (WebSockets go to the ASGI server)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "comptoir.settings.production")

application = get_wsgi_application()
