import pytest

from games.models import Game, GenerationRequest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model", ["game", "gameversion", "asset", "rating", "play", "tag", "generationrequest"]
)
def test_admin_lists_render(client, staff, user, publish, model):
    publish(user)
    GenerationRequest.objects.create(user=user, prompt="a maze")
    client.force_login(staff)
    assert client.get(f"/admin/games/{model}/").status_code == 200


def test_admin_game_page_and_feature_action(client, staff, user, publish):
    game = publish(user)
    client.force_login(staff)
    assert client.get(f"/admin/games/game/{game.pk}/change/").status_code == 200
    r = client.post("/admin/games/game/", {"action": "feature", "_selected_action": [str(game.pk)]})
    assert r.status_code == 302
    assert Game.objects.get(pk=game.pk).is_featured
