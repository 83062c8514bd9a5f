"""Server-rendered pages: catalogue, game page, studio, my games."""

import re

import pytest

from accounts.models import User
from games import services
from games.models import Game, GenerationRequest, Rating
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


# --- catalogue -------------------------------------------------------------------------------


def test_home_is_the_catalogue(client, user, publish):
    publish(user, title="Neon Serpent")
    publish(user, title="Hidden Draft", is_public=False)
    r = client.get("/")
    html = r.content.decode()
    assert r.status_code == 200
    assert "Neon Serpent" in html and "Hidden Draft" not in html
    assert 'href="/studio/"' in html and "Catalogue" in html


def test_the_empty_catalogue_invites_to_the_studio(client):
    html = client.get("/").content.decode()
    assert "No games yet" in html and "/studio/" in html


def test_search_with_htmx_returns_only_the_grid(client, user, publish):
    publish(user, title="Neon Serpent")
    publish(user, title="Ghost Maze", tags=["ghosts"])
    r = client.get("/?q=ghost", HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert r.status_code == 200 and "<html" not in html and 'id="grid"' in html
    assert "Ghost Maze" in html and "Neon Serpent" not in html
    empty = client.get("/?q=zzzz", HTTP_HX_REQUEST="true").content.decode()
    assert "No game matches" in empty


def test_catalogue_filters_by_category_and_tag(client, user, publish):
    publish(user, title="Puzzler", category="puzzle", tags=["brainy"])
    publish(user, title="Shooter", category="action")
    assert "Shooter" not in client.get("/?category=puzzle").content.decode()
    assert "Shooter" not in client.get("/?tag=brainy").content.decode()
    assert "Puzzler" in client.get("/?tag=brainy").content.decode()


def test_catalogue_query_count_does_not_grow_with_games(client, user, publish, django_assert_max_num_queries):
    for _ in range(10):
        publish(UserFactory())
    with django_assert_max_num_queries(5):
        assert client.get("/").status_code == 200


# --- the game page ---------------------------------------------------------------------------


def test_game_page_embeds_the_sandboxed_player(client, user, publish):
    game = publish(user, title="Neon Serpent")
    html = client.get(f"/games/{game.slug}/").content.decode()
    frame = re.search(r"<iframe[^>]*>", html).group(0)
    assert 'sandbox="allow-scripts"' in frame and "allow-same-origin" not in html
    version = game.current_version
    assert f'src="/play/{version.pk}/{version.bundle_hash}/index.html"' in frame
    assert "games/player.js" in html and 'id="gf-analytics"' in html
    assert "a snake in a neon city" in html  # provenance: the prompt


def test_game_page_credits_the_cast_and_its_artwork(client, user, publish):
    game = publish(user, title="Neon Serpent")
    html = client.get(f"/games/{game.slug}/").content.decode()
    credit = html[html.index('data-credits="artwork"') :][:800]
    assert "Noto Emoji" in credit and "Apache-2.0" in credit
    for member in game.spec["cast"]:
        assert member["subject"] in credit


def test_game_page_shows_the_analytics_relay_config(client, user, publish):
    game = publish(user)
    html = client.get(f"/games/{game.slug}/").content.decode()
    config = re.search(r'<script id="gf-analytics" type="application/json">(.*?)</script>', html).group(1)
    import json

    data = json.loads(config)
    assert data["url"] == "/api/v1/events" and data["key"].startswith("gfk_")
    assert {e["name"] for e in data["standard_events"]} >= {"level_end", "score"}


def test_a_game_without_a_build_says_so(client, user):
    game = Game.objects.create(
        creator=user, title="Demo Runner", slug="demo-runner", category="arcade", spec={}
    )
    html = client.get(f"/games/{game.slug}/").content.decode()
    assert "no playable build" in html and "<iframe" not in html


def test_private_games_are_404_to_others(client, user, publish):
    game = publish(user, is_public=False)
    assert client.get(f"/games/{game.slug}/").status_code == 404
    client.force_login(user)
    assert client.get(f"/games/{game.slug}/").status_code == 200


def test_rating_from_the_page_with_htmx(signed_in, user, publish):
    game = publish(UserFactory())
    r = signed_in.post(f"/games/{game.slug}/rate", {"stars": "4"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and 'id="rating"' in r.content.decode() and "<html" not in r.content.decode()
    assert Rating.objects.get(game=game, user=user).stars == 4
    bad = signed_in.post(f"/games/{game.slug}/rate", {"stars": "9"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 400 and "from 1 to 5" in bad.content.decode()


def test_rating_needs_sign_in(client, user, publish):
    game = publish(user)
    r = client.post(f"/games/{game.slug}/rate", {"stars": "4"})
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_fork_from_the_page(signed_in, user, publish):
    original = publish(UserFactory(), title="Word Rain")
    r = signed_in.post(f"/games/{original.slug}/fork")
    fork = Game.objects.get(creator=user)
    assert r.status_code == 302 and r["Location"] == f"/games/{fork.slug}/"
    assert fork.forked_from == original


def test_edit_and_delete_are_for_the_owner(client, user, publish):
    game = publish(user)
    client.force_login(UserFactory())
    assert client.get(f"/games/{game.slug}/edit").status_code == 404
    assert client.post(f"/games/{game.slug}/delete").status_code == 302
    assert Game.objects.get(pk=game.pk).status == Game.Status.ACTIVE
    client.force_login(user)
    r = client.post(
        f"/games/{game.slug}/edit",
        {
            "title": "Renamed",
            "description": "",
            "category": "puzzle",
            "difficulty": "easy",
            "is_public": "on",
            "tags": "a, b",
        },
    )
    assert r.status_code == 302
    game.refresh_from_db()
    assert (game.title, game.category, sorted(game.tags.values_list("name", flat=True))) == (
        "Renamed",
        "puzzle",
        ["a", "b"],
    )
    client.post(f"/games/{game.slug}/delete")
    assert Game.objects.get(pk=game.pk).status == Game.Status.DELETED


def test_my_games_lists_drafts_and_public_games(signed_in, user, publish):
    publish(user, title="Public One")
    publish(user, title="Draft One", is_public=False)
    publish(UserFactory(), title="Not Mine")
    services.play_start(game=Game.objects.get(title="Draft One"), user=user, test=True)
    html = signed_in.get("/my/games/").content.decode()
    assert "Public One" in html and "Draft One" in html and "Private draft" in html and "Not Mine" not in html
    # the creator's tests in the studio, apart from the plays
    assert re.search(r"Draft One.*?<td>0</td>\s*<td>1</td>", html, re.S), html


# --- the studio ------------------------------------------------------------------------------


def test_the_studio_needs_sign_in(client):
    assert client.get("/studio/").status_code == 302


def test_the_studio_suggests_templates_and_shows_the_quota(signed_in):
    html = signed_in.get("/studio/").content.decode()
    assert "Need an idea?" in html and "data-prompt=" in html and "0 / 1000" in html


def test_the_studio_flow_generate_play_change_publish(signed_in, user, django_capture_on_commit_callbacks):
    # when: a prompt is sent
    with django_capture_on_commit_callbacks(execute=True):
        r = signed_in.post("/studio/", {"prompt": "a snake in a neon city", "template": ""})
    generation = GenerationRequest.objects.get(user=user)
    assert r.status_code == 302 and r["Location"] == f"/studio/{generation.pk}/"
    # then: the page shows the game playing, with publish / discard / regenerate
    html = signed_in.get(r["Location"]).content.decode()
    assert (
        'sandbox="allow-scripts"' in html
        and 'data-action="publish"' in html
        and 'data-action="discard"' in html
    )
    # the status block (what htmx polls) agrees
    block = signed_in.get(f"/studio/{generation.pk}/status").content.decode()
    assert 'data-status="completed"' in block and "hx-trigger" not in block
    # when: a change is asked
    with django_capture_on_commit_callbacks(execute=True):
        r = signed_in.post(f"/studio/{generation.pk}/regenerate", {"prompt": "make it a maze"})
    change = GenerationRequest.objects.exclude(pk=generation.pk).get()
    assert r["Location"] == f"/studio/{change.pk}/" and change.result_game_id == generation.result_game_id
    assert change.result_game.versions.count() == 2
    # when: published
    r = signed_in.post(f"/studio/{change.pk}/publish")
    game = Game.objects.get(pk=generation.result_game_id)
    assert r["Location"] == f"/games/{game.slug}/" and game.is_public


def test_a_pending_generation_polls_its_status(signed_in, user):
    generation = GenerationRequest.objects.create(user=user, prompt="a maze", stage="queued")
    html = signed_in.get(f"/studio/{generation.pk}/").content.decode()
    assert 'hx-trigger="every 1s, gf:refresh"' in html and "<progress" in html


def test_a_bad_prompt_is_shown_on_the_field(signed_in):
    r = signed_in.post("/studio/", {"prompt": "x" * 4001})
    assert r.status_code == 400 and "longer than 4000" in r.content.decode()
    assert GenerationRequest.objects.count() == 0


def test_discard_deletes_the_draft(signed_in, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post("/studio/", {"prompt": "a snake"})
    generation = GenerationRequest.objects.get(user=user)
    r = signed_in.post(f"/studio/{generation.pk}/discard")
    assert r["Location"] == "/studio/"
    assert Game.objects.get(pk=generation.result_game_id).status == Game.Status.DELETED


def test_someone_elses_generation_page_is_a_404(client, user):
    generation = GenerationRequest.objects.create(user=user, prompt="a maze")
    client.force_login(UserFactory())
    assert client.get(f"/studio/{generation.pk}/").status_code == 404
    assert client.post(f"/studio/{generation.pk}/publish").status_code == 404


def test_nav_links(signed_in):
    html = signed_in.get("/").content.decode()
    assert 'href="/studio/"' in html and 'href="/my/games/"' in html


def test_services_keep_the_catalogue_page_fresh(client, user, publish):
    game = publish(user, title="Before")
    assert "Before" in client.get("/").content.decode()
    services.game_update(game=game, user=user, title="After")
    assert "After" in client.get("/").content.decode()


def test_pages_with_a_player_only_frame_the_bundles_origin(client, user, publish, settings):
    game = publish(user)
    assert (
        client.get(f"/games/{game.slug}/")["Content-Security-Policy"] == "frame-src 'self'; child-src 'self'"
    )
    settings.GAME_ORIGIN = "https://play.example.net"
    assert (
        "frame-src 'self' https://play.example.net;"
        in client.get(f"/games/{game.slug}/")["Content-Security-Policy"]
    )


def test_the_demo_seeder_makes_one_playable_game_per_mechanic_once(db):
    from games.demo import seed_demo
    from generation.mechanics import mechanic_registry

    demo = UserFactory(username="demo")
    seed_demo()
    seed_demo()
    games = Game.objects.filter(creator=demo)
    playable = [s for s, d in mechanic_registry().items() if d.js_path.is_file() and d.example_prompts]
    assert sorted(games.values_list("mechanic", flat=True)) == sorted(playable)
    failed = {
        g.mechanic: (g.versions.order_by("-number").first().playtest or {}).get("failures")
        for g in games
        if not (g.current_version_id and g.is_public)
    }
    assert not failed, failed
    # rated by demo players, once (the second run added none)
    assert all(g.rating_count >= 5 and g.rating > 0 for g in games)
    assert Rating.objects.filter(game__in=games).count() == sum(g.rating_count for g in games)
    assert not any(u.has_usable_password() for u in User.objects.filter(username__startswith="player-"))


def test_the_demo_seeder_refuses_a_mechanic_that_does_not_exist(db, settings):
    from django.core.exceptions import ImproperlyConfigured

    from games.demo import seed_demo

    # given a demo limited to a mechanic and a name that is none
    UserFactory(username="demo")
    settings.DEMO_GAME_MECHANICS = ["snake", "snaek"]
    # when seeded: refused, naming it, before any game is made
    with pytest.raises(ImproperlyConfigured, match="snaek"):
        seed_demo()
    assert not Game.objects.exists()


# --- version notes and provenance ----------------------------------------------------------------


def test_version_notes_are_rendered_from_markdown_and_sanitised(client, user, publish):
    # given
    notes = "# Neon 1.0\n\nFirst release: **10 levels**.\n\n- web build\n\n<script>alert(1)</script>"
    game = publish(user, changelog=notes)
    # when
    html = client.get(f"/games/{game.slug}/").content.decode()
    # then
    assert '<div class="version-notes"><h1>Neon 1.0</h1>' in html
    assert "<strong>10 levels</strong>" in html and "<li>web build</li>" in html
    assert "<script>alert(1)</script>" not in html and "# Neon 1.0" not in html


@pytest.mark.parametrize(("is_staff", "linked"), [(True, True), (False, False)])
def test_a_factory_games_provenance_is_named_and_linked_for_staff(client, user, publish, is_staff, linked):
    # given a game the factory made
    batch_id, production_id = "0b7e6a0e-3f1c-4d0e-9d7e-2f8a1c0d5e11", "5c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"
    game = publish(
        user,
        origin=Game.Origin.FACTORY,
        provenance={"batch_id": batch_id, "production_id": production_id, "batch": "Space week", "index": 3},
    )
    client.force_login(UserFactory(is_staff=is_staff))
    # when
    html = client.get(f"/games/{game.slug}/").content.decode()
    # then: names, never raw ids
    assert "game 3 of the batch" in html and "Space week" in html
    assert (f'href="/factory/batches/{batch_id}/"' in html) is linked
    assert (f'href="/factory/productions/{production_id}/"' in html) is linked
    assert f"<code>{batch_id}</code>" not in html and f"<code>{production_id}</code>" not in html
