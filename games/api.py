"""The seed's games and AI-generation API under /api/v1/: thin views over services and selectors."""

from __future__ import annotations

import hashlib
import uuid
from functools import partial
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator as DjangoPaginator
from django.http import HttpResponse, JsonResponse
from django.utils.functional import cached_property
from django.views.decorators.http import require_GET
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from gamefactory.api.pagination import PageNumberPagination
from gamefactory.api.parsers import FormParser, JSONParser, MultiPartParser
from gamefactory.api.throttles import AIGenerationThrottle, GameUploadThrottle
from gamefactory.errors import ApplicationError
from games import selectors, services
from games import serializers as s
from games.models import Game

LIST_CACHE_PREFIX = "games:list"


def _game(request, game_id) -> Game:
    return selectors.game_get(user=request.user, game_id=game_id)


class ListCache:
    """What a list request can take from the cache, fetched in one round trip.

    Every entry carries the catalogue's version (changed by every write, after commit): an entry
    made at another version is ignored. The count of a filter set is shared by every caller and
    page; a whole first page is shared by anonymous callers (no per-user fields in it).
    """

    def __init__(self, request):
        params = sorted((k, v) for k, v in request.query_params.items() if k not in ("page", "page_size"))
        filters = hashlib.sha1(urlencode(params).encode()).hexdigest()
        self.count_key = f"{LIST_CACHE_PREFIX}:count:{filters}"
        self.page_key = None
        if not request.user.is_authenticated and request.query_params.get("page", "1") == "1":
            size = request.query_params.get("page_size", "")
            self.page_key = f"{LIST_CACHE_PREFIX}:page:{hashlib.sha1(f'{request.get_host()}|{size}'.encode()).hexdigest()}:{filters}"
        keys = [services.LIST_VERSION_KEY, self.count_key] + ([self.page_key] if self.page_key else [])
        found = cache.get_many(keys)
        self.version = found.get(services.LIST_VERSION_KEY)
        if self.version is None:
            # Never a fixed value: entries made before the version was lost must not match again.
            cache.add(services.LIST_VERSION_KEY, uuid.uuid4().hex, timeout=None)
            self.version = cache.get(services.LIST_VERSION_KEY)
        self.count = self._current(found.get(self.count_key))
        self.body = self._current(found.get(self.page_key)) if self.page_key else None

    def _current(self, entry):
        return entry[1] if isinstance(entry, tuple) and entry[0] == self.version else None

    def keep(self, key: str, value) -> None:
        cache.set(key, (self.version, value), timeout=settings.GAMES_LIST_CACHE_SECONDS)


class _CountedPaginator(DjangoPaginator):
    """Django's paginator with the count already known (from the cache) or remembered for it."""

    def __init__(self, *args, list_cache: ListCache, **kwargs):
        super().__init__(*args, **kwargs)
        self.list_cache = list_cache

    @cached_property
    def count(self) -> int:
        if self.list_cache.count is not None:
            return self.list_cache.count
        value = DjangoPaginator.count.func(self)
        self.list_cache.keep(self.list_cache.count_key, value)
        return value


class GamesApi(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    # Documents the list as {count, next, previous, results} in the schema.
    pagination_class = PageNumberPagination

    def get_throttles(self):
        throttles = super().get_throttles()
        if self.request.method == "POST":
            throttles.append(GameUploadThrottle())
        return throttles

    @extend_schema(
        parameters=[s.GameListQuery],
        responses={200: s.GameListOutput(many=True)},
        tags=["games"],
    )
    def get(self, request):
        cached = ListCache(request)
        if cached.body is not None:
            return HttpResponse(cached.body, content_type="application/json")
        query = s.GameListQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = {k: v for k, v in query.validated_data.items() if v not in (None, "", [])}
        games = selectors.game_list(**filters)
        paginator = PageNumberPagination()
        paginator.django_paginator_class = partial(_CountedPaginator, list_cache=cached)
        page = paginator.paginate_queryset(games, request, view=self)
        data = s.GameListOutput(page, many=True, context={"request": request}).data
        response = paginator.get_paginated_response(data)
        if cached.page_key is not None:
            body = JSONRenderer().render(response.data)
            cached.keep(cached.page_key, body)
            return HttpResponse(body, content_type="application/json")
        return response

    @extend_schema(request=s.GameUploadInput, responses={201: s.GameDetailOutput}, tags=["games"])
    def post(self, request):
        if not request.user.is_authenticated:
            raise ApplicationError("Sign in to upload games.", code="not_authenticated", status=401)
        data = s.GameUploadInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        upload = fields.pop("package")
        version = services.game_upload(creator=request.user, upload=upload, **fields)
        game = selectors.game_get(user=request.user, game_id=version.game_id)
        out = s.GameDetailOutput(game, context={"request": request})
        return Response(out.data, status=status.HTTP_201_CREATED)


class GameDetailApi(APIView):
    @extend_schema(responses={200: s.GameDetailOutput}, tags=["games"])
    def get(self, request, game_id):
        game = _game(request, game_id)
        my_rating = selectors.rating_of(game=game, user=request.user)
        return Response(s.GameDetailOutput(game, context={"request": request, "my_rating": my_rating}).data)

    @extend_schema(request=s.GameUpdateInput, responses={200: s.GameDetailOutput}, tags=["games"])
    def put(self, request, game_id):
        game = _game(request, game_id)
        data = s.GameUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.game_update(game=game, user=request.user, **data.validated_data)
        game = _game(request, game_id)
        return Response(s.GameDetailOutput(game, context={"request": request}).data)

    patch = put

    @extend_schema(responses={204: None}, tags=["games"])
    def delete(self, request, game_id):
        game = _game(request, game_id)
        services.game_delete(game=game, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class GamePlayApi(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(request=s.PlayInput, responses={201: s.PlayOutput, 200: s.PlayOutput}, tags=["games"])
    def post(self, request, game_id):
        """Start a play (no `play_id`), or record how it went (`play_id` with duration, score).

        Starting again within 30 minutes of one's play's last update continues it (200, `resumed`):
        a reload is not a new play. `test: true` (the creator, in the studio) records a test, not a play.
        """
        game = _game(request, game_id)
        data = s.PlayInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        anonymous_id = values.get("anonymous_id", "")
        if "play_id" in values:
            play = selectors.play_get(play_id=values["play_id"], game=game)
            play = services.play_finish(
                play=play,
                user=request.user,
                anonymous_id=anonymous_id,
                duration_ms=values.get("duration_ms"),
                score=values.get("score"),
                completed=values.get("completed", False),
            )
            code = status.HTTP_200_OK
        else:
            play = services.play_start(
                game=game, user=request.user, anonymous_id=anonymous_id, test=values.get("test", False)
            )
            code = status.HTTP_200_OK if play.resumed else status.HTTP_201_CREATED
        count = Game.objects.filter(pk=game.pk).values_list("play_count", flat=True).first()
        return Response(s.PlayOutput(play, context={"play_count": count}).data, status=code)


class GameRateApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=s.RateInput, responses={200: s.RatingOutput}, tags=["games"])
    def post(self, request, game_id):
        game = _game(request, game_id)
        data = s.RateInput(data=request.data)
        data.is_valid(raise_exception=True)
        rating = services.game_rate(game=game, user=request.user, stars=data.validated_data["stars"])
        game.refresh_from_db(fields=["rating", "rating_count"])
        return Response({"stars": rating.stars, "rating": game.rating, "rating_count": game.rating_count})


class GameAssetsApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("version", int, description="A version number; default: the current one.")
        ],
        responses={200: s.VersionAssetsOutput},
        tags=["games"],
    )
    def get(self, request, game_id):
        game = _game(request, game_id)
        version = game.current_version
        number = request.query_params.get("version")
        if number is not None:
            if not number.isdigit():
                raise ApplicationError.for_field("version", "A version number.", code="invalid")
            version = game.versions.filter(number=int(number)).first()
            if version is None:
                raise ApplicationError.for_field("version", "No such version.", code="not_found", status=404)
        if version is None:
            return Response({"version": None, "assets": []})
        assets = version.assets.all()
        out = s.AssetOutput(assets, many=True, context={"request": request, "version": version})
        return Response({"version": version.number, "assets": out.data})


class GameVersionsApi(APIView):
    @extend_schema(responses={200: s.VersionOutput(many=True)}, tags=["games"])
    def get(self, request, game_id):
        game = _game(request, game_id)
        versions = selectors.game_versions(game=game)
        return Response(s.VersionOutput(versions, many=True, context={"request": request}).data)


class GameForkApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=s.ForkInput, responses={201: s.GameDetailOutput}, tags=["games"])
    def post(self, request, game_id):
        game = _game(request, game_id)
        data = s.ForkInput(data=request.data)
        data.is_valid(raise_exception=True)
        fork = services.game_fork(game=game, user=request.user, **data.validated_data)
        fork = selectors.game_get(user=request.user, game_id=fork.pk)
        return Response(
            s.GameDetailOutput(fork, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


# --- AI generation -------------------------------------------------------------------------


class GenerateGameApi(APIView):
    permission_classes = [permissions.IsAuthenticated]
    throttle_classes = [*APIView.throttle_classes, AIGenerationThrottle]

    @extend_schema(request=s.GenerateInput, responses={202: s.GenerationOutput}, tags=["ai"])
    def post(self, request):
        data = s.GenerateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        generation = services.generation_request_create(
            user=request.user,
            prompt=values["prompt"],
            mechanic=values.get("template") or values.get("game_type") or None,
            parameters=values.get("parameters"),
            seed=values.get("seed"),
        )
        generation = selectors.generation_get(request_id=generation.pk, user=request.user)
        out = s.GenerationOutput(generation, context={"request": request})
        return Response(out.data, status=status.HTTP_202_ACCEPTED)


class GenerationStatusApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: s.GenerationOutput}, tags=["ai"])
    def get(self, request, request_id):
        generation = selectors.generation_get(request_id=request_id, user=request.user)
        return Response(s.GenerationOutput(generation, context={"request": request}).data)


class RegenerateApi(APIView):
    permission_classes = [permissions.IsAuthenticated]
    throttle_classes = [*APIView.throttle_classes, AIGenerationThrottle]

    @extend_schema(request=s.RegenerateInput, responses={202: s.GenerationOutput}, tags=["ai"])
    def post(self, request):
        data = s.RegenerateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        game = _game(request, values["game_id"])
        generation = services.generation_change_request_create(
            user=request.user,
            game=game,
            change=values["prompt"],
            mechanic=values.get("template") or None,
            parameters=values.get("parameters"),
        )
        generation = selectors.generation_get(request_id=generation.pk, user=request.user)
        return Response(s.GenerationOutput(generation, context={"request": request}).data, status=202)


class TemplatesApi(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: s.TemplateOutput(many=True)}, tags=["ai"])
    def get(self, request):
        return Response(s.TemplateOutput(selectors.templates_list(), many=True).data)


class QuotaApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: s.QuotaOutput}, tags=["ai"])
    def get(self, request):
        return Response(s.QuotaOutput(selectors.quota_for(user=request.user)).data)


@require_GET
def ping(request):
    """The cheapest JSON answer through the same middleware: the benchmark's ceiling."""
    return JsonResponse({"ok": True})
