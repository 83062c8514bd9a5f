"""Reads of the catalogue, with related rows preloaded (no N+1 on any list)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from gamefactory.errors import ApplicationError
from games.models import Game, GameVersion, GenerationRequest, Play, Rating

SORTS = {
    "new": ("-created_at", "-id"),
    "rating": ("-rating", "-rating_count", "-created_at", "-id"),
    "plays": ("-play_count", "-created_at", "-id"),
}
# Columns a list never shows: the spec and provenance can be tens of kilobytes per game.
LIST_DEFERRED = ("spec", "provenance")


def _listed() -> QuerySet[Game]:
    return Game.objects.filter(status=Game.Status.ACTIVE, is_public=True)


def game_list(
    *,
    q: str | None = None,
    category: str | None = None,
    difficulty: str | None = None,
    tags: list[str] | None = None,
    creator: str | None = None,
    featured: bool | None = None,
    mechanic: str | None = None,
    origin: str | None = None,
    sort: str = "new",
) -> QuerySet[Game]:
    """Public, active games, filtered and sorted; creator and tags preloaded (3 queries a page)."""
    qs = _listed()
    if category:
        qs = qs.filter(category=category)
    if difficulty:
        qs = qs.filter(difficulty=difficulty)
    if mechanic:
        qs = qs.filter(mechanic=mechanic)
    if origin:
        qs = qs.filter(origin=origin)
    if featured is not None:
        qs = qs.filter(is_featured=featured)
    if creator:
        try:
            qs = qs.filter(creator_id=uuid.UUID(str(creator)))
        except ValueError:
            qs = qs.filter(creator__username__iexact=creator)
    if tags:
        tagged = Game.tags.through.objects.filter(game_id=OuterRef("pk"), tag__name__in=tags)
        qs = qs.filter(Exists(tagged))
    if q:
        # icontains works alike on SQLite and PostgreSQL; tags match whole words.
        tag_match = Game.tags.through.objects.filter(game_id=OuterRef("pk"), tag__name=q.strip().lower())
        qs = qs.filter(
            Q(title__icontains=q)
            | Q(description__icontains=q)
            | Q(creator__username__iexact=q)
            | Exists(tag_match)
        )
    return (
        qs.select_related("creator")
        .prefetch_related("tags")
        .defer(*LIST_DEFERRED)
        .order_by(*SORTS.get(sort, SORTS["new"]))
    )


def game_get(*, user=None, game_id=None, slug: str | None = None) -> Game:
    """One game the user may see (404 otherwise), with creator, current version and origin preloaded."""
    qs = Game.objects.select_related("creator", "current_version", "forked_from").prefetch_related("tags")
    try:
        game = qs.get(pk=game_id) if game_id is not None else qs.get(slug=slug)
    except (Game.DoesNotExist, ValueError, ValidationError):
        raise ApplicationError("No such game.", code="not_found", status=404) from None
    if not game.can_view(user):
        raise ApplicationError("No such game.", code="not_found", status=404)
    return game


def game_versions(*, game: Game) -> QuerySet[GameVersion]:
    return game.versions.select_related("created_by").defer("spec", "manifest").order_by("-number")


def games_of_creator(*, user) -> QuerySet[Game]:
    """Everything a creator made that is not deleted, newest first, with how often they tested each."""
    tests = (
        Play.objects.filter(game=OuterRef("pk"), is_test=True)
        .order_by()
        .values("game")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Game.objects.filter(creator=user)
        .exclude(status=Game.Status.DELETED)
        .select_related("current_version")
        .prefetch_related("tags")
        .defer(*LIST_DEFERRED)
        .annotate(test_count=Coalesce(Subquery(tests), 0))
        .order_by("-updated_at")
    )


def rating_of(*, game: Game, user) -> int | None:
    if not (user and user.is_authenticated):
        return None
    return Rating.objects.filter(game=game, user=user).values_list("stars", flat=True).first()


def players_active_count(*, seconds: int) -> int:
    """Players (signed-in or anonymous) whose play showed a sign of life in the last `seconds`."""
    since = timezone.now() - dt.timedelta(seconds=seconds)
    return Play.objects.filter(last_seen_at__gte=since).values("user_id", "anonymous_id").distinct().count()


def plays_exist(*, game: Game, anonymous_id_prefix: str = "") -> bool:
    """Whether the game has plays (of anonymous players whose id starts so, when given)."""
    qs = Play.objects.filter(game=game)
    if anonymous_id_prefix:
        qs = qs.filter(anonymous_id__startswith=anonymous_id_prefix)
    return qs.exists()


def game_test_count(*, game: Game) -> int:
    """How often the creator tested the game in the studio's preview (not plays)."""
    return Play.objects.filter(game=game, is_test=True).count()


def play_get(*, play_id, game: Game) -> Play:
    play = Play.objects.filter(pk=play_id, game=game).first()
    if play is None:
        raise ApplicationError("No such play.", code="not_found", status=404)
    return play


# --- the studio ------------------------------------------------------------------------------


def month_start(now: dt.datetime | None = None) -> dt.datetime:
    now = now or timezone.now()
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def next_month_start(now: dt.datetime | None = None) -> dt.datetime:
    start = month_start(now)
    return (start + dt.timedelta(days=32)).replace(day=1)


def quota_for(*, user) -> dict:
    """This month's LLM tokens: the user's limit (free or premium), what was used or is held, what is left.

    `used` counts what the providers reported plus what unfinished requests reserved (an
    estimate held until they report): parallel requests cannot promise the same tokens twice.
    """
    limit = settings.AI_TOKEN_QUOTA_PREMIUM if user.has_premium else settings.AI_TOKEN_QUOTA_FREE
    used = (
        GenerationRequest.objects.filter(user=user, created_at__gte=month_start()).aggregate(
            total=Sum(F("tokens_used") + F("tokens_reserved"))
        )["total"]
        or 0
    )
    return {
        "limit": limit,
        "used": used,
        "remaining": max(limit - used, 0),
        "resets_at": next_month_start(),
        "plan": "premium" if user.has_premium else "free",
    }


def _month_spend(queryset) -> tuple[int, Decimal]:
    totals = queryset.filter(created_at__gte=month_start()).aggregate(
        tokens=Sum(F("tokens_used") + F("tokens_reserved")), usd=Sum("cost_usd")
    )
    return int(totals["tokens"] or 0), Decimal(totals["usd"] or 0)


def studio_budget_left(*, user) -> dict:
    """What is left this month of the studio's budgets: the user's tokens (the quota) and money,
    the platform's tokens and money, from the requests' own token and cost records."""
    quota = quota_for(user=user)
    _, user_usd = _month_spend(GenerationRequest.objects.filter(user=user))
    global_tokens, global_usd = _month_spend(GenerationRequest.objects.all())
    return {
        "user_tokens": quota["remaining"],
        "user_usd": max(settings.STUDIO_BUDGET_USER_USD - user_usd, Decimal("0")),
        "global_tokens": max(settings.STUDIO_BUDGET_GLOBAL_TOKENS - global_tokens, 0),
        "global_usd": max(settings.STUDIO_BUDGET_GLOBAL_USD - global_usd, Decimal("0")),
    }


def studio_spend(*, days: int = 30, top_users: int = 10) -> dict:
    """The studio's AI spend for staff: per day and provider, and the users who spent most (tokens, USD)."""
    since = timezone.now() - dt.timedelta(days=days)
    rows = (
        GenerationRequest.objects.filter(created_at__gte=since)
        .annotate(day=TruncDate("created_at"))
        .values("day", "provider_used")
        .annotate(
            requests=Count("id"),
            tokens=Sum("tokens_used"),
            usd=Sum("cost_usd"),
            local=Count("id", filter=Q(provider_used="local")),
        )
        .order_by("day", "provider_used")
    )
    users = (
        GenerationRequest.objects.filter(created_at__gte=since)
        .values("user__username")
        .annotate(requests=Count("id"), tokens=Sum("tokens_used"), usd=Sum("cost_usd"))
        .order_by("-usd", "-tokens", "user__username")[:top_users]
    )
    reasons = (
        GenerationRequest.objects.filter(created_at__gte=since)
        .exclude(routing_reason="")
        .values("provider_used")
        .annotate(requests=Count("id"))
        .order_by("provider_used")
    )
    return {
        "since": since.date(),
        "days": [
            {"day": row["day"], "provider": row["provider_used"] or "(not run)", "requests": row["requests"],
             "local": row["local"], "tokens": row["tokens"] or 0, "usd": row["usd"] or Decimal("0")}
            for row in rows
        ],
        "users": [
            {"username": u["user__username"], "requests": u["requests"], "tokens": u["tokens"] or 0,
             "usd": u["usd"] or Decimal("0")}
            for u in users
        ],
        "routed": list(reasons),
    }  # fmt: skip


def generation_get(*, request_id, user) -> GenerationRequest:
    """A generation request of this user (404 for anyone else's)."""
    try:
        request = (
            GenerationRequest.objects.select_related("result_game", "result_version", "base_game")
            .filter(pk=request_id, user=user)
            .first()
        )
    except (ValueError, TypeError, ValidationError):
        request = None
    if request is None:
        raise ApplicationError("No such generation.", code="not_found", status=404)
    return request


def _generation_event_type(request: GenerationRequest) -> str:
    if not request.is_finished:
        return "generation.progress"
    # Completed: the game exists. "checking" while it is played, "completed" once it passed (it may be
    # published), "playtest_failed" when every attempt failed.
    if request.status == GenerationRequest.Status.COMPLETED:
        verdict = request.playtest_status
        if verdict == GenerationRequest.PlaytestStatus.CHECKING:
            return "generation.checking"
        if verdict == GenerationRequest.PlaytestStatus.FAILED:
            return "generation.playtest_failed"
    return f"generation.{request.status}"


def generation_event(*, request: GenerationRequest) -> dict:
    """What `/ws/notifications` pushes about a generation (the status endpoint says the same)."""
    return {
        "type": _generation_event_type(request),
        "request_id": str(request.pk),
        "status": request.status,
        "progress": request.progress,
        "stage": request.stage,
        "game_id": str(request.result_game_id) if request.result_game_id else None,
        "version_id": str(request.result_version_id) if request.result_version_id else None,
        "error": {"code": request.error_code, "message": request.error_message}
        if request.error_code
        else None,
        # The quality gate: "checking" while the game is played headless, then "passed" or "failed".
        "playtest": {
            "status": request.playtest_status,
            "attempts": request.playtest_attempts,
            "reason": request.playtest_reason,
        },
        "provider": request.provider_used or request.provider,
        "routing_reason": request.routing_reason,
    }


def generations_of(*, user, limit: int = 10) -> list[GenerationRequest]:
    return list(
        GenerationRequest.objects.filter(user=user)
        .select_related("result_game")
        .order_by("-created_at")[:limit]
    )


def templates_list() -> list[dict]:
    """The mechanics a prompt can start from (switched on by staff, with a scene), with example prompts."""
    from generation.selectors import mechanic_available_slugs
    from generation.selectors import mechanic_definitions as mechanic_registry

    available = mechanic_available_slugs()
    return [
        {
            "slug": definition.slug,
            "name": definition.name,
            "description": definition.description,
            "genre": definition.genre,
            "category": definition.category,
            "example_prompts": list(definition.example_prompts),
        }
        for definition in mechanic_registry().values()
        if definition.slug in available and definition.js_path.is_file()
    ]
