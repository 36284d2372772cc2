"""The floor of bench/chat_fanout.py: the same fan-out with nothing but the channel layer.

Every socket joins the group ``floor`` and forwards each event it gets as a ``message`` frame:
no session, no database, no sequence, no catch-up. As in network/consumers.py, events are
handled without channels' per-event ``aclose_old_connections()`` (a thread handoff that
nothing here needs), so the floor is what the layer and the server can do at best.

    daphne -b 127.0.0.1 -p 8765 bench.fanout_floor_asgi:application
"""

import json
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "comptoir.settings.dev")
django.setup()

from channels.consumer import get_handler_name  # noqa: E402
from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter  # noqa: E402

GROUP = "floor"


class FloorConsumer(AsyncWebsocketConsumer):
    async def dispatch(self, message: dict) -> None:
        await getattr(self, get_handler_name(message))(message)

    async def connect(self) -> None:
        await self.channel_layer.group_add(GROUP, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(GROUP, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        return None

    async def floor_message(self, event: dict) -> None:
        await self.send(
            text_data=json.dumps(
                {"type": "message", "message": event["message"]},
                ensure_ascii=False,
                separators=(",", ":"),
            )
        )


application = ProtocolTypeRouter({"websocket": FloorConsumer.as_asgi()})
