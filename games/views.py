"""Server-rendered pages: the catalogue (home), the game page and player, the studio, my games."""

from __future__ import annotations

import json
import logging
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gamefactory.errors import ApplicationError
from games import access, forms, selectors, services
from games.models import Game, GenerationRequest
from generation import selectors as generation_selectors

logger = logging.getLogger(__name__)

CATALOGUE_PAGE_SIZE = 24
INGEST_KEY_CACHE_SECONDS = 3600


def _apply_error(form, exc: ApplicationError) -> None:
    if not exc.fields:
        form.add_error(None, exc.message)
    for field, errors in exc.fields.items():
        for error in errors if isinstance(errors, list) else [errors]:
            form.add_error(field if field in form.fields else None, f"{error}")


def player_frame_policy(view):
    """Pages that embed a game allow frames from the bundles' origin only.

    The sandbox lets a game navigate its own frame; this CSP (frame-src) makes the browser refuse
    any such navigation away from the bundles' origin, so a game cannot carry data off by URL.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        sources = " ".join(["'self'", settings.GAME_ORIGIN]).strip()
        response.headers.setdefault("Content-Security-Policy", f"frame-src {sources}; child-src {sources}")
        return response

    return wrapped


def _game_or_404(request, slug: str) -> Game:
    try:
        return selectors.game_get(user=request.user, slug=slug)
    except ApplicationError:
        raise Http404("No such game.") from None


# --- the catalogue ---------------------------------------------------------------------------


@require_GET
def catalogue(request):
    form = forms.CatalogueFilterForm(request.GET or None)
    filters: dict = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {
            "q": data["q"].strip() or None,
            "category": data["category"] or None,
            "difficulty": data["difficulty"] or None,
            "tags": [data["tag"]] if data["tag"] else None,
            "sort": data["sort"] or "new",
        }
    games = selectors.game_list(**{k: v for k, v in filters.items() if v})
    page = Paginator(games, CATALOGUE_PAGE_SIZE).get_page(request.GET.get("page"))
    featured = None
    if not filters:
        featured = list(selectors.game_list(featured=True)[:4])
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "featured": featured,
        "filtered": any(filters.get(k) for k in ("q", "category", "difficulty", "tags")),
        "query": query.urlencode(),
    }
    if request.htmx and not request.htmx.boosted:
        response = render(request, "games/_grid.html", context)
        # The address bar follows the search, so a search can be shared or reloaded.
        response["HX-Push-Url"] = request.get_full_path()
        return response
    return render(request, "games/catalogue.html", context)


# --- the game page ---------------------------------------------------------------------------


def _analytics_config(game: Game) -> dict | None:
    """Where the player page relays the game's analytics events, when the analytics app is there."""
    try:
        from analytics.selectors import standard_events
        from analytics.services import ingest_key_issue

        url = reverse("analytics-events") if _has_route("analytics-events") else "/api/v1/events"
    except ImportError:
        return None
    key_cache = f"games:ingest-key:{game.pk}"
    public_key = cache.get(key_cache)
    if public_key is None:
        try:
            public_key, _ = ingest_key_issue(game=game)
        except Exception:  # analytics down must not take the player down
            logger.exception("games: no ingest key for %s", game.pk)
            return None
        cache.set(key_cache, public_key, INGEST_KEY_CACHE_SECONDS)
    return {
        "url": url,
        "key": public_key,
        "standard_events": [e.as_dict() for e in standard_events().values()],
    }


def _has_route(name: str) -> bool:
    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


def _player_context(request, game: Game) -> dict:
    version = game.current_version
    if version is None or not version.bundle_hash:
        return {"play_url": None}
    play_url = access.play_url_for(game=game, version=version, user=request.user)
    if play_url is None:
        return {"play_url": None, "play_denied": access.game_play_access(game=game, user=request.user)}
    return {
        "play_url": play_url,
        "analytics": _analytics_config(game),
        "play_api": reverse("games-play", args=[game.pk]),
    }


def _factory_provenance(game: Game, user) -> dict | None:
    """A factory game's batch and production, named, with links to their pages for staff."""
    p = game.provenance or {}
    batch_id, production_id = p.get("batch_id"), p.get("production_id")
    if not batch_id:
        return None
    out = {"batch_name": p.get("batch") or "", "index": p.get("index"), "repository": ""}
    if not out["batch_name"]:
        # Provenance written before it carried the name: ask the factory (optional app).
        try:
            from batches.selectors import batch_get

            out["batch_name"] = batch_get(batch_id=batch_id).name
        except Exception:  # the factory app absent, or the batch gone: the page still renders
            out["batch_name"] = ""
    repository = p.get("repository") or ""
    if repository.startswith(("https://", "http://")):
        out["repository"] = repository
    if user.is_authenticated and user.is_staff:
        try:
            out["batch_url"] = reverse("batches:batch", args=[batch_id])
            if production_id:
                out["production_url"] = reverse("batches:production", args=[production_id])
        except NoReverseMatch:
            pass
    return out


@require_GET
@player_frame_policy
def game_detail(request, slug: str):
    game = _game_or_404(request, slug)
    can_edit = game.can_edit(request.user)
    context = {
        "game": game,
        "version": game.current_version,
        "versions": selectors.game_versions(game=game)[:20],
        "my_rating": selectors.rating_of(game=game, user=request.user),
        "can_edit": can_edit,
        "test_count": selectors.game_test_count(game=game) if can_edit else None,
        "forks": game.forks.filter(status=Game.Status.ACTIVE, is_public=True).select_related("creator")[:10],
        "factory": _factory_provenance(game, request.user),
        "artwork": generation_selectors.cast_credit(game.spec),
        **_player_context(request, game),
    }
    return render(request, "games/detail.html", context)


@login_required
@require_POST
def game_rate(request, slug: str):
    game = _game_or_404(request, slug)
    error = None
    try:
        stars = int(request.POST.get("stars", ""))
    except ValueError:
        stars = request.POST.get("stars")
    try:
        services.game_rate(game=game, user=request.user, stars=stars)
    except ApplicationError as exc:
        error = exc.message
    game.refresh_from_db(fields=["rating", "rating_count"])
    context = {
        "game": game,
        "my_rating": selectors.rating_of(game=game, user=request.user),
        "rating_error": error,
    }
    if request.htmx:
        return render(request, "games/_rating.html", context, status=400 if error else 200)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, "Thanks for rating!")
    return redirect("games:detail", slug=game.slug)


@login_required
@require_POST
def game_fork(request, slug: str):
    game = _game_or_404(request, slug)
    try:
        fork = services.game_fork(game=game, user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("games:detail", slug=game.slug)
    messages.success(request, f"You forked {game.title}. This copy is yours to change.")
    return redirect("games:detail", slug=fork.slug)


@login_required
@require_http_methods(["GET", "POST"])
def game_edit(request, slug: str):
    game = _game_or_404(request, slug)
    if not game.can_edit(request.user):
        raise Http404("No such game.")
    form = forms.GameEditForm(request.POST or None, instance=game)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.game_update(game=game, user=request.user, **data)
        except ApplicationError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, "Saved.")
            return redirect("games:detail", slug=game.slug)
    game.refresh_from_db()
    return render(
        request, "games/edit.html", {"form": form, "game": game}, status=400 if form.errors else 200
    )


@login_required
@require_POST
def game_delete(request, slug: str):
    game = _game_or_404(request, slug)
    try:
        services.game_delete(game=game, user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("games:detail", slug=game.slug)
    messages.success(request, f"{game.title} is deleted.")
    return redirect("games:mine")


@login_required
@require_POST
def game_visibility(request, slug: str):
    game = _game_or_404(request, slug)
    public = request.POST.get("is_public") == "1"
    try:
        services.game_update(game=game, user=request.user, is_public=public)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, "Published: it is in the catalogue." if public else "Unpublished: only you see it."
        )
    return redirect("games:detail", slug=game.slug)


@login_required
@require_GET
def my_games(request):
    games = selectors.games_of_creator(user=request.user)
    page = Paginator(games, 50).get_page(request.GET.get("page"))
    return render(request, "games/mine.html", {"page": page})


# --- the studio ------------------------------------------------------------------------------


def _studio_context(request, form=None) -> dict:
    templates = selectors.templates_list()
    return {
        "form": form or forms.StudioForm(templates=templates),
        "templates": templates,
        "quota": selectors.quota_for(user=request.user),
        "recent": selectors.generations_of(user=request.user, limit=8),
    }


@login_required
@require_http_methods(["GET", "POST"])
def studio(request):
    templates = selectors.templates_list()
    form = forms.StudioForm(request.POST or None, templates=templates)
    if request.method == "POST" and form.is_valid():
        from gamefactory.api.throttles import AIGenerationThrottle

        if not AIGenerationThrottle().allow_request(request, None):
            form.add_error(
                None, "You have asked for 5 games in the last minute. Wait a moment and try again."
            )
        else:
            try:
                generation = services.generation_request_create(
                    user=request.user,
                    prompt=form.cleaned_data["prompt"],
                    mechanic=form.cleaned_data["template"] or None,
                )
            except ApplicationError as exc:
                _apply_error(form, exc)
            else:
                return redirect("games:studio_request", request_id=generation.pk)
    status = 400 if form.errors else 200
    return render(request, "games/studio.html", _studio_context(request, form), status=status)


def _generation_or_404(request, request_id) -> GenerationRequest:
    try:
        return selectors.generation_get(request_id=request_id, user=request.user)
    except ApplicationError:
        raise Http404("No such generation.") from None


def _generation_context(request, generation: GenerationRequest) -> dict:
    game = generation.result_game
    context = {
        "generation": generation,
        "game": game,
        "change_form": forms.ChangeForm(),
        "event_json": json.dumps(selectors.generation_event(request=generation)),
    }
    # A game held by moderation stays playable for its creator (games/access.py grants it).
    if game is not None and generation.result_version is not None and game.status != Game.Status.DELETED:
        version = generation.result_version
        context["play_url"] = access.play_url_for(game=game, version=version, user=request.user)
    return context


@login_required
@require_GET
@player_frame_policy
def studio_request(request, request_id):
    generation = _generation_or_404(request, request_id)
    return render(request, "games/studio_request.html", _generation_context(request, generation))


@login_required
@require_GET
@player_frame_policy
def studio_status(request, request_id):
    """The progress block alone: htmx polls it until the generation is finished."""
    generation = _generation_or_404(request, request_id)
    if request.GET.get("part") == "verdict":
        # Only the verdict, while the creator plays the preview; a final one refreshes the block once.
        response = render(request, "games/_verdict.html", {"generation": generation})
        if generation.playtest_status != GenerationRequest.PlaytestStatus.CHECKING:
            response["HX-Trigger"] = "gf:verdict"
        return response
    return render(request, "games/_generation.html", _generation_context(request, generation))


@login_required
@require_POST
def studio_regenerate(request, request_id):
    generation = _generation_or_404(request, request_id)
    form = forms.ChangeForm(request.POST)
    game = generation.result_game
    if game is None:
        raise Http404("Nothing to change yet.")
    if form.is_valid():
        from gamefactory.api.throttles import AIGenerationThrottle

        if not AIGenerationThrottle().allow_request(request, None):
            messages.error(
                request, "You have asked for 5 games in the last minute. Wait a moment and try again."
            )
            return redirect("games:studio_request", request_id=generation.pk)
        try:
            change = services.generation_change_request_create(
                user=request.user, game=game, change=form.cleaned_data["prompt"]
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("games:studio_request", request_id=change.pk)
    else:
        messages.error(request, "Say what should change.")
    return redirect("games:studio_request", request_id=generation.pk)


@login_required
@require_POST
def studio_publish(request, request_id):
    generation = _generation_or_404(request, request_id)
    if generation.result_game is None:
        raise Http404("Nothing to publish yet.")
    try:
        game = services.game_publish_draft(game=generation.result_game, user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("games:studio_request", request_id=generation.pk)
    messages.success(request, f"{game.title} is published: everyone can find it in the catalogue.")
    return redirect("games:detail", slug=game.slug)


@login_required
@require_POST
def studio_discard(request, request_id):
    generation = _generation_or_404(request, request_id)
    try:
        services.generation_discard(request=generation, user=request.user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("games:studio_request", request_id=generation.pk)
    messages.success(request, "Discarded. Try another idea!")
    return redirect("games:studio")
