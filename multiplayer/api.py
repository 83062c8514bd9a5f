"""The seed's multiplayer API under /api/v1/multiplayer: thin views over services and selectors."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from gamefactory.api.pagination import PageNumberPagination
from gamefactory.api.throttles import PerUserScopedThrottle
from gamefactory.errors import ApplicationError
from games import selectors as games_selectors
from multiplayer import selectors, services
from multiplayer import serializers as s


class MultiplayerThrottle(PerUserScopedThrottle):
    scope = "multiplayer"


def _valid(serializer_class, request):
    if not isinstance(request.data, dict):
        raise ApplicationError("The body must be a JSON object.", code="invalid_body")
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class SessionsApi(APIView):
    """POST: host a session of a game that plays multiplayer (you take seat 0)."""

    permission_classes = [permissions.IsAuthenticated]
    throttle_classes = [MultiplayerThrottle]

    @extend_schema(request=s.SessionCreateInput, responses={201: s.SessionOutput}, tags=["multiplayer"])
    def post(self, request):
        data = _valid(s.SessionCreateInput, request)
        try:
            game = games_selectors.game_get(user=request.user, game_id=data["game"])
        except ApplicationError:
            raise ApplicationError.for_field("game", "No such game.", code="not_found", status=404) from None
        session = services.session_create(
            user=request.user,
            game=game,
            max_players=data.get("max_players"),
            is_private=data.get("is_private", False),
        )
        return Response(selectors.session_payload(session), status=201)


class SessionDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: s.SessionOutput}, tags=["multiplayer"])
    def get(self, request, session_id):
        return Response(
            selectors.session_payload(selectors.session_get(session_id=session_id, user=request.user))
        )


class SessionJoinApi(APIView):
    """POST: take a free seat (joining twice keeps your one seat)."""

    permission_classes = [permissions.IsAuthenticated]
    throttle_classes = [MultiplayerThrottle]

    @extend_schema(request=None, responses={200: s.SessionOutput}, tags=["multiplayer"])
    def post(self, request, session_id):
        session = services.session_join(user=request.user, session_id=session_id)
        return Response(selectors.session_payload(session))


class SessionJoinByCodeApi(APIView):
    """POST {"code"}: join a live session by its code (the way into a private one)."""

    permission_classes = [permissions.IsAuthenticated]
    throttle_classes = [MultiplayerThrottle]

    @extend_schema(
        operation_id="multiplayer_sessions_join_by_code",
        request=s.JoinByCodeInput,
        responses={200: s.SessionOutput},
        tags=["multiplayer"],
    )
    def post(self, request):
        data = _valid(s.JoinByCodeInput, request)
        session = services.session_join(user=request.user, code=data["code"])
        return Response(selectors.session_payload(session))


class SessionLeaveApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={200: s.SessionOutput}, tags=["multiplayer"])
    def post(self, request, session_id):
        session = services.session_leave(user=request.user, session_id=session_id)
        return Response(selectors.session_payload(session))


class ActiveSessionsApi(APIView):
    """GET: live public sessions (of one game with `?game=<uuid>`)."""

    permission_classes = [permissions.AllowAny]
    pagination_class = PageNumberPagination

    @extend_schema(
        parameters=[OpenApiParameter("game", str, description="A game's id.")],
        responses={200: s.SessionOutput(many=True)},
        tags=["multiplayer"],
    )
    def get(self, request):
        game_id = request.query_params.get("game") or None
        if game_id is not None:
            import uuid

            try:
                game_id = uuid.UUID(game_id)
            except ValueError:
                raise ApplicationError.for_field("game", "A game's id (a UUID).", code="invalid") from None
        sessions = selectors.session_list_active(game_id=game_id)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(sessions, request, view=self)
        return paginator.get_paginated_response([selectors.session_payload(x) for x in page])
