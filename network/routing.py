"""WebSocket routes of the network app (behind comptoir.websocket's stack: approved members
only, same origin only)."""

from django.urls import path

from .consumers import ChannelConsumer

websocket_urlpatterns: list = [
    path("ws/canaux/", ChannelConsumer.as_asgi(), name="channels-socket"),
]
