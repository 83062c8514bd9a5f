import pytest
from rest_framework.test import APIClient

from games import services
from games.models import Game, Play, Rating
from tests.factories import UserFactory
from tests.games.conftest import assert_error

pytestmark = pytest.mark.django_db

GAMES = "/api/v1/games"


def detail(game):
    return f"{GAMES}/{game.pk}"


@pytest.fixture
def catalogue(user, publish):
    """Five public games of two creators, one private draft and one deleted game."""
    other = UserFactory(username="zoe")
    games = {
        "snake": publish(
            user, title="Neon Serpent", category="arcade", difficulty="easy", tags=["neon", "snake"]
        ),
        "maze": publish(user, title="Ghost Maze", category="puzzle", difficulty="hard", tags=["ghosts"]),
        "blocks": publish(other, title="Block Party", category="puzzle", difficulty="medium", tags=["neon"]),
        "words": publish(other, title="Word Rain", category="word", description="Catch the falling letters"),
        "rhythm": publish(other, title="Beat Runner", category="rhythm"),
        "draft": publish(user, title="Secret Draft", is_public=False),
        "gone": publish(user, title="Deleted Game"),
    }
    services.game_delete(game=games["gone"], user=user)
    Game.objects.filter(pk=games["blocks"].pk).update(
        is_featured=True, play_count=50, rating=4.5, rating_count=2
    )
    Game.objects.filter(pk=games["maze"].pk).update(play_count=10, rating=3.0, rating_count=1)
    return games


def titles(response):
    assert response.status_code == 200, response.content
    return [g["title"] for g in response.json()["results"]]


# --- list ------------------------------------------------------------------------------------


def test_list_shows_public_active_games_newest_first(api, catalogue):
    r = api.get(GAMES)
    assert titles(r) == ["Beat Runner", "Word Rain", "Block Party", "Ghost Maze", "Neon Serpent"]
    body = r.json()
    assert body["count"] == 5 and body["next"] is None
    item = body["results"][0]
    assert {"id", "slug", "title", "category", "difficulty", "tags", "creator", "thumbnail_small_url",
            "thumbnail_large_url", "play_count", "rating", "rating_count", "origin", "url"} <= set(item)  # fmt: skip
    assert item["creator"]["username"] == "zoe" and item["thumbnail_small_url"].startswith(
        "http://testserver/media/"
    )
    assert "spec" not in item


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("category=puzzle", ["Block Party", "Ghost Maze"]),
        ("difficulty=hard", ["Ghost Maze"]),
        ("tags=neon", ["Block Party", "Neon Serpent"]),
        ("tags=ghosts,neon", ["Block Party", "Ghost Maze", "Neon Serpent"]),
        ("creator=zoe", ["Beat Runner", "Word Rain", "Block Party"]),
        ("featured=true", ["Block Party"]),
        ("q=maze", ["Ghost Maze"]),
        ("q=LETTERS", ["Word Rain"]),
        ("q=serpent", ["Neon Serpent"]),
        ("q=ghosts", ["Ghost Maze"]),
        ("sort=plays&category=puzzle", ["Block Party", "Ghost Maze"]),
        ("sort=rating", ["Block Party", "Ghost Maze", "Beat Runner", "Word Rain", "Neon Serpent"]),
        ("q=nothing-like-this", []),
    ],
)
def test_list_filters_search_and_sorts(api, catalogue, query, expected):
    assert titles(api.get(f"{GAMES}?{query}")) == expected


def test_list_filter_by_creator_id(api, catalogue, user):
    assert titles(api.get(f"{GAMES}?creator={user.pk}")) == ["Ghost Maze", "Neon Serpent"]


def test_list_paginates(api, catalogue):
    r = api.get(f"{GAMES}?page_size=2&page=2")
    assert titles(r) == ["Block Party", "Ghost Maze"]
    assert r.json()["next"] and r.json()["previous"]


@pytest.mark.parametrize(
    ("query", "field"),
    [("category=racing", "category"), ("sort=best", "sort"), ("difficulty=insane", "difficulty"),
     ("featured=maybe", "featured"), ("q=" + "x" * 101, "q")],
)  # fmt: skip
def test_bad_filters_are_a_400_naming_the_field(api, catalogue, query, field):
    assert_error(api.get(f"{GAMES}?{query}"), 400, field=field)


def test_a_page_past_the_end_is_a_404_in_the_error_shape(api, catalogue):
    assert_error(api.get(f"{GAMES}?page=99"), 404)


def test_the_list_runs_a_fixed_number_of_queries(
    auth_api, user, publish, django_assert_num_queries, django_capture_on_commit_callbacks
):
    # given: a signed-in caller (pages never cached for them) and a few games
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            publish(user)
    with django_assert_num_queries(3):  # the count, the page with its creators, the page's tags
        assert auth_api.get(GAMES).status_code == 200
    with django_assert_num_queries(2):  # the count of these filters is cached until the next change
        assert auth_api.get(f"{GAMES}?page_size=2&page=2").status_code == 200
    # when: many more games, by many creators
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(12):
            publish(UserFactory())
    # then: the same number of queries for 15 games
    with django_assert_num_queries(3):
        r = auth_api.get(GAMES)
    assert r.json()["count"] == 15 and len(r.json()["results"]) == 15


def test_anonymous_first_pages_are_cached_and_dropped_on_change(
    api, user, publish, django_assert_num_queries, django_capture_on_commit_callbacks
):
    # given
    with django_capture_on_commit_callbacks(execute=True):
        publish(user, title="First")
    assert titles(api.get(GAMES)) == ["First"]
    # when: asked again, nothing touches the database
    with django_assert_num_queries(0):
        assert titles(api.get(GAMES)) == ["First"]
    # when: a game is published, renamed, rated, deleted, the next answer shows it at once
    with django_capture_on_commit_callbacks(execute=True):
        second = publish(user, title="Second")
    assert titles(api.get(GAMES)) == ["Second", "First"]
    with django_capture_on_commit_callbacks(execute=True):
        services.game_update(game=second, user=user, title="Second, renamed")
    assert titles(api.get(GAMES)) == ["Second, renamed", "First"]
    voter = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.game_rate(game=second, user=voter, stars=5)
    assert api.get(GAMES).json()["results"][0]["rating"] == 5.0
    with django_capture_on_commit_callbacks(execute=True):
        services.game_delete(game=second, user=user)
    assert titles(api.get(GAMES)) == ["First"]
    # and a signed-in caller is never served a cached page (only the shared count)
    signed_in = APIClient()
    signed_in.force_authenticate(user)
    with django_assert_num_queries(2):
        assert titles(signed_in.get(GAMES)) == ["First"]


# --- detail, update, delete ------------------------------------------------------------------


def test_detail_has_spec_version_and_play_url(api, catalogue):
    game = catalogue["snake"]
    r = api.get(detail(game))
    assert r.status_code == 200
    body = r.json()
    assert body["spec"]["mechanic"] == "snake"
    version = body["current_version"]
    assert version["number"] == 1
    assert (
        version["play_url"]
        == f"http://testserver/play/{game.current_version_id}/{version['bundle_hash']}/index.html"
    )
    assert body["can_edit"] is False and body["my_rating"] is None


def test_private_and_deleted_games_are_404_to_others(api, auth_api, catalogue):
    assert_error(api.get(detail(catalogue["draft"])), 404)
    assert_error(api.get(detail(catalogue["gone"])), 404)
    stranger = APIClient()
    stranger.force_authenticate(UserFactory())
    assert_error(stranger.get(detail(catalogue["draft"])), 404)
    # the creator sees the draft
    assert auth_api.get(detail(catalogue["draft"])).json()["can_edit"] is True


def test_owner_updates_with_put(auth_api, catalogue):
    game = catalogue["snake"]
    r = auth_api.put(
        detail(game), {"title": "Serpent 2", "tags": "fast, neon", "difficulty": "hard"}, format="json"
    )
    assert r.status_code == 200, r.content
    assert (r.json()["title"], r.json()["difficulty"], r.json()["tags"]) == (
        "Serpent 2",
        "hard",
        ["fast", "neon"],
    )


def test_a_new_spec_in_put_publishes_a_new_version(
    auth_api, catalogue, other_spec, django_capture_on_commit_callbacks
):
    game = catalogue["snake"]
    with django_capture_on_commit_callbacks(execute=True):
        r = auth_api.put(
            detail(game), {"spec": other_spec.model_dump(mode="json"), "changelog": "maze now"}, format="json"
        )
        assert r.status_code == 200, r.content
        # the public game keeps its played version while the new one waits for its playtest ...
        assert r.json()["current_version"]["number"] == 1 and r.json()["mechanic"] == "snake"
    # ... which ran (a task, on commit) and passed: the new version is the current one
    r = auth_api.get(detail(game))
    assert r.json()["current_version"]["number"] == 2 and r.json()["mechanic"] == "maze"
    assert auth_api.get(f"{detail(game)}/versions").json()[1]["number"] == 1


def test_an_invalid_spec_in_put_names_the_path(auth_api, catalogue, spec):
    data = spec.model_dump(mode="json")
    data["theme"]["palette"]["primary"] = "red"
    err = assert_error(
        auth_api.put(detail(catalogue["snake"]), {"spec": data}, format="json"), 400, code="invalid_spec"
    )
    assert "theme.palette.primary" in err["fields"]


def test_editing_another_users_game_is_refused(catalogue):
    stranger = APIClient()
    stranger.force_authenticate(UserFactory())
    assert_error(stranger.put(detail(catalogue["blocks"]), {"title": "hijacked"}, format="json"), 403)
    assert_error(stranger.delete(detail(catalogue["blocks"])), 403)
    assert Game.objects.get(pk=catalogue["blocks"].pk).title == "Block Party"


def test_anonymous_cannot_write(api, catalogue):
    assert_error(api.put(detail(catalogue["snake"]), {"title": "x"}, format="json"), 401)
    assert_error(api.delete(detail(catalogue["snake"])), 401)


def test_non_staff_cannot_feature(auth_api, catalogue):
    assert_error(
        auth_api.put(detail(catalogue["snake"]), {"is_featured": True}, format="json"),
        400,
        field="is_featured",
    )


def test_delete_is_soft_and_hides_the_game(auth_api, api, catalogue):
    game = catalogue["snake"]
    assert auth_api.delete(detail(game)).status_code == 204
    assert Game.objects.get(pk=game.pk).status == Game.Status.DELETED
    assert_error(api.get(detail(game)), 404)
    assert "Neon Serpent" not in titles(api.get(GAMES))


# --- play, rate, assets, fork ------------------------------------------------------------------


def test_plays_start_and_finish(api, catalogue):
    game = catalogue["maze"]
    r = api.post(f"{detail(game)}/play", {"anonymous_id": "device-1"}, format="json")
    assert r.status_code == 201, r.content
    assert r.json()["play_count"] == 11
    play_id = r.json()["id"]
    r = api.post(
        f"{detail(game)}/play",
        {"play_id": play_id, "anonymous_id": "device-1", "duration_ms": 5000, "score": 42, "completed": True},
        format="json",
    )
    assert r.status_code == 200 and (r.json()["score"], r.json()["completed"]) == (42, True)
    # someone else's play id is not theirs to finish
    assert_error(
        api.post(
            f"{detail(game)}/play",
            {"play_id": play_id, "anonymous_id": "device-2", "score": 1},
            format="json",
        ),
        404,
    )


def test_finishing_a_play_with_a_form_body_works_like_a_beacon(client, user, catalogue):
    # the page's sendBeacon sends a form body carrying the CSRF token
    client.force_login(user)
    game = catalogue["maze"]
    client.get(f"/games/{game.slug}/")  # sets the CSRF cookie
    play = services.play_start(game=game, user=user)
    token = client.cookies["csrftoken"].value
    csrf_client = type(client)(enforce_csrf_checks=True)
    csrf_client.force_login(user)
    csrf_client.cookies["csrftoken"] = token
    r = csrf_client.post(
        f"{detail(game)}/play",
        {"play_id": str(play.pk), "duration_ms": "900", "score": "7", "csrfmiddlewaretoken": token},
    )
    assert r.status_code == 200, r.content
    assert Play.objects.get(pk=play.pk).score == 7


def test_bad_play_input_is_a_400(api, catalogue):
    url = f"{detail(catalogue['maze'])}/play"
    assert_error(api.post(url, {}, format="json"), 400, field="anonymous_id")
    assert_error(
        api.post(url, {"anonymous_id": "x", "play_id": "not-a-uuid"}, format="json"), 400, field="play_id"
    )
    assert_error(
        api.post(
            url, {"anonymous_id": "x", "play_id": "00000000-0000-0000-0000-000000000000"}, format="json"
        ),
        404,
    )


def test_rating_through_the_api(catalogue):
    game = catalogue["words"]
    voter = APIClient()
    voter.force_authenticate(UserFactory())
    r = voter.post(f"{detail(game)}/rate", {"stars": 4}, format="json")
    assert r.status_code == 200 and r.json() == {"stars": 4, "rating": 4.0, "rating_count": 1}
    assert voter.get(detail(game)).json()["my_rating"] == 4


@pytest.mark.parametrize("stars", [0, 6, "five", 4.5, True, None, ""])
def test_bad_ratings_are_refused(auth_api, catalogue, stars):
    assert_error(
        auth_api.post(f"{detail(catalogue['words'])}/rate", {"stars": stars}, format="json"),
        400,
        field="stars",
    )
    assert Rating.objects.count() == 0


def test_rating_needs_an_account_and_a_visible_game(api, catalogue):
    assert_error(api.post(f"{detail(catalogue['words'])}/rate", {"stars": 3}, format="json"), 401)
    stranger = APIClient()
    stranger.force_authenticate(UserFactory())
    assert_error(stranger.post(f"{detail(catalogue['draft'])}/rate", {"stars": 3}, format="json"), 404)


def test_assets_list_the_current_version(api, catalogue):
    game = catalogue["words"]
    r = api.get(f"{detail(game)}/assets")
    assert r.status_code == 200
    body = r.json()
    paths = {a["path"]: a for a in body["assets"]}
    assert body["version"] == 1 and "assets/sprites.png" in paths and "index.html" in paths
    sprite = paths["assets/sprites.png"]
    assert sprite["kind"] == "sprite" and sprite["content_type"] == "image/png"
    assert sprite["url"].endswith(
        f"/play/{game.current_version_id}/{game.current_version.bundle_hash}/assets/sprites.png"
    )
    assert_error(api.get(f"{detail(game)}/assets?version=9"), 404, field="version")


def test_fork_through_the_api(catalogue):
    forker = APIClient()
    forker.force_authenticate(UserFactory(username="remixer"))
    r = forker.post(f"{detail(catalogue['words'])}/fork", {}, format="json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["title"] == "Word Rain (remix)" and body["origin"] == "fork"
    assert body["forked_from"] == str(catalogue["words"].pk) and body["can_edit"] is True
    assert body["creator"]["username"] == "remixer"


def test_forking_needs_an_account(api, catalogue):
    assert_error(api.post(f"{detail(catalogue['words'])}/fork", {}, format="json"), 401)


def test_unknown_game_is_a_404(api):
    assert_error(api.get(f"{GAMES}/00000000-0000-0000-0000-000000000000"), 404)


def test_the_lists_fast_serialisation_matches_the_declared_fields(rf, user, publish):
    # given: a fork (forked_from set) with thumbnails and tags
    from rest_framework.renderers import JSONRenderer
    from rest_framework.serializers import ModelSerializer

    from games.serializers import GameListOutput

    original = publish(user, tags=["neon"])
    services.game_rate(game=original, user=UserFactory(), stars=4)
    fork = services.game_fork(game=original, user=UserFactory())
    request = rf.get("/api/v1/games")
    for game in (Game.objects.get(pk=original.pk), Game.objects.get(pk=fork.pk)):
        serializer = GameListOutput(game, context={"request": request})
        # when
        fast = JSONRenderer().render(serializer.data)
        generic = JSONRenderer().render(ModelSerializer.to_representation(serializer, game))
        # then
        assert fast == generic
