"""The "Play with friends" pages: start or join a session of a game, then its room (share the code,
see who is in, ready, play in the player with the session's websocket bridged in, rematch, leave).

The sessions themselves are the services' (multiplayer/services.py); these pages are forms over
them (CSRF-protected, signed in) and the room's live part is static/multiplayer/together.js.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from gamefactory.errors import ApplicationError
from games import access as games_access
from games import selectors as games_selectors
from generation import selectors as generation_selectors
from multiplayer import selectors, services


def _frame_policy(view):
    """The room embeds the game: frames from the bundles' origin only (as the game page does)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        sources = " ".join(["'self'", settings.GAME_ORIGIN]).strip()
        response.headers.setdefault("Content-Security-Policy", f"frame-src {sources}; child-src {sources}")
        return response

    return wrapped


def _game_and_mode(request, slug: str):
    try:
        game = games_selectors.game_get(user=request.user, slug=slug)
    except ApplicationError:
        raise Http404("No such game.") from None
    mode = generation_selectors.multiplayer_mode(game.spec)
    if mode is None:
        raise Http404("This game plays solo only.")
    return game, mode


def _error_text(exc: ApplicationError) -> str:
    return exc.message


def _room_url(game, session) -> str:
    return reverse("multiplayer:room", args=[game.slug, session.pk])


@login_required
@require_http_methods(["GET", "POST"])
def together(request, slug: str):
    """Start a session (players, private) or join one: by code, from a shared link, or from the list."""
    game, mode = _game_and_mode(request, slug)
    error = None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "create":
                raw = request.POST.get("max_players") or ""
                try:
                    max_players = int(raw) if raw else None
                except ValueError:
                    raise ApplicationError.for_field(
                        "max_players", "A whole number.", code="invalid"
                    ) from None
                session = services.session_create(
                    user=request.user, game=game, max_players=max_players,
                    is_private=request.POST.get("is_private") == "1",
                )  # fmt: skip
            elif action == "join_code":
                session = services.session_join(user=request.user, code=request.POST.get("code", ""))
            elif action == "join":
                session = services.session_join(user=request.user, session_id=request.POST.get("session"))
            else:
                raise ApplicationError.for_field("action", "Create or join.", code="invalid")
            if session.game_id != game.pk:
                raise ApplicationError.for_field(
                    "code", "This code is for another game.", code="invalid_code"
                )
            return redirect(_room_url(game, session))
        except ApplicationError as exc:
            error = _error_text(exc)
            status = exc.status_code if 400 <= exc.status_code < 500 else 400
    sessions = [
        s
        for s in selectors.session_list_active(game_id=game.pk)[:20]
        if s.status == "waiting" and not s.is_private
    ]
    context = {
        "game": game,
        "mode": mode,
        "seats": list(range(max(2, mode.min_players), mode.max_players + 1)),
        "code": (request.GET.get("code") or "").strip().upper()[:12],
        "sessions": sessions,
        "error": error,
    }
    return render(request, "multiplayer/together.html", context, status=status)


@login_required
@_frame_policy
def room(request, slug: str, session_id):
    """A session's room: the code to share, the players (live), the game with the session bridged in."""
    game, mode = _game_and_mode(request, slug)
    try:
        session = selectors.session_get(session_id=session_id, user=request.user)
    except ApplicationError:
        raise Http404("No such session.") from None
    if session.game_id != game.pk:
        raise Http404("No such session.")
    me = selectors.participant_get(session_id=session.pk, user=request.user)
    if me is None or not me.is_active:
        messages.info(request, "Join the session first.")
        return redirect(f"{reverse('multiplayer:together', args=[game.slug])}?code={session.session_code}")
    payload = selectors.session_payload(session)
    version = game.current_version
    context = {
        "game": game,
        "mode": mode,
        "session": session,
        "payload": payload,
        "me": me,
        "share_url": request.build_absolute_uri(payload["join_url"]),
        "play_url": games_access.play_url_for(game=game, version=version, user=request.user),
        "play_api": reverse("games-play", args=[game.pk]),
        "version": version,
    }
    return render(request, "multiplayer/room.html", context)


@login_required
@require_POST
def leave(request, slug: str, session_id):
    game, _mode = _game_and_mode(request, slug)
    try:
        services.session_leave(user=request.user, session_id=session_id)
    except ApplicationError as exc:
        messages.error(request, _error_text(exc))
    return redirect(reverse("multiplayer:together", args=[game.slug]))
