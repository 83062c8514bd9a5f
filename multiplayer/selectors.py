"""Reads of multiplayer sessions, and the JSON shapes the API and the sockets share (README.md)."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet

from gamefactory.errors import ApplicationError
from multiplayer.models import MultiplayerSession, SessionParticipant


def _with_players(qs: QuerySet[MultiplayerSession]) -> QuerySet[MultiplayerSession]:
    active = SessionParticipant.objects.filter(is_active=True).select_related("user").order_by("seat")
    return qs.select_related("game", "host").prefetch_related(
        Prefetch("participants", queryset=active, to_attr="active_participants")
    )


def session_get(*, session_id, user=None) -> MultiplayerSession:
    """One session with its seated players; a private one only for its players and staff (404 otherwise)."""
    try:
        session = _with_players(MultiplayerSession.objects.all()).get(pk=uuid.UUID(str(session_id)))
    except (MultiplayerSession.DoesNotExist, ValueError, ValidationError):
        raise ApplicationError("No such session.", code="not_found", status=404) from None
    if session.is_private and not _may_see_private(session, user):
        raise ApplicationError("No such session.", code="not_found", status=404)
    return session


def _may_see_private(session: MultiplayerSession, user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return any(p.user_id == user.pk for p in _players(session))


def session_list_active(*, game_id=None) -> QuerySet[MultiplayerSession]:
    """Live public sessions of games anyone may see (a hidden or moderated game's are not listed)."""
    qs = MultiplayerSession.objects.filter(
        status__in=MultiplayerSession.LIVE,
        is_private=False,
        game__status="active",
        game__is_public=True,
    )
    if game_id is not None:
        qs = qs.filter(game_id=game_id)
    return _with_players(qs).order_by("-created_at")


def lobby_sessions(*, game_id) -> list[MultiplayerSession]:
    """What `/ws/lobby?game=` shows: public sessions of the game still waiting for players."""
    return list(session_list_active(game_id=game_id).filter(status=MultiplayerSession.Status.WAITING)[:50])


def sessions_active_count() -> int:
    """Live sessions (waiting or active): the `multiplayer_sessions` gauge and `/readyz`."""
    return MultiplayerSession.objects.filter(status__in=MultiplayerSession.LIVE).count()


def participant_get(*, session_id, user) -> SessionParticipant | None:
    return SessionParticipant.objects.filter(session_id=session_id, user=user, is_active=True).first()


# --- the shapes on the wire -------------------------------------------------------------------------


def _players(session: MultiplayerSession) -> list[SessionParticipant]:
    players = getattr(session, "active_participants", None)
    if players is None:
        players = list(session.participants.filter(is_active=True).select_related("user").order_by("seat"))
    return players


def session_payload(session: MultiplayerSession) -> dict[str, Any]:
    """The session JSON of the REST API and of `session_state` frames."""
    return {
        "id": str(session.pk),
        "game": str(session.game_id),
        "game_slug": session.game.slug,
        "host": str(session.host_id),
        "session_code": session.session_code,
        "max_players": session.max_players,
        "min_players": session.min_players,
        "current_players": session.current_players,
        "status": session.status,
        "is_private": session.is_private,
        "mode": session.mode,
        "turn_based": session.turn_based,
        "authority": session.authority,
        "participants": [
            {
                "user_id": str(p.user_id),
                "username": p.user.username,
                "seat": p.seat,
                "is_active": p.is_active,
                "joined_at": p.joined_at.isoformat(),
            }
            for p in _players(session)
        ],
        "ws_url": f"/ws/multiplayer/{session.pk}",
        "join_url": f"/play/{session.game.slug}/together/?code={session.session_code}",
        "started_at": session.started_at.isoformat() if session.started_at else None,
        "ended_at": session.ended_at.isoformat() if session.ended_at else None,
        "created_at": session.created_at.isoformat(),
    }


def player_payload(session: MultiplayerSession, p: SessionParticipant) -> dict[str, Any]:
    return {
        "user_id": str(p.user_id),
        "username": p.user.username,
        "seat": p.seat,
        "connected": p.connected,
        "ready": p.ready,
        "is_host": p.user_id == session.host_id,
    }


def session_state_payload(session: MultiplayerSession) -> dict[str, Any]:
    """A `session_state` frame without `seq`, `ts`, `you` and `missed` (the socket adds those)."""
    data = session.session_data or {}
    return {
        "type": "session_state",
        "session": session_payload(session),
        "players": [player_payload(session, p) for p in _players(session)],
        "round": data.get("round", 0),
        "round_over": data.get("round_over", False),
        "result": data.get("result"),
        "turn_seat": data.get("turn_seat"),
        "snapshot": data.get("snapshot"),
    }


def session_state_get(*, session_id) -> dict[str, Any]:
    session = _with_players(MultiplayerSession.objects.all()).get(pk=session_id)
    return session_state_payload(session)
