"""Analytics: ingest keys, raw events, and the daily metrics computed from them.

On PostgreSQL `analytics_event` is partitioned by day of `occurred_at` (see `analytics.partitions`)
and has no primary key index: a partitioned table's unique index must contain the partition key, so
uniqueness of the client UUID is kept by `SeenEvent`, a small unpartitioned table keyed by UUID that
holds each event's receipt while the event could still be accepted. On SQLite the same model is one
ordinary table.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone

from games.models import Game


class IngestKey(models.Model):
    """A game's key pair for sending events.

    Neither half is stored: the public key is found by its SHA-256, and both halves are derived
    from `salt` with the server's ANALYTICS_KEY_SECRET (HMAC), so a leaked database alone cannot
    send signed events, while the service can still hand the same pair out again (idempotent issue).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="ingest_keys")
    public_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=16, help_text="The public key's first characters, to recognise it.")
    salt = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    # Set on rotation: the key keeps working until then, then stops.
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["game"],
                condition=Q(expires_at__isnull=True, revoked_at__isnull=True),
                name="analytics_one_current_key_per_game",
            )
        ]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.status})"

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None:
            return "expiring" if self.expires_at > timezone.now() else "expired"
        return "active"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class Event(models.Model):
    """One accepted event. Written only by `analytics.ingest` (one statement per request)."""

    # The client's UUID. On PostgreSQL there is no index on it here (see the module docstring).
    uuid = models.UUIDField(primary_key=True)
    game = models.ForeignKey(Game, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    name = models.CharField(max_length=64)
    occurred_at = models.DateTimeField()
    received_at = models.DateTimeField()
    player_id = models.CharField(max_length=64)
    session_id = models.CharField(max_length=64, blank=True, default="")
    platform = models.CharField(max_length=16, default="web")
    build = models.CharField(max_length=32, blank=True, default="")
    # Typed copies of the params aggregation reads, so it needs no JSON functions.
    level = models.IntegerField(null=True)
    success = models.BooleanField(null=True)
    amount_micros = models.BigIntegerField(null=True)
    params = models.JSONField(default=dict)

    class Meta:
        # Created by migration 0001 per database (partitioned on PostgreSQL).
        indexes = [
            models.Index(fields=["game", "occurred_at"], name="analytics_event_game_time"),
            # A BRIN index on PostgreSQL (same name), a b-tree on SQLite.
            models.Index(fields=["occurred_at"], name="analytics_event_time"),
        ]

    def __str__(self) -> str:
        return f"{self.name} at {self.occurred_at:%Y-%m-%d %H:%M:%S}"


class SeenEvent(models.Model):
    """The dedupe receipt of an event UUID, kept while an event with it could still be accepted."""

    uuid = models.UUIDField(primary_key=True)
    occurred_at = models.DateTimeField()

    def __str__(self) -> str:
        return str(self.uuid)


class GameReporting(models.Model):
    """A game's reporting options: the timezone its days are counted in (UTC unless set)."""

    game = models.OneToOneField(Game, on_delete=models.CASCADE, primary_key=True, related_name="+")
    timezone = models.CharField(max_length=64, default="UTC")

    def __str__(self) -> str:
        return f"{self.game_id}: {self.timezone}"


class Player(models.Model):
    """A game's player (anonymous install id) and the day they were first seen: their install cohort."""

    game = models.ForeignKey(Game, on_delete=models.CASCADE, db_constraint=False, related_name="+")
    player_id = models.CharField(max_length=64)
    first_day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["game", "player_id"], name="analytics_player_unique"),
        ]

    def __str__(self) -> str:
        return self.player_id


class DailyMetrics(models.Model):
    """One game's numbers for one day (in the game's reporting timezone). Money in USD micros."""

    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    events = models.PositiveIntegerField(default=0)
    dau = models.PositiveIntegerField(default=0)
    new_players = models.PositiveIntegerField(default=0)
    sessions = models.PositiveIntegerField(default=0)
    single_event_sessions = models.PositiveIntegerField(default=0)
    session_length_median_s = models.FloatField(null=True)
    session_length_mean_s = models.FloatField(null=True)
    ad_impressions = models.PositiveIntegerField(default=0)
    ad_revenue_micros = models.BigIntegerField(default=0)
    purchases = models.PositiveIntegerField(default=0)
    purchase_revenue_micros = models.BigIntegerField(default=0)
    refunds = models.PositiveIntegerField(default=0)
    refund_micros = models.BigIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["game", "day"]
        verbose_name_plural = "daily metrics"
        constraints = [models.UniqueConstraint(fields=["game", "day"], name="analytics_daily_unique")]

    def __str__(self) -> str:
        return f"{self.game_id} {self.day}"

    @property
    def revenue_micros(self) -> int:
        return self.ad_revenue_micros + self.purchase_revenue_micros - self.refund_micros


class Retention(models.Model):
    """How many players of the install cohort `cohort_day` were active `day_n` days later (n=0: its size)."""

    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="+")
    cohort_day = models.DateField()
    day_n = models.PositiveSmallIntegerField()
    activity_day = models.DateField()
    players = models.PositiveIntegerField()

    class Meta:
        ordering = ["game", "cohort_day", "day_n"]
        constraints = [
            models.UniqueConstraint(fields=["game", "cohort_day", "day_n"], name="analytics_retention_unique")
        ]
        indexes = [models.Index(fields=["game", "activity_day"], name="analytics_retention_activity")]

    def __str__(self) -> str:
        return f"{self.game_id} {self.cohort_day} D{self.day_n}"


class LevelFunnel(models.Model):
    """Level starts and outcomes of one game on one day."""

    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    level = models.IntegerField()
    starts = models.PositiveIntegerField(default=0)
    successes = models.PositiveIntegerField(default=0)
    fails = models.PositiveIntegerField(default=0)
    players_started = models.PositiveIntegerField(default=0)
    players_succeeded = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["game", "day", "level"]
        constraints = [
            models.UniqueConstraint(fields=["game", "day", "level"], name="analytics_funnel_unique")
        ]

    def __str__(self) -> str:
        return f"{self.game_id} {self.day} L{self.level}"


class AggregatedDay(models.Model):
    """A day that has been aggregated for the games of one reporting timezone (D-n retention is known)."""

    day = models.DateField()
    timezone = models.CharField(max_length=64)
    computed_at = models.DateTimeField()
    events = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["day", "timezone"], name="analytics_aggregated_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.day} ({self.timezone})"


class LiveWatermark(models.Model):
    """How far today's live aggregation of one reporting timezone has read (events received until)."""

    timezone = models.CharField(max_length=64, primary_key=True)
    received_until = models.DateTimeField()
    computed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.timezone}: {self.received_until:%Y-%m-%d %H:%M:%S}"
