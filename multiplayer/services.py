"""Writes of multiplayer sessions: create, join, leave, presence, rounds, turns, outcomes.

Each write locks the session row (`select_for_update`) before it reads the seats, so processes that
race (20 joins for 4 seats) are served one after the other; the partial unique indexes on the code
and on the active seats are the last word. What the players must hear is published after commit.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from gamefactory.errors import ApplicationError
from games import access as games_access
from games.models import Game
from generation import selectors as generation_selectors
from multiplayer import relay, selectors
from multiplayer.models import MAX_SEATS, MIN_SEATS, MultiplayerSession, SessionParticipant

# No 0/O, 1/I/L: read aloud and typed on a phone without mistakes.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_ATTEMPTS = 20
MAX_SCORES = 16


def code_new() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(settings.MULTIPLAYER_CODE_LENGTH))


def code_normalize(code: Any) -> str:
    if not isinstance(code, str) or not code.strip():
        raise ApplicationError.for_field("code", "A session code is required.", code="required")
    cleaned = code.strip().upper().replace("-", "").replace(" ", "")
    if len(cleaned) != settings.MULTIPLAYER_CODE_LENGTH or any(c not in CODE_ALPHABET for c in cleaned):
        raise ApplicationError.for_field(
            "code", "No live session has this code.", code="invalid_code", status=404
        )
    return cleaned


# --- broadcasting on commit -------------------------------------------------------------------------


def _state_after_commit(session_id, *extra: dict) -> None:
    """After commit: the `extra` frames, then the fresh `session_state`, then the lobby's view."""

    def send() -> None:
        for frame in extra:
            relay.publish(session_id, frame)
        session = selectors.session_get(session_id=session_id, user=_Staff)
        state = selectors.session_state_payload(session)
        live = relay.snapshot_get(session_id)
        if live is not None and not state["round_over"]:
            state["snapshot"] = live
        relay.publish(session_id, state)
        lobby_announce(session)

    transaction.on_commit(send)


class _Staff:
    """Reads for broadcasting see private sessions too."""

    is_authenticated = True
    is_staff = True
    pk = None


def _lobby_announce_later(session_id) -> Callable[[], None]:
    return lambda: lobby_announce(selectors.session_get(session_id=session_id, user=_Staff))


def lobby_announce(session: MultiplayerSession) -> None:
    """Tell the game's lobby sockets about a change (a private session is never shown)."""
    if session.is_private:
        return
    listed = session.status == MultiplayerSession.Status.WAITING and session.game.is_listed
    frame: dict[str, Any] = {"type": "lobby_update", "session_id": str(session.pk), "open": listed}
    if listed:
        frame["session"] = selectors.session_payload(session)
    relay.publish_lobby(session.game_id, frame)


# --- sessions ---------------------------------------------------------------------------------------


def session_create(
    *, user, game: Game, max_players: int | None = None, is_private: bool = False
) -> MultiplayerSession:
    """A new waiting session of `game` hosted by `user` in seat 0, with a fresh live-unique code."""
    if not game.is_listed:
        raise ApplicationError.for_field(
            "game", "This game cannot be played together now.", code="not_available"
        )
    if not games_access.game_play_access(game=game, user=user).allowed:
        raise ApplicationError.for_field(
            "game", "Get this game to host a session.", code="entitlement_required", status=403
        )
    mode = generation_selectors.multiplayer_mode(game.spec)
    if mode is None:
        raise ApplicationError.for_field("game", "This game plays solo only.", code="not_multiplayer")
    ceiling = min(mode.max_players, MAX_SEATS)
    if max_players is None:
        max_players = ceiling
    if isinstance(max_players, bool) or not isinstance(max_players, int):
        raise ApplicationError.for_field("max_players", "A whole number.", code="invalid")
    floor = max(mode.min_players, MIN_SEATS)
    if not floor <= max_players <= ceiling:
        raise ApplicationError.for_field(
            "max_players", f"This game plays with {floor} to {ceiling} players.", code="out_of_range"
        )
    for _ in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                session = MultiplayerSession.objects.create(
                    game=game,
                    host=user,
                    session_code=code_new(),
                    max_players=max_players,
                    min_players=floor,
                    current_players=1,
                    is_private=bool(is_private),
                    mode=mode.name,
                    turn_based=mode.turn_based,
                    authority=mode.authority,
                    session_data={"round": 0, "round_over": False, "result": None, "turn_seat": None},
                )
                SessionParticipant.objects.create(session=session, user=user, seat=0)
        except IntegrityError as exc:
            if "multiplayer_live_code_unique" in str(exc):
                continue  # another live session has this code: draw again
            raise
        transaction.on_commit(_lobby_announce_later(session.pk))
        return selectors.session_get(session_id=session.pk, user=user)
    raise ApplicationError("Could not find a free session code; try again.", code="busy", status=503)


def _locked(session_id) -> MultiplayerSession:
    try:
        return MultiplayerSession.objects.select_for_update().select_related("game").get(pk=session_id)
    except (MultiplayerSession.DoesNotExist, ValueError):
        raise ApplicationError("No such session.", code="not_found", status=404) from None


def session_join(*, user, session_id=None, code: Any = None) -> MultiplayerSession:
    """Seat `user` in a live session (by id, or by code for a private one). Joining twice is one seat."""
    if code is not None:
        normalized = code_normalize(code)
        found = (
            MultiplayerSession.objects.filter(session_code=normalized, status__in=MultiplayerSession.LIVE)
            .values_list("pk", flat=True)
            .first()
        )
        if found is None:
            raise ApplicationError.for_field(
                "code", "No live session has this code.", code="invalid_code", status=404
            )
        session_id = found
    with transaction.atomic():
        session = _locked(session_id)
        mine = SessionParticipant.objects.filter(session=session, user=user).first()
        if mine is not None and mine.is_active:
            return selectors.session_get(session_id=session.pk, user=user)
        if session.is_private and code is None:
            raise ApplicationError(
                "This session is private: join it with its code.", code="private", status=403
            )
        if not session.is_live:
            raise ApplicationError("This session has ended.", code="session_ended", status=409)
        if not session.game.is_listed:
            raise ApplicationError(
                "This game cannot be played together now.", code="not_available", status=409
            )
        if session.is_full:
            raise ApplicationError("This session is full.", code="session_full", status=409)
        taken = set(
            SessionParticipant.objects.filter(session=session, is_active=True).values_list("seat", flat=True)
        )
        seat = min(set(range(session.max_players)) - taken)
        if mine is None:
            mine = SessionParticipant.objects.create(session=session, user=user, seat=seat)
        else:
            mine.seat, mine.is_active, mine.left_at, mine.ready = seat, True, None, False
            mine.connected, mine.connection, mine.disconnected_at = False, "", None
            mine.save()
        session.current_players += 1
        session.save(update_fields=["current_players"])
        player = {"user_id": str(user.pk), "username": user.username, "seat": seat, "connected": False,
                  "ready": False, "is_host": False}  # fmt: skip
        _state_after_commit(session.pk, {"type": "player_joined", "player": player})
    return selectors.session_get(session_id=session.pk, user=user)


def _next_seat(seats: list[int], after: int) -> int | None:
    if not seats:
        return None
    later = [s for s in sorted(seats) if s > after]
    return later[0] if later else min(seats)


def _unseat(session: MultiplayerSession, participant: SessionParticipant, *, reason: str) -> None:
    """Inside a transaction holding the session's lock: the player leaves; host and turn move on."""
    participant.is_active, participant.left_at = False, timezone.now()
    participant.connected, participant.ready = False, False
    participant.save(update_fields=["is_active", "left_at", "connected", "ready"])
    session.current_players = max(0, session.current_players - 1)
    remaining = list(
        SessionParticipant.objects.filter(session=session, is_active=True)
        .order_by("seat")
        .values_list("seat", "user_id")
    )
    data = dict(session.session_data or {})
    seats = [s for s, _ in remaining]
    if session.host_id == participant.user_id and remaining:
        next_seat = _next_seat(seats, participant.seat)
        if next_seat is not None:
            session.host_id = dict(remaining)[next_seat]
    if data.get("turn_seat") == participant.seat:
        data["turn_seat"] = _next_seat(seats, participant.seat)
    round_running = data.get("round", 0) > 0 and not data.get("round_over")
    if round_running and len(remaining) < session.min_players:
        data["round_over"] = True
        data["result"] = {"winner_seat": seats[0] if len(seats) == 1 else None, "reason": "players_left"}
    if not remaining:
        session.status, session.ended_at = MultiplayerSession.Status.COMPLETED, timezone.now()
    session.session_data = data
    session.save()
    player = {"user_id": str(participant.user_id), "username": participant.user.username,
              "seat": participant.seat, "connected": False, "ready": False, "is_host": False}  # fmt: skip
    _state_after_commit(session.pk, {"type": "player_left", "player": player, "reason": reason})


def session_leave(*, user, session_id) -> MultiplayerSession:
    with transaction.atomic():
        session = _locked(session_id)
        mine = (
            SessionParticipant.objects.filter(session=session, user=user, is_active=True)
            .select_related("user")
            .first()
        )
        if mine is None:
            raise ApplicationError("You are not seated in this session.", code="not_seated", status=409)
        _unseat(session, mine, reason="left")
    return selectors.session_get(session_id=session_id, user=_Staff)


def session_end(*, session_id, by=None) -> MultiplayerSession:
    """End a live session for everyone (staff's admin action, or its host)."""
    with transaction.atomic():
        session = _locked(session_id)
        if by is not None and not by.is_staff and by.pk != session.host_id:
            raise ApplicationError("Only the host or staff may end a session.", code="forbidden", status=403)
        if not session.is_live:
            return session
        session.status, session.ended_at = MultiplayerSession.Status.COMPLETED, timezone.now()
        data = dict(session.session_data or {})
        if data.get("round", 0) and not data.get("round_over"):
            data["round_over"], data["result"] = True, {"winner_seat": None, "reason": "ended"}
        session.session_data = data
        session.save()
        SessionParticipant.objects.filter(session=session, is_active=True).update(
            is_active=False, left_at=timezone.now(), connected=False, ready=False
        )
        session.current_players = 0
        session.save(update_fields=["current_players"])
        _state_after_commit(session.pk, {"type": "session_ended"})
    return session


# --- presence ---------------------------------------------------------------------------------------


def participant_connect(*, session_id, user, channel: str) -> tuple[SessionParticipant, str]:
    """The seated `user`'s newest socket is `channel`; returns it and the socket it replaces ("" if none)."""
    with transaction.atomic():
        session = _locked(session_id)
        if not session.is_live:
            raise ApplicationError("This session has ended.", code="session_ended", status=409)
        mine = (
            SessionParticipant.objects.select_for_update()
            .filter(session=session, user=user, is_active=True)
            .first()
        )
        if mine is None:
            raise ApplicationError("Join the session before connecting.", code="not_seated", status=403)
        replaced = mine.connection if mine.connected and mine.connection != channel else ""
        mine.connected, mine.connection, mine.disconnected_at = True, channel, None
        mine.save(update_fields=["connected", "connection", "disconnected_at"])
    return mine, replaced


def participant_disconnect(*, participant_id, channel: str) -> dt.datetime | None:
    """The socket `channel` closed: if it was the player's newest, the seat is kept for the grace period.

    Returns the moment (the key the grace expiry checks), or None when a newer socket took over."""
    now = timezone.now()
    updated = SessionParticipant.objects.filter(
        pk=participant_id, is_active=True, connection=channel, connected=True
    ).update(connected=False, disconnected_at=now)
    return now if updated else None


def participant_grace_expire(*, participant_id, disconnected_at: dt.datetime | None = None) -> bool:
    """Past the grace period without a new socket: the player leaves (host and turn move on).

    With `disconnected_at`, only that disconnection (a later one has its own timer). Safe to call from
    several processes, more than once: the second call finds the player connected or gone."""
    grace = dt.timedelta(seconds=settings.MULTIPLAYER_RECONNECT_GRACE_S)
    with transaction.atomic():
        session_id = (
            SessionParticipant.objects.filter(pk=participant_id).values_list("session_id", flat=True).first()
        )
        if session_id is None:
            return False
        session = _locked(session_id)
        mine = SessionParticipant.objects.filter(pk=participant_id).select_related("user").first()
        if mine is None or not mine.is_active or mine.connected or mine.disconnected_at is None:
            return False
        if disconnected_at is not None and mine.disconnected_at != disconnected_at:
            return False
        if timezone.now() - mine.disconnected_at < grace - dt.timedelta(milliseconds=50):
            return False
        _unseat(session, mine, reason="timeout")
    return True


def sessions_reap() -> int:
    """The reconciler (beat): expire every seat past its grace (a process that held the timer died),
    and close waiting sessions nobody has been connected to for MULTIPLAYER_IDLE_WAITING_S."""
    cutoff = timezone.now() - dt.timedelta(seconds=settings.MULTIPLAYER_RECONNECT_GRACE_S)
    expired = list(
        SessionParticipant.objects.filter(
            is_active=True, connected=False, disconnected_at__lt=cutoff
        ).values_list("pk", flat=True)
    )
    count = sum(participant_grace_expire(participant_id=pk) for pk in expired)
    idle_cutoff = timezone.now() - dt.timedelta(seconds=settings.MULTIPLAYER_IDLE_WAITING_S)
    idle = MultiplayerSession.objects.filter(
        status=MultiplayerSession.Status.WAITING, created_at__lt=idle_cutoff
    ).exclude(participants__connected=True)
    for session_id in idle.values_list("pk", flat=True):
        session_end(session_id=session_id)
        count += 1
    return count


# --- rounds, turns, outcomes --------------------------------------------------------------------------


def participant_ready(*, session_id, user, ready: bool) -> bool:
    """Mark the player ready (or not); when every seated player is, a round starts. Returns started."""
    with transaction.atomic():
        session = _locked(session_id)
        if not session.is_live:
            raise ApplicationError("This session has ended.", code="session_ended")
        mine = SessionParticipant.objects.filter(session=session, user=user, is_active=True).first()
        if mine is None:
            raise ApplicationError("You are not seated in this session.", code="not_seated")
        mine.ready = bool(ready)
        mine.save(update_fields=["ready"])
        players = list(SessionParticipant.objects.filter(session=session, is_active=True).order_by("seat"))
        data = dict(session.session_data or {})
        running = data.get("round", 0) > 0 and not data.get("round_over")
        started = not running and len(players) >= session.min_players and all(p.ready for p in players)
        if started:
            data.update(round=data.get("round", 0) + 1, round_over=False, result=None, snapshot=None)
            data["turn_seat"] = players[0].seat if session.turn_based else None
            session.status = MultiplayerSession.Status.ACTIVE
            session.started_at = session.started_at or timezone.now()
            session.session_data = data
            session.save()
            SessionParticipant.objects.filter(session=session).update(ready=False)
            transaction.on_commit(lambda: relay.snapshot_clear(session.pk))
        _state_after_commit(session.pk)
    return started


def move_take_turn(*, session_id, seat: int, keep_turn: bool) -> int | None:
    """A turn-based move by `seat`: refused out of turn; the turn passes on unless `keep_turn`.

    Returns the seat whose turn it is now (None when no round is running: moves then go through)."""
    with transaction.atomic():
        session = _locked(session_id)
        data = dict(session.session_data or {})
        if not (data.get("round", 0) > 0 and not data.get("round_over")):
            return None
        turn = data.get("turn_seat")
        if turn is not None and turn != seat:
            raise ApplicationError(
                f"It is seat {turn}'s turn.", code="not_your_turn", fields={"type": ["not your turn"]}
            )
        if keep_turn:
            return turn
        seats = list(
            SessionParticipant.objects.filter(session=session, is_active=True).values_list("seat", flat=True)
        )
        data["turn_seat"] = _next_seat(seats, seat)
        session.session_data = data
        session.save(update_fields=["session_data"])
        return data["turn_seat"]


def _clean_result(data: dict, seats: list[int]) -> dict:
    winner = data.get("winner_seat")
    if winner is not None and (
        isinstance(winner, bool) or not isinstance(winner, int) or winner not in seats
    ):
        raise ApplicationError.for_field(
            "data.winner_seat", "The seat of a seated player, or null.", code="invalid"
        )
    scores = data.get("scores") or {}
    if not isinstance(scores, dict) or len(scores) > MAX_SCORES:
        raise ApplicationError.for_field(
            "data.scores", f"An object of at most {MAX_SCORES} scores.", code="invalid"
        )
    for key, value in scores.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ApplicationError.for_field("data.scores", f"Score {key!r} is not a number.", code="invalid")
    return {"winner_seat": winner, "scores": {str(k): v for k, v in scores.items()}}


def round_finish(*, session_id, user, data: dict) -> dict:
    """The round's outcome, from the host (authority "host"); nobody else may declare a winner."""
    with transaction.atomic():
        session = _locked(session_id)
        if session.authority != "host" or session.host_id != user.pk:
            raise ApplicationError(
                "Only the host's game decides the outcome.",
                code="not_authoritative",
                fields={"data.kind": ["outcome"]},
            )
        state = dict(session.session_data or {})
        if not (state.get("round", 0) > 0 and not state.get("round_over")):
            raise ApplicationError("No round is being played.", code="no_round")
        seats = list(
            SessionParticipant.objects.filter(session=session, is_active=True).values_list("seat", flat=True)
        )
        result = _clean_result(data, seats)
        state.update(round_over=True, result=result, turn_seat=None)
        session.session_data = state
        session.save(update_fields=["session_data"])
        SessionParticipant.objects.filter(session=session).update(ready=False)
        _state_after_commit(session.pk)
    return result


def snapshot_save(*, session_id, snapshot: Any) -> None:
    """Keep the host's last state in `session_data` (Redis has it at once; this is the durable copy)."""
    with transaction.atomic():
        session = _locked(session_id)
        data = dict(session.session_data or {})
        data["snapshot"] = snapshot
        session.session_data = data
        session.save(update_fields=["session_data"])
