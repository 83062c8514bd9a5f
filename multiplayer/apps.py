from django.apps import AppConfig


class MultiplayerConfig(AppConfig):
    name = "multiplayer"
    verbose_name = "Multiplayer"
