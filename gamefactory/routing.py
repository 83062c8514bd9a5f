"""Websocket routes of every app, gathered in one list for the ASGI router."""

from django.urls import path

from gamefactory.consumers import HealthEchoConsumer
from games.consumers import NotificationsConsumer

websocket_urlpatterns = [
    path("ws/health", HealthEchoConsumer.as_asgi()),
    path("ws/notifications", NotificationsConsumer.as_asgi()),
]
