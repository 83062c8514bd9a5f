"""`/ws/notifications`: a signed-in user's pushes (generation progress, finished games...).

Pages are signed in by their session cookie; mobile clients pass their JWT access token as
`?token=`. Anonymous sockets are closed with code 4401. Every socket of a user joins the
group `user.<id>` that `gamefactory.notifications.notify_user` sends to.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from django.contrib.auth import get_user_model
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.tokens import AccessToken

from gamefactory.consumers import BaseJsonConsumer
from gamefactory.errors import ApplicationError
from gamefactory.notifications import user_group

CLOSE_UNAUTHENTICATED = 4401


@database_sync_to_async
def _user_from_token(raw: str):
    try:
        token = AccessToken(raw)
    except TokenError:
        return None
    user_id = token.get(jwt_settings.USER_ID_CLAIM)
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None or not user.is_active:
        return None
    return user


class NotificationsConsumer(BaseJsonConsumer):
    async def connect(self):
        user = self.scope.get("user")
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        token = (query.get("token") or [""])[0]
        if token:
            user = await _user_from_token(token)
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.user = user
        self.group = user_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "hello", "user_id": str(user.pk)})

    async def disconnect(self, code):
        group = getattr(self, "group", None)
        if group:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if content.get("type") == "ping":
            await self.send_json({"type": "pong"})
            return
        raise ApplicationError.for_field(
            "type", 'This socket only answers {"type": "ping"}.', code="unknown_type"
        )

    async def notify(self, message):
        await self.send_json(message["event"])
