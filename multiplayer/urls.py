from django.urls import path

from multiplayer import views

app_name = "multiplayer"

urlpatterns = [
    path("play/<slug:slug>/together/", views.together, name="together"),
    path("play/<slug:slug>/together/<uuid:session_id>/", views.room, name="room"),
    path("play/<slug:slug>/together/<uuid:session_id>/leave", views.leave, name="leave"),
]
