"""Base websocket consumer and the health echo route.

Every consumer of the platform answers bad input with an error frame
`{"type": "error", "error": {"code", "message", "fields"}}` and keeps the socket
open; `ApplicationError` raised by a service is mapped here, once.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.contrib.auth import get_user_model

from gamefactory.errors import ApplicationError

MAX_FRAME_BYTES = 64 * 1024


class BaseJsonConsumer(AsyncJsonWebsocketConsumer):
    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if text_data is None:
            await self.send_error(
                ApplicationError("Only text frames carrying JSON are accepted.", code="bad_frame")
            )
            return
        if len(text_data.encode()) > MAX_FRAME_BYTES:
            await self.send_error(
                ApplicationError(f"Frames are limited to {MAX_FRAME_BYTES} bytes.", code="frame_too_large")
            )
            return
        try:
            content = json.loads(text_data)
        except ValueError as exc:
            await self.send_error(ApplicationError(f"The frame is not valid JSON: {exc}", code="bad_json"))
            return
        if not isinstance(content, dict):
            await self.send_error(ApplicationError("The frame must be a JSON object.", code="bad_frame"))
            return
        try:
            await self.receive_json(content, **kwargs)
        except ApplicationError as exc:
            await self.send_error(exc)

    async def send_error(self, exc: ApplicationError) -> None:
        await self.send_json({"type": "error", **exc.as_dict()})


class HealthEchoConsumer(BaseJsonConsumer):
    """`/ws/health`: echoes each JSON object back, proving websocket routing works end to end."""

    async def connect(self):
        await self.accept()
        await self.send_json({"type": "hello", "channel": self.channel_name is not None})

    async def receive_json(self, content, **kwargs):
        await self.send_json({"type": "echo", "data": content})


class UnknownPathConsumer(BaseJsonConsumer):
    """The router's last route: a websocket to a path nobody serves gets an error frame and a
    404-style close (4404), never a 500 from the router."""

    async def connect(self):
        await self.accept()
        path = self.scope.get("path", "")[:200]
        await self.send_json(
            {"type": "error", **ApplicationError(f"No websocket at {path}.", code="not_found").as_dict()}
        )
        await self.close(code=4404)

    async def receive_json(self, content, **kwargs):
        await self.close(code=4404)


# --- who is on the other end --------------------------------------------------------------------

# Native clients put their JWT in a subprotocol, `access_token.<jwt>`, or as the protocol after
# `gamefactory` (["gamefactory", "<jwt>"]): browsers' WebSocket API cannot send headers.
SUBPROTOCOL = "gamefactory"
TOKEN_SUBPROTOCOL_PREFIX = "access_token."
_JWT_RE = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")


@database_sync_to_async
def jwt_user(raw: str):
    """The active user an access token names, or None (expired, forged, blacklisted user...)."""
    from rest_framework_simplejwt.exceptions import TokenError
    from rest_framework_simplejwt.settings import api_settings as jwt_settings
    from rest_framework_simplejwt.tokens import AccessToken

    try:
        token = AccessToken(raw)
    except TokenError:
        return None
    user = get_user_model().objects.filter(pk=token.get(jwt_settings.USER_ID_CLAIM)).first()
    if user is None or not user.is_active:
        return None
    return user


def socket_token(scope) -> tuple[str, str | None]:
    """The JWT a socket carries (`?token=` or a subprotocol) and the subprotocol to accept."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    token = (query.get("token") or [""])[0]
    offered = list(scope.get("subprotocols") or [])
    for i, protocol in enumerate(offered):
        if protocol.startswith(TOKEN_SUBPROTOCOL_PREFIX):
            return token or protocol[len(TOKEN_SUBPROTOCOL_PREFIX) :], protocol
        if protocol == SUBPROTOCOL:
            following = offered[i + 1] if i + 1 < len(offered) else ""
            if not token and _JWT_RE.match(following):
                token = following
            return token, SUBPROTOCOL
    return token, None


async def socket_user(scope):
    """(user or None, subprotocol to accept): a JWT when the socket carries one (a bad one is None,
    never a fallback to the cookie), else the session cookie's user (pages)."""
    token, subprotocol = socket_token(scope)
    if token:
        return await jwt_user(token), subprotocol
    user = scope.get("user")
    if user is None or not user.is_authenticated:
        return None, subprotocol
    return user, subprotocol
