"""The WebSocket stack of asgi.py: approved members only, same-origin only."""

import pytest
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client
from django.urls import path

from comptoir.websocket import websocket_application
from network.models import MembershipStatus, Role

pytestmark = pytest.mark.django_db(transaction=True)


class WhoAmIConsumer(AsyncJsonWebsocketConsumer):
    """A consumer that only says who is connected, to observe the stack in front of it."""

    async def connect(self):
        await self.accept()
        await self.send_json({"email": self.scope["user"].email})


application = websocket_application([path("ws/whoami/", WhoAmIConsumer.as_asgi())])


@database_sync_to_async
def session_cookie_for(member_factory, **fields) -> str:
    client = Client()
    client.force_login(member_factory(**fields))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


async def open_socket(cookie: str | None, origin: str = "http://localhost"):
    headers = [(b"origin", origin.encode()), (b"host", b"localhost")]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    communicator = WebsocketCommunicator(application, "/ws/whoami/", headers=headers)
    connected, code = await communicator.connect()
    return communicator, connected, code


@pytest.mark.asyncio
async def test_approved_member_connects(member_factory):
    cookie = await session_cookie_for(member_factory, email="gerante@exemple.fr")

    communicator, connected, _code = await open_socket(cookie)

    assert connected
    assert await communicator.receive_json_from() == {"email": "gerante@exemple.fr"}
    await communicator.disconnect()


@pytest.mark.asyncio
async def test_anonymous_visitor_is_refused():
    communicator, connected, code = await open_socket(None)

    assert not connected
    assert code == 4403
    await communicator.disconnect()


@pytest.mark.asyncio
@pytest.mark.parametrize("status", [MembershipStatus.PENDING, MembershipStatus.REFUSED])
async def test_member_not_approved_is_refused(member_factory, status):
    cookie = await session_cookie_for(member_factory, status=status, role=Role.MANAGER)

    communicator, connected, code = await open_socket(cookie)

    assert not connected
    assert code == 4403
    await communicator.disconnect()


@pytest.mark.asyncio
async def test_socket_from_another_site_is_refused(member_factory):
    cookie = await session_cookie_for(member_factory)

    communicator, connected, _code = await open_socket(cookie, origin="https://evil.example")

    assert not connected
    await communicator.disconnect()


@pytest.mark.asyncio
async def test_the_project_asgi_application_refuses_anonymous_sockets():
    from comptoir.asgi import application as project_application

    communicator = WebsocketCommunicator(
        project_application,
        "/ws/anything/",
        headers=[(b"origin", b"http://localhost"), (b"host", b"localhost")],
    )
    connected, code = await communicator.connect()

    assert not connected
    assert code == 4403
    await communicator.disconnect()


@pytest.mark.asyncio
async def test_channel_layer_delivers_group_messages():
    """In-memory by default; channels-redis when REDIS_URL is set (as in CI)."""
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add("cafe-test", channel)

    await layer.group_send("cafe-test", {"type": "message.new", "text": "Bonjour"})

    assert (await layer.receive(channel))["text"] == "Bonjour"
    await layer.group_discard("cafe-test", channel)
    expected = "RedisPubSubChannelLayer" if settings.REDIS_URL else "InMemoryChannelLayer"
    assert type(layer).__name__ == expected
