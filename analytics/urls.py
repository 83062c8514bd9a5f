from django.urls import path

from analytics import views

app_name = "analytics"

urlpatterns = [
    path("", views.index, name="index"),
    path("games/<slug:slug>/", views.game_dashboard, name="game"),
    path("games/<slug:slug>/live/", views.game_live, name="game_live"),
    path("games/<slug:slug>/summary/", views.game_summary, name="game_summary"),
    path("compare/", views.compare, name="compare"),
]
