"""Realtime pushes to one user's open pages and apps, over the channel layer.

`notify_user` is called from inside services; the message leaves only when the surrounding
transaction commits (`transaction.on_commit`), so nobody is told about a write that was
rolled back. Every socket of the user (`/ws/notifications`, see games/consumers.py) is in
the group `user.<id>`; with REDIS_URL set the group spans every ASGI process.
"""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

MESSAGE_TYPE = "notify"  # the consumer's handler: `notify`


def user_group(user_id) -> str:
    return f"user.{user_id}"


def _send(group: str, event: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, {"type": MESSAGE_TYPE, "event": event})
    except Exception:  # a push is best effort: the data is saved, pages can still ask for it
        logger.exception("notifications: could not push to %s", group)


def notify_user(*, user_id, event: dict) -> None:
    """Push `event` (a JSON-ready dict with a `type`) to every socket of the user, after commit."""
    group = user_group(user_id)
    transaction.on_commit(lambda: _send(group, event))
