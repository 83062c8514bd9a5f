from django.urls import path, register_converter

from games import access, player, views


class HashConverter:
    regex = "[0-9a-f]{64}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class GrantConverter:
    regex = "~" + access.GRANT_RE

    def to_python(self, value):
        return value[1:]

    def to_url(self, value):
        return "~" + value


register_converter(HashConverter, "sha256")
register_converter(GrantConverter, "grant")

app_name = "games"

urlpatterns = [
    path("games/<slug:slug>/", views.game_detail, name="detail"),
    path("games/<slug:slug>/rate", views.game_rate, name="rate"),
    path("games/<slug:slug>/fork", views.game_fork, name="fork"),
    path("games/<slug:slug>/edit", views.game_edit, name="edit"),
    path("games/<slug:slug>/delete", views.game_delete, name="delete"),
    path("games/<slug:slug>/visibility", views.game_visibility, name="visibility"),
    path("my/games/", views.my_games, name="mine"),
    path("studio/", views.studio, name="studio"),
    path("studio/<uuid:request_id>/", views.studio_request, name="studio_request"),
    path("studio/<uuid:request_id>/status", views.studio_status, name="studio_status"),
    path("studio/<uuid:request_id>/regenerate", views.studio_regenerate, name="studio_regenerate"),
    path("studio/<uuid:request_id>/publish", views.studio_publish, name="studio_publish"),
    path("studio/<uuid:request_id>/discard", views.studio_discard, name="studio_discard"),
    # Sandboxed bundles and the shared Phaser, long-cached (see games/player.py).
    path("play/_lib/phaser-<str:version>.min.js", player.phaser_file, name="phaser"),
    path(
        "play/<uuid:version_id>/<sha256:bundle_hash>/<grant:grant>/<path:path>",
        player.bundle_file,
        name="bundle_file_granted",
    ),
    path("play/<uuid:version_id>/<sha256:bundle_hash>/<path:path>", player.bundle_file, name="bundle_file"),
]
