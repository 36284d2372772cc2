"""WebSocket routes of the network app; the discussion channels add their consumers here."""

websocket_urlpatterns: list = []
