"""Base websocket consumer and the health echo route.

Every consumer of the platform answers bad input with an error frame
`{"type": "error", "error": {"code", "message", "fields"}}` and keeps the socket
open; `ApplicationError` raised by a service is mapped here, once.
"""

from __future__ import annotations

import json

from channels.generic.websocket import AsyncJsonWebsocketConsumer

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
