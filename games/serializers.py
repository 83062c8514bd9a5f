"""Input checks and output shapes of the games and AI-generation API."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from games import access, limits
from games.models import Asset, Game, GameVersion, GenerationRequest, Play


def _abs(request, url: str) -> str:
    return request.build_absolute_uri(url) if request is not None and url.startswith("/") else url


def file_url(request, field) -> str | None:
    if not field:
        return None
    return _abs(request, field.url)


def play_url(request, version: GameVersion | None, *, path: str = "index.html") -> str | None:
    """The bundle URL for the requesting user: open, granted (games/access.py), or None."""
    if version is None or not version.bundle_hash:
        return None
    user = getattr(request, "user", None)
    url = access.play_url_for(game=version.game, version=version, user=user, path=path)
    return _abs(request, url) if url else None


# --- inputs ----------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.STR)
class CommaListField(serializers.Field):
    """`a,b,c` in a query string or form, or a JSON list of strings."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            items = [part.strip() for part in data.split(",")]
        elif isinstance(data, list):
            items = data
        else:
            raise serializers.ValidationError("A list of words, or words separated by commas.")
        if not all(isinstance(item, str) for item in items):
            raise serializers.ValidationError("Each item is a word.")
        items = [item.strip().lower() for item in items if item.strip()]
        if len(items) > limits.MAX_TAGS:
            raise serializers.ValidationError(f"At most {limits.MAX_TAGS}.")
        if any(len(item) > limits.TAG_MAX_CHARS for item in items):
            raise serializers.ValidationError(f"Each is at most {limits.TAG_MAX_CHARS} characters.")
        return items

    def to_representation(self, value):
        return value


class GameListQuery(serializers.Serializer):
    q = serializers.CharField(required=False, max_length=limits.SEARCH_MAX_CHARS, allow_blank=True)
    category = serializers.ChoiceField(choices=Game.Category.choices, required=False)
    difficulty = serializers.ChoiceField(choices=Game.Difficulty.choices, required=False)
    tags = CommaListField(required=False)
    creator = serializers.CharField(required=False, max_length=100)
    featured = serializers.BooleanField(required=False, allow_null=True, default=None)
    mechanic = serializers.SlugField(required=False, max_length=50)
    origin = serializers.ChoiceField(choices=Game.Origin.choices, required=False)
    sort = serializers.ChoiceField(choices=["new", "rating", "plays"], required=False, default="new")


class GameUploadInput(serializers.Serializer):
    package = serializers.FileField(help_text="A zip: spec.json, optional logic.js, assets/.")
    title = serializers.CharField(required=False, max_length=limits.TITLE_MAX_CHARS)
    description = serializers.CharField(
        required=False, max_length=limits.DESCRIPTION_MAX_CHARS, allow_blank=True
    )
    category = serializers.ChoiceField(choices=Game.Category.choices, required=False)
    difficulty = serializers.ChoiceField(choices=Game.Difficulty.choices, required=False)
    tags = CommaListField(required=False)
    is_public = serializers.BooleanField(required=False, default=True)


class GameUpdateInput(serializers.Serializer):
    title = serializers.CharField(required=False, max_length=limits.TITLE_MAX_CHARS)
    description = serializers.CharField(
        required=False, max_length=limits.DESCRIPTION_MAX_CHARS, allow_blank=True
    )
    category = serializers.ChoiceField(choices=Game.Category.choices, required=False)
    difficulty = serializers.ChoiceField(choices=Game.Difficulty.choices, required=False)
    tags = CommaListField(required=False)
    is_public = serializers.BooleanField(required=False)
    is_featured = serializers.BooleanField(required=False, help_text="Staff only.")
    status = serializers.ChoiceField(choices=Game.Status.choices, required=False, help_text="Staff only.")
    spec = serializers.JSONField(required=False, help_text="A new GameSpec: publishes a new version.")
    changelog = serializers.CharField(required=False, max_length=limits.CHANGELOG_MAX_CHARS, allow_blank=True)


class RateInput(serializers.Serializer):
    stars = serializers.IntegerField(min_value=limits.RATING_MIN, max_value=limits.RATING_MAX)

    def to_internal_value(self, data):
        stars = data.get("stars") if hasattr(data, "get") else None
        # 4.0 or true are not star counts, even if int() would take them.
        if isinstance(stars, bool | float):
            raise serializers.ValidationError({"stars": ["Stars are a whole number from 1 to 5."]})
        return super().to_internal_value(data)


class PlayInput(serializers.Serializer):
    play_id = serializers.UUIDField(required=False, help_text="Finish this play; omit to start one.")
    anonymous_id = serializers.CharField(
        required=False, max_length=limits.ANONYMOUS_ID_MAX_CHARS, allow_blank=True
    )
    duration_ms = serializers.IntegerField(required=False, min_value=0)
    score = serializers.IntegerField(
        required=False, min_value=-limits.PLAY_MAX_SCORE, max_value=limits.PLAY_MAX_SCORE
    )
    completed = serializers.BooleanField(required=False, default=False)
    test = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Starting: the creator testing in the studio's preview (recorded apart, not a play).",
    )


class ForkInput(serializers.Serializer):
    title = serializers.CharField(required=False, max_length=limits.TITLE_MAX_CHARS)
    is_public = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Omitted: public when the game passed its playtest. True on one that has not: 409.",
    )


class GenerateInput(serializers.Serializer):
    prompt = serializers.CharField(trim_whitespace=False, allow_blank=True)
    template = serializers.CharField(
        required=False, allow_blank=True, max_length=50, help_text="A mechanic slug."
    )
    game_type = serializers.CharField(
        required=False, allow_blank=True, max_length=50, help_text="Alias of template."
    )
    parameters = serializers.DictField(required=False)
    seed = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1)


class RegenerateInput(serializers.Serializer):
    game_id = serializers.UUIDField()
    prompt = serializers.CharField(trim_whitespace=False, allow_blank=True, help_text="What to change.")
    template = serializers.CharField(required=False, allow_blank=True, max_length=50)
    parameters = serializers.DictField(required=False)


# --- outputs ---------------------------------------------------------------------------------


class CreatorOutput(serializers.Serializer):
    id = serializers.UUIDField()
    username = serializers.CharField()
    display_name = serializers.CharField()


TWO_PLACES = Decimal("0.01")


def _datetime(value) -> str:
    """As DRF's DateTimeField writes it: ISO 8601 in the current time zone, UTC as `Z`."""
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class _Urls:
    """Absolute URLs for one request, worked out once per page rather than once per game."""

    def __init__(self, request):
        self.base = request.build_absolute_uri("/")[:-1] if request is not None else ""
        marker = "0-slug-0"
        self.page = self.base + reverse("games:detail", args=[marker])
        self.marker = marker

    def absolute(self, url: str) -> str:
        return self.base + url if url.startswith("/") else url

    def game_page(self, slug: str) -> str:
        return self.page.replace(self.marker, slug)


class GameListOutput(serializers.ModelSerializer):
    creator = CreatorOutput()
    tags = serializers.SerializerMethodField()
    thumbnail_small_url = serializers.SerializerMethodField()
    thumbnail_large_url = serializers.SerializerMethodField()
    rating = serializers.DecimalField(max_digits=3, decimal_places=2, coerce_to_string=False)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Game
        fields = [
            "id",
            "slug",
            "title",
            "description",
            "category",
            "difficulty",
            "mechanic",
            "tags",
            "creator",
            "thumbnail_small_url",
            "thumbnail_large_url",
            "is_featured",
            "play_count",
            "rating",
            "rating_count",
            "origin",
            "forked_from",
            "url",
            "created_at",
        ]
        read_only_fields = fields

    def to_representation(self, obj):
        if type(self) is not GameListOutput:
            return super().to_representation(obj)
        # The list's hot path: the same fields, built directly (a page is 20 of these per request).
        urls = self._urls()
        small, large = obj.thumbnail_small, obj.thumbnail_large
        creator = obj.creator
        return {
            "id": str(obj.pk),
            "slug": obj.slug,
            "title": obj.title,
            "description": obj.description,
            "category": obj.category,
            "difficulty": obj.difficulty,
            "mechanic": obj.mechanic,
            "tags": [tag.name for tag in obj.tags.all()],
            "creator": {
                "id": str(creator.pk),
                "username": creator.username,
                "display_name": creator.display_name,
            },
            "thumbnail_small_url": urls.absolute(small.url) if small else None,
            "thumbnail_large_url": urls.absolute(large.url) if large else None,
            "is_featured": obj.is_featured,
            "play_count": obj.play_count,
            "rating": obj.rating.quantize(TWO_PLACES),
            "rating_count": obj.rating_count,
            "origin": obj.origin,
            "forked_from": str(obj.forked_from_id) if obj.forked_from_id else None,
            "url": urls.game_page(obj.slug),
            "created_at": _datetime(obj.created_at),
        }

    def _urls(self) -> _Urls:
        urls = self.context.get("_urls")
        if urls is None:
            urls = self.context["_urls"] = _Urls(self.context.get("request"))
        return urls

    def get_tags(self, obj) -> list[str]:
        return [tag.name for tag in obj.tags.all()]

    def get_thumbnail_small_url(self, obj) -> str | None:
        return file_url(self.context.get("request"), obj.thumbnail_small)

    def get_thumbnail_large_url(self, obj) -> str | None:
        return file_url(self.context.get("request"), obj.thumbnail_large)

    def get_url(self, obj) -> str:
        return _abs(self.context.get("request"), reverse("games:detail", args=[obj.slug]))


class VersionOutput(serializers.ModelSerializer):
    play_url = serializers.SerializerMethodField()

    class Meta:
        model = GameVersion
        fields = [
            "id",
            "number",
            "bundle_hash",
            "bundle_size",
            "changelog",
            "parent",
            "play_url",
            "created_at",
        ]
        read_only_fields = fields

    def get_play_url(self, obj) -> str | None:
        return play_url(self.context.get("request"), obj)


class GameDetailOutput(GameListOutput):
    current_version = VersionOutput(allow_null=True)
    spec = serializers.JSONField()
    provenance = serializers.JSONField()
    can_edit = serializers.SerializerMethodField()
    my_rating = serializers.SerializerMethodField()

    class Meta(GameListOutput.Meta):
        fields = GameListOutput.Meta.fields + [
            "is_public",
            "status",
            "spec",
            "provenance",
            "current_version",
            "can_edit",
            "my_rating",
            "updated_at",
        ]
        read_only_fields = fields

    def get_can_edit(self, obj) -> bool:
        request = self.context.get("request")
        return bool(request and obj.can_edit(request.user))

    def get_my_rating(self, obj) -> int | None:
        return self.context.get("my_rating")


class AssetOutput(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Asset
        fields = ["path", "kind", "content_type", "size", "sha256", "url"]
        read_only_fields = fields

    def get_url(self, obj) -> str | None:
        return play_url(self.context.get("request"), self.context["version"], path=obj.path)


class VersionAssetsOutput(serializers.Serializer):
    """The files of one version (`version` is null, with no assets, before the first one)."""

    version = serializers.IntegerField(allow_null=True)
    assets = AssetOutput(many=True)


class PlayOutput(serializers.ModelSerializer):
    play_count = serializers.SerializerMethodField(help_text="The game's plays, tests excluded.")
    resumed = serializers.SerializerMethodField(
        help_text="True when this start continued the player's play that was still going (a reload)."
    )

    class Meta:
        model = Play
        fields = [
            "id", "game", "version", "started_at", "duration_ms", "score", "completed", "is_test",
            "resumed", "play_count",
        ]  # fmt: skip
        read_only_fields = fields

    def get_play_count(self, obj) -> int:
        return self.context.get("play_count", 0)

    def get_resumed(self, obj) -> bool:
        return bool(getattr(obj, "resumed", False))


class RatingOutput(serializers.Serializer):
    stars = serializers.IntegerField()
    rating = serializers.DecimalField(max_digits=3, decimal_places=2, coerce_to_string=False)
    rating_count = serializers.IntegerField()


class PlaytestVerdictOutput(serializers.Serializer):
    status = serializers.ChoiceField(
        source="playtest_status",
        choices=GenerationRequest.PlaytestStatus.choices,
        help_text='"" before the game exists, "checking" while it is played headless, then "passed" or "failed".',
    )
    attempts = serializers.IntegerField(
        source="playtest_attempts", help_text="Playtests run (a retry uses another seed)."
    )
    reason = serializers.CharField(source="playtest_reason", help_text="Why the last playtest failed.")


class GenerationOutput(serializers.ModelSerializer):
    template = serializers.CharField(source="mechanic")
    result_game = serializers.SerializerMethodField()
    error = serializers.SerializerMethodField()
    processing_time = serializers.SerializerMethodField(help_text="Seconds.")
    playtest = PlaytestVerdictOutput(
        source="*", help_text="The quality gate: the game is published only once this passed."
    )
    provider = serializers.CharField(help_text="The designer the routing policy chose.")
    provider_used = serializers.CharField(help_text="The designer that ran (local after an LLM failure).")
    routing_reason = serializers.CharField(help_text="Why that designer, in words.")
    cost_usd = serializers.DecimalField(max_digits=12, decimal_places=6, coerce_to_string=True)

    class Meta:
        model = GenerationRequest
        fields = [
            "id",
            "kind",
            "status",
            "progress",
            "stage",
            "prompt",
            "template",
            "parameters",
            "provider",
            "provider_used",
            "routing_reason",
            "base_game",
            "result_game",
            "result_version",
            "error",
            "processing_time",
            "processing_time_ms",
            "tokens_used",
            "cost_usd",
            "playtest",
            "created_at",
            "started_at",
            "completed_at",
        ]
        read_only_fields = fields

    def get_result_game(self, obj) -> dict | None:
        game = obj.result_game
        if game is None:
            return None
        request = self.context.get("request")
        return {
            "id": str(game.pk),
            "slug": game.slug,
            "title": game.title,
            "is_public": game.is_public,
            "url": _abs(request, reverse("games:detail", args=[game.slug])),
            "play_url": play_url(request, obj.result_version),
        }

    def get_error(self, obj) -> dict | None:
        if not obj.error_code:
            return None
        return {"code": obj.error_code, "message": obj.error_message, "fields": obj.error_fields}

    def get_processing_time(self, obj) -> float | None:
        return None if obj.processing_time_ms is None else round(obj.processing_time_ms / 1000, 3)


class TemplateOutput(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    genre = serializers.CharField()
    category = serializers.CharField()
    example_prompts = serializers.ListField(child=serializers.CharField())


class QuotaOutput(serializers.Serializer):
    plan = serializers.CharField()
    limit = serializers.IntegerField()
    used = serializers.IntegerField()
    remaining = serializers.IntegerField()
    resets_at = serializers.DateTimeField()
