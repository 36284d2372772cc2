"""The WebSocket stack shared by asgi.py and the tests."""

from collections.abc import Sequence
from importlib import import_module
from typing import Any

from channels.auth import AuthMiddleware
from channels.routing import URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from channels.sessions import CookieMiddleware
from django.conf import settings

from network.permissions import is_approved_member


class SessionForReading:
    """What channels' SessionMiddleware gives the stack, ``scope["session"]`` read from the
    session cookie, without the wrapper it puts around every frame sent, there to save a
    session changed during an HTTP response. A socket never changes its session, and on a busy
    channel that wrapper took about a tenth of the server's time (bench/chat_fanout.py)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    async def __call__(self, scope: dict, receive: Any, send: Any) -> Any:
        store = import_module(settings.SESSION_ENGINE).SessionStore
        # Read on first use, in AuthMiddleware's database thread.
        session = store(scope["cookies"].get(settings.SESSION_COOKIE_NAME))
        return await self.inner(dict(scope, session=session), receive, send)


class ApprovedMembersOnly:
    """Refuses the WebSocket handshake of anonymous, pending or refused accounts.

    Sits inside AuthMiddleware, so ``scope["user"]`` is resolved; consumers still check
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
    return AllowedHostsOriginValidator(
        CookieMiddleware(SessionForReading(AuthMiddleware(ApprovedMembersOnly(URLRouter(routes)))))
    )
