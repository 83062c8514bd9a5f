from django.urls import path

from games import api

urlpatterns = [
    path("ping", api.ping, name="api-ping"),
    path("games", api.GamesApi.as_view(), name="games-list"),
    path("games/<uuid:game_id>", api.GameDetailApi.as_view(), name="games-detail"),
    path("games/<uuid:game_id>/play", api.GamePlayApi.as_view(), name="games-play"),
    path("games/<uuid:game_id>/rate", api.GameRateApi.as_view(), name="games-rate"),
    path("games/<uuid:game_id>/assets", api.GameAssetsApi.as_view(), name="games-assets"),
    path("games/<uuid:game_id>/versions", api.GameVersionsApi.as_view(), name="games-versions"),
    path("games/<uuid:game_id>/fork", api.GameForkApi.as_view(), name="games-fork"),
    path("ai/generate-game", api.GenerateGameApi.as_view(), name="ai-generate-game"),
    path("ai/generation/<uuid:request_id>", api.GenerationStatusApi.as_view(), name="ai-generation"),
    path("ai/regenerate", api.RegenerateApi.as_view(), name="ai-regenerate"),
    path("ai/templates", api.TemplatesApi.as_view(), name="ai-templates"),
    path("ai/quota", api.QuotaApi.as_view(), name="ai-quota"),
]
