"""Who may play a game, and the bundle URLs that carry that right into the sandbox.

A bundle runs in an opaque-origin iframe, so the requests for its files carry no cookies:
the right to play has to travel in the URL. Two kinds of URL serve the same files:

- the **open** URL `/play/<version>/<hash>/<path>`, for a game anyone may play (active,
  public, and no entitlement needed): content-addressed and cached for a year;
- the **granted** URL `/play/<version>/<hash>/~<grant>/<path>`, for every other game a user
  may play (their own draft, a game held by moderation for its creator and staff, a paid game
  for its buyers). The grant is signed, names the version and the user, and expires; the
  bundle view checks it, and re-checks the user's right at most every
  `BUNDLE_GRANT_RECHECK_SECONDS`, so a refund or a takedown closes the door within that time.
  Relative URLs inside the bundle keep the grant segment, so every file of it is covered.

Other apps add who is *entitled* to a game that needs an entitlement (the marketplace: its
buyers) with `entitlement_register`, from their `AppConfig.ready`, and mark a game as needing
one with `games.services.game_play_restriction_set`. This app never imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache

from games import bundles
from games.models import Game, GameVersion

GRANT_SALT = "games.bundle-grant"
# A signed grant: base64url characters and the signer's ':' separators.
GRANT_RE = r"[A-Za-z0-9_\-:]{20,400}"

# (game, user) -> True when the user is entitled to play a game that needs an entitlement.
EntitlementCheck = Callable[[Game, object], bool]
_ENTITLEMENT_CHECKS: list[EntitlementCheck] = []


def entitlement_register(check: EntitlementCheck) -> None:
    """Add a source of entitlements (idempotent: registering the same function twice is one)."""
    if check not in _ENTITLEMENT_CHECKS:
        _ENTITLEMENT_CHECKS.append(check)


@dataclass(frozen=True)
class PlayAccess:
    allowed: bool
    # Why not, in words for the player ("Buy this game to play it."), and a code for clients.
    reason: str = ""
    code: str = ""


def _is_privileged(game: Game, user) -> bool:
    return bool(user and user.is_authenticated and (user.pk == game.creator_id or user.is_staff))


def game_play_access(*, game: Game, user) -> PlayAccess:
    """May `user` (anonymous or None allowed) play `game`?"""
    if not game.can_view(user):
        return PlayAccess(False, "This game is not available.", "not_available")
    if _is_privileged(game, user):
        return PlayAccess(True)
    if game.status != Game.Status.ACTIVE:
        return PlayAccess(False, "This game is not available.", "not_available")
    if not game.play_restricted:
        return PlayAccess(True)
    if user is not None and user.is_authenticated and any(check(game, user) for check in _ENTITLEMENT_CHECKS):
        return PlayAccess(True)
    if user is None or not user.is_authenticated:
        return PlayAccess(False, "Sign in and get this game to play it.", "entitlement_required")
    return PlayAccess(False, "Get this game to play it.", "entitlement_required")


def game_is_open(game: Game) -> bool:
    """Anyone may play it, signed in or not: the open, long-cached URL serves it."""
    return game.status == Game.Status.ACTIVE and game.is_public and not game.play_restricted


# --- grants --------------------------------------------------------------------------------


def bundle_grant_issue(*, version: GameVersion, user) -> str:
    """A signed, expiring grant to load `version`'s bundle, for `user` (None: anonymous)."""
    user_id = str(user.pk) if user is not None and user.is_authenticated else ""
    return signing.dumps({"v": str(version.pk), "u": user_id}, salt=GRANT_SALT, compress=False)


@dataclass(frozen=True)
class Grant:
    version_id: str
    user_id: str


def bundle_grant_read(token: str, *, version_id) -> Grant | None:
    """The grant in `token` when it is genuine, unexpired and for `version_id`; else None."""
    try:
        data = signing.loads(token, salt=GRANT_SALT, max_age=settings.BUNDLE_GRANT_SECONDS)
    except signing.BadSignature:  # also SignatureExpired
        return None
    if not isinstance(data, dict) or data.get("v") != str(version_id):
        return None
    return Grant(version_id=data["v"], user_id=str(data.get("u") or ""))


def _grant_cache_key(game_id, user_id) -> str:
    return f"games:grant-ok:{game_id}:{user_id or '-'}"


def entitlement_changed(*, game_id, user_id) -> None:
    """An entitlement source says a user's right to a game changed (a refund): forget the cached
    answer now instead of within `BUNDLE_GRANT_RECHECK_SECONDS`. Call it after commit."""
    cache.delete(_grant_cache_key(game_id, user_id))


def bundle_grant_allows(*, grant: Grant, game: Game) -> bool:
    """Does the grant's user still have the right to play? Cached briefly per (game, user)."""
    key = _grant_cache_key(game.pk, grant.user_id)
    cached = cache.get(key)
    if cached is not None:
        return cached
    user = None
    if grant.user_id:
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(pk=grant.user_id).first()
        if user is None or not user.is_active:
            cache.set(key, False, settings.BUNDLE_GRANT_RECHECK_SECONDS)
            return False
    allowed = game_play_access(game=game, user=user).allowed
    cache.set(key, allowed, settings.BUNDLE_GRANT_RECHECK_SECONDS)
    return allowed


def play_url_for(
    *, game: Game, version: GameVersion | None, user, path: str = "index.html", absolute: bool = True
) -> str | None:
    """The URL that loads `path` of `version`'s bundle for `user`, or None when they may not play it."""
    if version is None or not version.bundle_hash:
        return None
    if game_is_open(game):
        return bundles.bundle_url(
            version_id=version.pk, bundle_hash=version.bundle_hash, path=path, absolute=absolute
        )
    if not game_play_access(game=game, user=user).allowed:
        return None
    grant = bundle_grant_issue(version=version, user=user)
    return bundles.bundle_url(
        version_id=version.pk, bundle_hash=version.bundle_hash, path=f"~{grant}/{path}", absolute=absolute
    )
