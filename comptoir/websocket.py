"""The WebSocket stack shared by asgi.py and the tests."""

from collections.abc import Sequence
from typing import Any

from channels.auth import AuthMiddlewareStack
from channels.routing import URLRouter
from channels.security.websocket import AllowedHostsOriginValidator

from network.permissions import is_approved_member


class ApprovedMembersOnly:
    """Refuses the WebSocket handshake of anonymous, pending or refused accounts.

    Sits inside AuthMiddlewareStack, so ``scope["user"]`` is resolved; consumers still check
    each channel's own permission.
    """

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    async def __call__(self, scope: dict, receive: Any, send: Any) -> Any:
        if not is_approved_member(scope.get("user")):
            # Wait for the connect event, then refuse it: the client sees a closed handshake.
            message = await receive()
            if message["type"] == "websocket.connect":
                await send({"type": "websocket.close", "code": 4403})
            return None
        return await self.inner(scope, receive, send)


def websocket_application(routes: Sequence[Any]) -> Any:
    return AllowedHostsOriginValidator(AuthMiddlewareStack(ApprovedMembersOnly(URLRouter(routes))))
