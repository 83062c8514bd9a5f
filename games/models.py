"""The catalogue: every game, however it was born (factory, studio, upload, fork)."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Tag(models.Model):
    """A search tag; a table of its own so tag filters work the same on SQLite and PostgreSQL."""

    name = models.SlugField(max_length=40, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Game(models.Model):
    class Category(models.TextChoices):
        ACTION = "action", "Action"
        ARCADE = "arcade", "Arcade"
        PUZZLE = "puzzle", "Puzzle"
        STRATEGY = "strategy", "Strategy"
        CASUAL = "casual", "Casual"
        EDUCATIONAL = "educational", "Educational"
        RHYTHM = "rhythm", "Rhythm"
        WORD = "word", "Word"

    class Difficulty(models.TextChoices):
        EASY = "easy", "Easy"
        MEDIUM = "medium", "Medium"
        HARD = "hard", "Hard"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        MODERATED = "moderated", "Moderated"
        DELETED = "deleted", "Deleted"

    class Origin(models.TextChoices):
        FACTORY = "factory", "Factory"
        STUDIO = "studio", "Studio"
        UPLOAD = "upload", "Upload"
        FORK = "fork", "Fork"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    creator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="games")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    description = models.TextField(blank=True)
    category = models.CharField(max_length=50, choices=Category.choices, db_index=True)
    difficulty = models.CharField(max_length=20, choices=Difficulty.choices, default=Difficulty.MEDIUM)
    mechanic = models.CharField(max_length=50, blank=True, db_index=True)
    # The current GameSpec (the seed's `game_data`); each version keeps its own copy.
    spec = models.JSONField(default=dict)
    current_version = models.ForeignKey(
        "GameVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    thumbnail_small = models.ImageField(upload_to="thumbnails/", blank=True)
    thumbnail_large = models.ImageField(upload_to="thumbnails/", blank=True)
    is_public = models.BooleanField(default=True)
    # Playing needs an entitlement (a purchase...): set by the app that sells it (games/access.py).
    play_restricted = models.BooleanField(default=False)
    is_featured = models.BooleanField(default=False, db_index=True)
    play_count = models.PositiveIntegerField(default=0)
    # Kept exact under concurrent votes: rating = rating_sum / rating_count, updated in one statement.
    rating = models.DecimalField(max_digits=3, decimal_places=2, default=Decimal("0.00"))
    rating_count = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    tags = models.ManyToManyField(Tag, blank=True, related_name="games")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.STUDIO)
    forked_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="forks"
    )
    # Where it came from: the prompt, or the batch and production that made it.
    provenance = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "is_public", "-created_at"], name="games_listing_new"),
            models.Index(fields=["status", "is_public", "-rating"], name="games_listing_rating"),
            models.Index(fields=["status", "is_public", "-play_count"], name="games_listing_plays"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=0) & Q(rating__lte=5), name="games_game_rating_0_5"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_listed(self) -> bool:
        return self.status == self.Status.ACTIVE and self.is_public

    def can_view(self, user) -> bool:
        if self.status == self.Status.DELETED:
            return bool(user and user.is_authenticated and user.is_staff)
        if self.is_listed:
            return True
        return bool(user and user.is_authenticated and (user.pk == self.creator_id or user.is_staff))

    def can_edit(self, user) -> bool:
        return bool(user and user.is_authenticated and (user.pk == self.creator_id or user.is_staff))


class GameVersion(models.Model):
    """One built bundle of a game. Versions are never changed after they are built."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    spec = models.JSONField()
    # The bundle's folder in the default storage and the hash of its manifest (the long-cache URL key).
    bundle_path = models.CharField(max_length=300, blank=True)
    bundle_hash = models.CharField(max_length=64, blank=True)
    manifest = models.JSONField(default=dict, blank=True)
    bundle_size = models.PositiveIntegerField(default=0)
    playtest = models.JSONField(default=dict, blank=True)
    changelog = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["game", "-number"]
        constraints = [models.UniqueConstraint(fields=["game", "number"], name="games_version_number_unique")]

    def __str__(self) -> str:
        return f"{self.game} v{self.number}"

    @property
    def playtest_passed(self) -> bool:
        """The publish gate: this bundle passed a headless playtest (the studio's, or the factory's step 10)."""
        return isinstance(self.playtest, dict) and self.playtest.get("passed") is True


class Asset(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", "Image"
        SPRITE = "sprite", "Sprite sheet"
        SOUND = "sound", "Sound"
        THUMBNAIL = "thumbnail", "Thumbnail"
        SCRIPT = "script", "Script"
        DATA = "data", "Data"

    version = models.ForeignKey(GameVersion, on_delete=models.CASCADE, related_name="assets")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    path = models.CharField(max_length=300, help_text="Path inside the bundle.")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["version", "path"]
        constraints = [models.UniqueConstraint(fields=["version", "path"], name="games_asset_path_unique")]

    def __str__(self) -> str:
        return self.path


class Rating(models.Model):
    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="ratings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ratings")
    stars = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["game", "user"], name="games_rating_one_per_user"),
            models.CheckConstraint(
                condition=Q(stars__gte=1) & Q(stars__lte=5), name="games_rating_stars_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stars}★ by {self.user_id} on {self.game_id}"


class Play(models.Model):
    """One play session: a player (user, or anonymous browser/install id) with a game.

    Starting the same game again within `limits.PLAY_SESSION_IDLE` of the play's last sign of life
    (`last_seen_at`: its start, a level's end, leaving the page) continues this play: a reload is not
    a new play. Plays in the studio's preview are the creator's tests (`is_test`), counted apart.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="plays")
    version = models.ForeignKey(
        GameVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="plays"
    )
    anonymous_id = models.CharField(
        max_length=64, blank=True, help_text="Install or browser id when not signed in."
    )
    started_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_seen_at = models.DateTimeField(default=timezone.now)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    score = models.BigIntegerField(null=True, blank=True)
    completed = models.BooleanField(default=False)
    is_test = models.BooleanField(default=False, help_text="The creator testing in the studio's preview.")

    # Not stored: play_start sets it when this request continued an earlier play of the session.
    resumed: bool = False

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            # "Is this player's play still going?" (play_start), for users and for anonymous players.
            models.Index(fields=["game", "user", "-last_seen_at"], name="games_play_user_recent"),
            models.Index(fields=["game", "anonymous_id", "-last_seen_at"], name="games_play_anon_recent"),
            # Players active now, over every game (the `active_users` metric).
            models.Index(fields=["last_seen_at"], name="games_play_last_seen"),
        ]

    def __str__(self) -> str:
        return f"play of {self.game_id} at {self.started_at:%Y-%m-%d %H:%M}"


class GenerationRequest(models.Model):
    """The seed's `ai_generation_requests`: one prompt (or change request) on its way to a game."""

    class Kind(models.TextChoices):
        GENERATE = "generate", "Generate"
        REGENERATE = "regenerate", "Regenerate"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        PROCESSING = "processing", "Processing"
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Failed"

    class PlaytestStatus(models.TextChoices):
        NONE = "", "Not yet"
        CHECKING = "checking", "Checking it plays"
        PASSED = "passed", "Plays"
        FAILED = "failed", "Does not play"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="generation_requests"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.GENERATE)
    prompt = models.TextField()
    # The seed's `game_type`: a mechanic slug chosen by the user (a "template"), or blank to let the designer pick.
    mechanic = models.CharField(max_length=50, blank=True)
    parameters = models.JSONField(default=dict, blank=True)
    provider = models.CharField(max_length=30, default="local")
    seed = models.PositiveIntegerField(default=0)
    # For a change request: the game that gets a new version.
    base_game = models.ForeignKey(
        Game, null=True, blank=True, on_delete=models.SET_NULL, related_name="change_requests"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    progress = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    stage = models.CharField(max_length=40, blank=True)
    result_game = models.ForeignKey(
        Game, null=True, blank=True, on_delete=models.SET_NULL, related_name="generation_requests"
    )
    result_version = models.ForeignKey(
        GameVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    error_code = models.CharField(max_length=50, blank=True)
    error_message = models.TextField(blank=True)
    error_fields = models.JSONField(default=dict, blank=True)
    # Why `provider` was chosen (generation.routing: the policy, the budget, a fallback) and who ran it.
    routing_reason = models.CharField(max_length=300, blank=True)
    provider_used = models.CharField(max_length=30, blank=True)
    # What the LLM reported (0 for the local designer); the monthly quota is the sum of `tokens_used`
    # plus what unfinished requests hold in `tokens_reserved` (taken under the user's row lock).
    tokens_used = models.PositiveIntegerField(default=0)
    tokens_reserved = models.PositiveIntegerField(default=0)
    cost_usd = models.DecimalField(max_digits=12, decimal_places=6, default=Decimal("0"))
    usage = models.JSONField(default=dict, blank=True)
    processing_time_ms = models.PositiveIntegerField(null=True, blank=True)
    # The quality gate: the game is shown at once while the playtest runs ("checking"), then its verdict.
    playtest_status = models.CharField(
        max_length=20, choices=PlaytestStatus.choices, default=PlaytestStatus.NONE, db_index=True
    )
    playtest_attempts = models.PositiveSmallIntegerField(default=0)
    playtest_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "created_at"], name="games_genreq_user_created")]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="games_genreq_progress_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.id} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.COMPLETED, self.Status.FAILED)
