"""Websocket routes of every app, gathered in one list for the ASGI router.

The last route catches every other path: an error frame and a 4404 close, never a 500.
"""

from django.urls import path, re_path

from gamefactory.consumers import HealthEchoConsumer, UnknownPathConsumer
from games.consumers import NotificationsConsumer
from multiplayer.consumers import LobbyConsumer, MultiplayerConsumer

websocket_urlpatterns = [
    path("ws/health", HealthEchoConsumer.as_asgi()),
    path("ws/notifications", NotificationsConsumer.as_asgi()),
    path("ws/multiplayer/<uuid:session_id>", MultiplayerConsumer.as_asgi()),
    path("ws/lobby", LobbyConsumer.as_asgi()),
    re_path(r"", UnknownPathConsumer.as_asgi()),
]
