from django.urls import path

from multiplayer import api

urlpatterns = [
    path("multiplayer/sessions", api.SessionsApi.as_view(), name="multiplayer-sessions"),
    path("multiplayer/sessions/join", api.SessionJoinByCodeApi.as_view(), name="multiplayer-join-code"),
    path(
        "multiplayer/sessions/<uuid:session_id>", api.SessionDetailApi.as_view(), name="multiplayer-session"
    ),
    path(
        "multiplayer/sessions/<uuid:session_id>/join", api.SessionJoinApi.as_view(), name="multiplayer-join"
    ),
    path(
        "multiplayer/sessions/<uuid:session_id>/leave",
        api.SessionLeaveApi.as_view(),
        name="multiplayer-leave",
    ),
    path("multiplayer/active", api.ActiveSessionsApi.as_view(), name="multiplayer-active"),
]
