"""Changes to games already in the catalogue: listing edits, deletes, ratings, plays, forks."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from gamefactory.content import content_check, content_held
from gamefactory.errors import ApplicationError
from games import limits
from games.models import Asset, Game, GameVersion, Play, Rating
from games.services.common import catalogue_changed, clean_tags, set_tags, slug_for
from games.services.playtests import is_gated, playtest_require
from games.services.publishing import game_publish, game_texts_check

# --- editing ---------------------------------------------------------------------------------

EDITABLE = {"title", "description", "category", "difficulty", "tags", "is_public"}
STAFF_EDITABLE = {"is_featured", "status"}


def _require_editor(game: Game, user) -> None:
    if not game.can_edit(user):
        raise ApplicationError(
            "Only the game's creator or staff can change it.", code="permission_denied", status=403
        )


def game_update(*, game: Game, user, **fields) -> Game:
    """Change a game's listing; `spec` (with `changelog`) publishes a new version.

    A new title or description is content-checked first (outside the transaction, so the
    decision stays recorded when it refuses); one that is held takes the game out of view until
    a moderator decides.
    """
    _require_editor(game, user)
    verdicts = game_texts_check(
        user=user,
        title=(fields.get("title") or "").strip() if "title" in fields else None,
        description=fields.get("description") if "description" in fields else None,
    )
    if "spec" in fields and isinstance(fields["spec"], dict):
        verdicts += game_texts_check(
            user=user, title=fields["spec"].get("title"), description=fields["spec"].get("description")
        )
    held = any(v.action == "hold" for v in verdicts)
    game = _game_update(game=game, user=user, hold=held, **fields)
    if held:
        content_held(verdicts=verdicts, content_type="game", content_id=game.pk, user=user)
    return game


@transaction.atomic
def _game_update(*, game: Game, user, hold: bool, **fields) -> Game:
    spec = fields.pop("spec", None)
    changelog = fields.pop("changelog", "")
    allowed = EDITABLE | (STAFF_EDITABLE if user.is_staff else set())
    unknown = set(fields) - allowed
    if unknown:
        raise ApplicationError(
            f"Cannot change: {', '.join(sorted(unknown))}.",
            code="read_only",
            fields={name: ["This field cannot be changed here."] for name in sorted(unknown)},
        )
    game = Game.objects.select_for_update().get(pk=game.pk)
    if "title" in fields:
        title = (fields["title"] or "").strip()
        if not title:
            raise ApplicationError.for_field("title", "A game needs a title.", code="required")
        game.title = title[: limits.TITLE_MAX_CHARS]
    if "description" in fields:
        game.description = fields["description"] or ""
    if fields.get("is_public") is True:
        # The publish gate, on the page's and the studio's "publish" and on the API's PUT alike.
        playtest_require(version=game.current_version, origin=game.origin)
    for name in ("category", "difficulty", "is_public", "is_featured", "status"):
        if name in fields:
            setattr(game, name, fields[name])
    if hold and game.status == Game.Status.ACTIVE:
        game.status = Game.Status.MODERATED
    game.save()
    if "tags" in fields:
        set_tags(game, clean_tags(fields["tags"]))
    if spec is not None:
        version = game_publish(
            creator=user,
            spec=spec,
            origin=game.origin,
            provenance=game.provenance,
            changelog=changelog,
            game=game,
            # Checked above; a hold was applied to the game already (and is queued by game_update).
            content_verdicts=[],
        )
        game.refresh_from_db()
        if game.current_version_id != version.pk and not version.playtest:
            # A public game's new version waits behind the played one until its own playtest passes.
            from games.tasks import version_playtest_task

            version_id = str(version.pk)
            transaction.on_commit(lambda: version_playtest_task.delay(version_id))
    catalogue_changed()
    return game


@transaction.atomic
def game_delete(*, game: Game, user) -> None:
    """Soft delete: the game leaves the catalogue and its bundle stops being served."""
    _require_editor(game, user)
    Game.objects.filter(pk=game.pk).update(status=Game.Status.DELETED, updated_at=timezone.now())
    catalogue_changed()


@transaction.atomic
def game_play_restriction_set(*, game: Game, restricted: bool) -> Game:
    """Mark whether playing `game` needs an entitlement (games/access.py). The marketplace calls
    it when a paid listing opens or closes; the open bundle URL stops serving a restricted game."""
    Game.objects.filter(pk=game.pk).update(play_restricted=restricted, updated_at=timezone.now())
    game.play_restricted = restricted
    catalogue_changed()
    return game


@transaction.atomic
def game_moderation_set(*, game: Game, status: str) -> Game:
    """Moderation's switch (the moderation app checks who may): `moderated` takes a game out of
    every list, search and the open bundle URL (its creator and staff still play it through a
    grant), `deleted` removes it, `active` brings it back."""
    if status not in Game.Status.values:
        raise ApplicationError.for_field("status", f"Unknown status {status!r}.", code="invalid")
    Game.objects.filter(pk=game.pk).update(status=status, updated_at=timezone.now())
    game.status = status
    catalogue_changed()
    return game


def game_publish_draft(*, game: Game, user) -> Game:
    """The studio's "publish": a private game becomes public."""
    return game_update(game=game, user=user, is_public=True)


# --- ratings ---------------------------------------------------------------------------------


def _stars_clean(stars) -> int:
    if isinstance(stars, bool) or not isinstance(stars, int):
        raise ApplicationError.for_field(
            "stars",
            f"Stars are a whole number from {limits.RATING_MIN} to {limits.RATING_MAX}.",
            code="invalid",
        )
    if not limits.RATING_MIN <= stars <= limits.RATING_MAX:
        raise ApplicationError.for_field(
            "stars", f"Stars are from {limits.RATING_MIN} to {limits.RATING_MAX}.", code="out_of_range"
        )
    return stars


def _require_viewable(game: Game, user) -> None:
    if not game.can_view(user) or game.status != Game.Status.ACTIVE:
        raise ApplicationError("No such game.", code="not_found", status=404)


@transaction.atomic
def game_rate(*, game: Game, user, stars) -> Rating:
    """One rating per user per game (a second one replaces the first); the average stays exact.

    The counters change in one UPDATE with F() expressions and the average is recomputed from
    them in the same transaction, under the game row's lock: concurrent votes never lose one.
    """
    stars = _stars_clean(stars)
    if not (user and user.is_authenticated):
        raise ApplicationError("Sign in to rate games.", code="not_authenticated", status=401)
    _require_viewable(game, user)
    rating = Rating.objects.select_for_update().filter(game=game, user=user).first()
    if rating is None:
        try:
            with transaction.atomic():
                rating = Rating.objects.create(game=game, user=user, stars=stars)
            delta_sum, delta_count = stars, 1
        except IntegrityError:
            # The same user's other request made it first: this one becomes a change.
            rating = Rating.objects.select_for_update().get(game=game, user=user)
            delta_sum, delta_count = stars - rating.stars, 0
            rating.stars = stars
            rating.save(update_fields=["stars", "updated_at"])
    else:
        delta_sum, delta_count = stars - rating.stars, 0
        rating.stars = stars
        rating.save(update_fields=["stars", "updated_at"])
    Game.objects.filter(pk=game.pk).update(
        rating_sum=F("rating_sum") + delta_sum, rating_count=F("rating_count") + delta_count
    )
    # The UPDATE above holds the game row's lock until commit: these totals cannot move under us.
    total, count = Game.objects.filter(pk=game.pk).values_list("rating_sum", "rating_count").get()
    average = (
        (Decimal(total) / count).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if count
        else Decimal("0.00")
    )
    Game.objects.filter(pk=game.pk).update(rating=average)
    catalogue_changed()
    return rating


# --- plays -----------------------------------------------------------------------------------


def _anonymous_id_clean(value) -> str:
    if value in (None, ""):
        return ""
    if not isinstance(value, str) or len(value) > limits.ANONYMOUS_ID_MAX_CHARS or not value.isprintable():
        raise ApplicationError.for_field("anonymous_id", "Not a valid player id.", code="invalid")
    return value


@transaction.atomic
def play_start(*, game: Game, user=None, anonymous_id: str = "", test: bool = False) -> Play:
    """A play begins, or the player's play of this game that is still going continues.

    A new play is counted at once (the catalogue's play count). The same player (the user, or the
    anonymous id when signed out) starting again within `limits.PLAY_SESSION_IDLE` of their play's
    last sign of life gets that play back (`play.resumed` is True): a reload is not a new play.
    `test=True` is the creator testing in the studio's preview: recorded, never counted as a play.
    """
    _require_viewable(game, user)
    if game.current_version_id is None:
        raise ApplicationError("This game has no playable version yet.", code="not_playable", status=409)
    user = user if user is not None and user.is_authenticated else None
    anonymous_id = _anonymous_id_clean(anonymous_id)
    if user is None and not anonymous_id:
        raise ApplicationError.for_field("anonymous_id", "Anonymous plays need a player id.", code="required")
    test = bool(test)
    if test and not game.can_edit(user):
        raise ApplicationError.for_field(
            "test", "Only the game's creator tests it in the studio.", code="permission_denied", status=403
        )
    now = timezone.now()
    owner = {"user": user} if user is not None else {"user": None, "anonymous_id": anonymous_id}
    play = (
        Play.objects.select_for_update()
        .filter(game=game, is_test=test, last_seen_at__gte=now - limits.PLAY_SESSION_IDLE, **owner)
        .order_by("-last_seen_at")
        .first()
    )
    if play is not None:
        play.last_seen_at = now
        play.save(update_fields=["last_seen_at"])
        play.resumed = True
        return play
    play = Play.objects.create(
        game=game,
        version_id=game.current_version_id,
        user=user,
        anonymous_id=anonymous_id,
        started_at=now,
        last_seen_at=now,
        is_test=test,
    )
    if not test:
        Game.objects.filter(pk=game.pk).update(play_count=F("play_count") + 1)
    play.resumed = False
    return play


@transaction.atomic
def play_finish(
    *, play: Play, user=None, anonymous_id: str = "", duration_ms=None, score=None, completed: bool = False
) -> Play:
    """Record how a play went; only the player who started it can, and the best score is kept."""
    play = Play.objects.select_for_update().get(pk=play.pk)
    user = user if user is not None and user.is_authenticated else None
    owner_ok = (play.user_id is not None and user is not None and play.user_id == user.pk) or (
        play.user_id is None and anonymous_id and play.anonymous_id == anonymous_id
    )
    if not owner_ok:
        raise ApplicationError("No such play.", code="not_found", status=404)
    if duration_ms is not None:
        if isinstance(duration_ms, bool) or not isinstance(duration_ms, int) or duration_ms < 0:
            raise ApplicationError.for_field(
                "duration_ms", "A duration is a whole number of ms.", code="invalid"
            )
        play.duration_ms = min(duration_ms, limits.PLAY_MAX_DURATION_MS)
    if score is not None:
        if isinstance(score, bool) or not isinstance(score, int) or abs(score) > limits.PLAY_MAX_SCORE:
            raise ApplicationError.for_field("score", "A score is a whole number.", code="invalid")
        play.score = score if play.score is None else max(play.score, score)
    play.completed = play.completed or bool(completed)
    play.last_seen_at = timezone.now()
    play.save(update_fields=["duration_ms", "score", "completed", "last_seen_at"])
    return play


@transaction.atomic
def game_play_count_refresh(*, game: Game) -> int:
    """Set the game's play count from its play records (tests excluded); returns it."""
    count = Play.objects.filter(game=game, is_test=False).count()
    Game.objects.filter(pk=game.pk).update(play_count=count)
    game.play_count = count
    catalogue_changed()
    return count


@transaction.atomic
def plays_import(*, game: Game, plays: list[dict]) -> int:
    """Record plays that happened elsewhere (the demo's simulated players), then recount the game.

    Each dict: `anonymous_id` (or `user`), `started_at`, and optionally `duration_ms`, `score`,
    `completed`. Returns how many were recorded.
    """
    rows = []
    for item in plays:
        started = item["started_at"]
        duration = item.get("duration_ms")
        rows.append(
            Play(
                game=game,
                version_id=game.current_version_id,
                user=item.get("user"),
                anonymous_id=_anonymous_id_clean(item.get("anonymous_id", "")),
                started_at=started,
                last_seen_at=started + timedelta(milliseconds=duration or 0),
                duration_ms=min(duration, limits.PLAY_MAX_DURATION_MS) if duration is not None else None,
                score=item.get("score"),
                completed=bool(item.get("completed")),
            )
        )
    Play.objects.bulk_create(rows, batch_size=1000)
    game_play_count_refresh(game=game)
    return len(rows)


# --- forks -----------------------------------------------------------------------------------


def game_fork(*, game: Game, user, title: str | None = None, is_public: bool | None = None) -> Game:
    """A copy of the game's current version owned by `user`, linked to where it came from.

    The bundle is shared (content-addressed), so a fork costs rows, not files. A title of the
    user's own is content-checked (a held one keeps the fork out of view until reviewed).
    The fork keeps the version's playtest verdict: `is_public=True` on a version that has not
    passed one is refused (409); `None` makes it public exactly when it may be.
    """
    if not (user and user.is_authenticated):
        raise ApplicationError("Sign in to fork games.", code="not_authenticated", status=401)
    verdict = content_check(kind="title", text=title, field="title", user=user) if title else None
    held = verdict is not None and verdict.action == "hold"
    fork = _game_fork(game=game, user=user, title=title, is_public=is_public, hold=held)
    if held:
        content_held(verdicts=[verdict], content_type="game", content_id=fork.pk, user=user)
    return fork


@transaction.atomic
def _game_fork(*, game: Game, user, title: str | None, is_public: bool | None, hold: bool) -> Game:
    _require_viewable(game, user)
    source = game.current_version
    if source is None:
        raise ApplicationError("This game has no version to fork.", code="not_playable", status=409)
    if is_public is None:
        is_public = source.playtest_passed or not is_gated(game.origin)
    elif is_public:
        playtest_require(version=source, origin=Game.Origin.FORK)
    fork_id = uuid.uuid4()
    fork_title = (title or f"{game.title} (remix)")[: limits.TITLE_MAX_CHARS]
    fork = Game.objects.create(
        id=fork_id,
        creator=user,
        title=fork_title,
        slug=slug_for(fork_title, fork_id),
        description=game.description,
        category=game.category,
        difficulty=game.difficulty,
        mechanic=game.mechanic,
        spec=source.spec,
        thumbnail_small=game.thumbnail_small.name,
        thumbnail_large=game.thumbnail_large.name,
        is_public=is_public,
        status=Game.Status.MODERATED if hold else Game.Status.ACTIVE,
        origin=Game.Origin.FORK,
        forked_from=game,
        provenance={
            "source": "fork",
            "forked_from": str(game.pk),
            "forked_version": str(source.pk),
            "original": game.provenance,
        },
    )
    fork.tags.set(game.tags.all())
    version = GameVersion.objects.create(
        game=fork,
        number=1,
        spec=source.spec,
        bundle_path=source.bundle_path,
        bundle_hash=source.bundle_hash,
        manifest=source.manifest,
        bundle_size=source.bundle_size,
        playtest=source.playtest,
        changelog=f"Forked from {game.title} v{source.number}.",
        created_by=user,
        parent=source,
    )
    Asset.objects.bulk_create(
        [
            Asset(
                version=version,
                kind=a.kind,
                path=a.path,
                content_type=a.content_type,
                size=a.size,
                sha256=a.sha256,
            )
            for a in source.assets.all()
        ]
    )
    fork.current_version = version
    fork.save(update_fields=["current_version"])
    catalogue_changed()
    return fork
