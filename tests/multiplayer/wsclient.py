"""Helpers of the socket tests: connect a seated player, read until a frame of a type."""

from __future__ import annotations

import asyncio

from channels.testing import WebsocketCommunicator
from rest_framework_simplejwt.tokens import AccessToken

from gamefactory.asgi import application

ORIGIN = (b"origin", b"http://127.0.0.1:8000")


async def connect(path, *, user=None, origin=True, headers=(), subprotocols=None):
    if user is not None:
        sep = "&" if "?" in path else "?"
        path = f"{path}{sep}token={AccessToken.for_user(user)}"
    ws = WebsocketCommunicator(
        application, path, headers=[*([ORIGIN] if origin else []), *headers], subprotocols=subprotocols
    )
    connected, code = await ws.connect(timeout=5)
    return ws, connected, code


async def until(ws, kind: str, *, timeout: float = 5.0, seen: list | None = None) -> dict:
    """The next frame of type `kind`; the frames before it are appended to `seen`."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        left = deadline - asyncio.get_running_loop().time()
        if left <= 0:
            raise AssertionError(f"no {kind} frame within {timeout}s (saw {seen})")
        frame = await ws.receive_json_from(timeout=left)
        if frame.get("type") == kind:
            return frame
        if seen is not None:
            seen.append(frame)


async def drain(ws, wait: float = 0.3) -> list[dict]:
    """Every frame that arrives until none comes for `wait` s (receive_nothing: a timeout on a receive
    would cancel the application)."""
    frames = []
    while not await ws.receive_nothing(timeout=wait):
        frames.append(await ws.receive_json_from())
    return frames
