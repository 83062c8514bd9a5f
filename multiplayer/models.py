"""The seed's multiplayer tables: a session of one game and the players seated in it.

A session's code is unique among live sessions (waiting or active) by a partial unique index, and a
seat is unique among the active participants of a session by another: two processes that race for
the same code or seat cannot both win, whatever the Python above them checked.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

MIN_SEATS = 2
MAX_SEATS = 8


class MultiplayerSession(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"

    LIVE = (Status.WAITING, Status.ACTIVE)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    game = models.ForeignKey("games.Game", on_delete=models.CASCADE, related_name="multiplayer_sessions")
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hosted_sessions"
    )
    session_code = models.CharField(max_length=12)
    max_players = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(MIN_SEATS), MaxValueValidator(MAX_SEATS)]
    )
    current_players = models.PositiveSmallIntegerField(default=0)
    is_private = models.BooleanField(default=False)
    # The mechanic's MultiplayerMode when the session was made (a later spec edit does not change it).
    mode = models.CharField(max_length=40)
    min_players = models.PositiveSmallIntegerField(default=MIN_SEATS)
    turn_based = models.BooleanField(default=False)
    authority = models.CharField(max_length=10, default="host")
    # round, round_over, result, turn_seat, snapshot (the host's last "state" move).
    session_data = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session_code"],
                condition=Q(status__in=["waiting", "active"]),
                name="multiplayer_live_code_unique",
            ),
            models.CheckConstraint(
                condition=Q(max_players__gte=MIN_SEATS) & Q(max_players__lte=MAX_SEATS),
                name="multiplayer_max_players_range",
            ),
            models.CheckConstraint(
                condition=Q(current_players__lte=models.F("max_players")),
                name="multiplayer_seats_not_oversold",
            ),
        ]
        indexes = [models.Index(fields=["game", "status", "-created_at"], name="multiplayer_lobby")]

    def __str__(self) -> str:
        return f"{self.session_code} ({self.get_status_display()})"

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE

    @property
    def is_full(self) -> bool:
        return self.current_players >= self.max_players


class SessionParticipant(models.Model):
    session = models.ForeignKey(MultiplayerSession, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="multiplayer_participations"
    )
    seat = models.PositiveSmallIntegerField()
    joined_at = models.DateTimeField(auto_now_add=True)
    left_at = models.DateTimeField(null=True, blank=True)
    player_data = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(default=True)
    ready = models.BooleanField(default=False)
    # Presence: the newest socket of this player (its channel name), and since when it is gone.
    connected = models.BooleanField(default=False)
    connection = models.CharField(max_length=200, blank=True)
    disconnected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["seat"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="multiplayer_one_row_per_player"),
            models.UniqueConstraint(
                fields=["session", "seat"],
                condition=Q(is_active=True),
                name="multiplayer_one_player_per_seat",
            ),
        ]

    def __str__(self) -> str:
        return f"seat {self.seat} of {self.session_id}"
