"""Input checks and the documented output shapes of the multiplayer API."""

from __future__ import annotations

from rest_framework import serializers

from multiplayer.models import MAX_SEATS, MIN_SEATS


class SessionCreateInput(serializers.Serializer):
    game = serializers.UUIDField()
    max_players = serializers.IntegerField(min_value=MIN_SEATS, max_value=MAX_SEATS, required=False)
    is_private = serializers.BooleanField(required=False, default=False)


class JoinByCodeInput(serializers.Serializer):
    code = serializers.CharField(max_length=20)


class ParticipantOutput(serializers.Serializer):
    user_id = serializers.UUIDField()
    username = serializers.CharField()
    seat = serializers.IntegerField()
    is_active = serializers.BooleanField()
    joined_at = serializers.DateTimeField()


class SessionOutput(serializers.Serializer):
    """The session JSON (multiplayer/README.md); built by `selectors.session_payload`."""

    id = serializers.UUIDField()
    game = serializers.UUIDField()
    game_slug = serializers.CharField()
    host = serializers.UUIDField()
    session_code = serializers.CharField()
    max_players = serializers.IntegerField()
    min_players = serializers.IntegerField()
    current_players = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["waiting", "active", "completed"])
    is_private = serializers.BooleanField()
    mode = serializers.CharField()
    turn_based = serializers.BooleanField()
    authority = serializers.ChoiceField(choices=["host", "server"])
    participants = ParticipantOutput(many=True)
    ws_url = serializers.CharField()
    join_url = serializers.CharField()
    started_at = serializers.DateTimeField(allow_null=True)
    ended_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
