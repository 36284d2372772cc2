"""HTTP and WebSocket entry point (daphne). WebSockets are for approved members only."""

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "comptoir.settings.dev")
# Django must be set up before anything imports models.
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter  # noqa: E402

from comptoir.websocket import websocket_application  # noqa: E402
from network.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": websocket_application(websocket_urlpatterns),
    }
)

# What was loaded at startup (Django, its apps and models, Wagtail) lives as long as the process:
# frozen, a full collection no longer goes through it. In a worker of bench/chat_fanout.py with
# 100 sockets, a full collection stalled every socket for about 110 ms; frozen, 11-15 ms.
gc.collect()
gc.freeze()
