"""Who may play a game, and the granted bundle URLs that carry that right into the sandbox
(games/access.py): drafts for their creator, held games for creator and staff, games that need
an entitlement for those entitled to them."""

import pytest
from django.core import signing
from django.core.cache import cache

from games import access, services
from games.models import Game
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def open_url(game, path="index.html"):
    version = game.current_version
    return f"/play/{version.pk}/{version.bundle_hash}/{path}"


@pytest.fixture
def buyers():
    """An entitlement source standing in for the marketplace: user ids entitled per game id."""
    entitled: dict = {}

    def check(game, user):
        return user.pk in entitled.get(game.pk, set())

    access.entitlement_register(check)
    yield entitled
    access._ENTITLEMENT_CHECKS.remove(check)


def test_an_open_game_plays_by_its_open_address_for_everyone(client, user, publish):
    # given
    game = publish(user)
    # when
    url = access.play_url_for(game=game, version=game.current_version, user=None, absolute=False)
    # then
    assert url == open_url(game)
    assert client.get(url).status_code == 200


def test_a_private_draft_plays_only_through_its_creators_grant(client, user, publish):
    # given: the studio shows drafts to their creator; the frame's requests carry no session
    game = publish(user, is_public=False)
    stranger = UserFactory()
    # when
    url = access.play_url_for(game=game, version=game.current_version, user=user, absolute=False)
    # then
    assert client.get(open_url(game)).status_code == 404
    assert "/~" in url and client.get(url).status_code == 200
    assert client.get(url.replace("index.html", "spec.json")).status_code == 200  # relative files too
    assert access.play_url_for(game=game, version=game.current_version, user=stranger) is None
    assert access.play_url_for(game=game, version=game.current_version, user=None) is None


def test_a_game_held_by_moderation_plays_for_its_creator_and_staff_only(client, user, staff, publish):
    # given
    game = publish(user)
    Game.objects.filter(pk=game.pk).update(status=Game.Status.MODERATED)
    game.refresh_from_db()
    # then
    assert client.get(open_url(game)).status_code == 404
    for who in (user, staff):
        url = access.play_url_for(game=game, version=game.current_version, user=who, absolute=False)
        assert client.get(url).status_code == 200, who
    assert access.play_url_for(game=game, version=game.current_version, user=UserFactory()) is None


def test_a_restricted_game_plays_for_the_entitled_and_the_door_closes_when_they_lose_it(
    client, user, publish, buyers, settings
):
    # given: a game that needs an entitlement, and a buyer
    game = publish(user)
    services.game_play_restriction_set(game=game, restricted=True)
    buyer, other = UserFactory(), UserFactory()
    buyers[game.pk] = {buyer.pk}
    # then: not open any more; the buyer plays, the others are told why
    assert client.get(open_url(game)).status_code == 404
    url = access.play_url_for(game=game, version=game.current_version, user=buyer, absolute=False)
    assert client.get(url).status_code == 200
    denied = access.game_play_access(game=game, user=other)
    assert not denied.allowed and denied.code == "entitlement_required"
    assert access.game_play_access(game=game, user=None).reason.startswith("Sign in")
    assert access.game_play_access(game=game, user=user).allowed  # the creator always plays
    # when: the entitlement is gone (a refund) and the re-check time has passed
    buyers[game.pk] = set()
    cache.clear()
    # then: the same grant stops working
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-3] + "abc",  # a forged signature
        lambda token: signing.dumps({"v": "x", "u": ""}, salt="another-salt", compress=False),
        lambda token: "not-a-grant-at-all-but-long-enough",
    ],
    ids=["forged", "wrong-salt", "garbage"],
)
def test_a_tampered_grant_is_refused(client, user, publish, tamper):
    # given
    game = publish(user, is_public=False)
    version = game.current_version
    token = access.bundle_grant_issue(version=version, user=user)
    # when
    r = client.get(f"/play/{version.pk}/{version.bundle_hash}/~{tamper(token)}/index.html")
    # then
    assert r.status_code == 404


def test_a_grant_is_for_one_version_and_expires(client, user, publish, settings):
    # given
    first = publish(user, is_public=False)
    second = publish(user, is_public=False)
    token = access.bundle_grant_issue(version=first.current_version, user=user)
    version = second.current_version
    # then: another version's grant does not open this one
    assert client.get(f"/play/{version.pk}/{version.bundle_hash}/~{token}/index.html").status_code == 404
    # and an expired grant opens nothing
    settings.BUNDLE_GRANT_SECONDS = -1
    v1 = first.current_version
    assert client.get(f"/play/{v1.pk}/{v1.bundle_hash}/~{token}/index.html").status_code == 404


def test_granted_files_are_cached_privately_and_briefly(client, user, publish, settings):
    # given
    game = publish(user, is_public=False)
    url = access.play_url_for(game=game, version=game.current_version, user=user, absolute=False)
    # when
    r = client.get(url)
    # then
    assert r["Cache-Control"] == f"private, max-age={settings.BUNDLE_GRANT_RECHECK_SECONDS}"
    assert "sandbox allow-scripts" in r["Content-Security-Policy"]


def test_the_api_gives_each_user_the_address_they_may_use(auth_api, api, user, publish):
    # given: a draft of the signed-in user
    game = publish(user, is_public=False)
    # when
    mine = auth_api.get(f"/api/v1/games/{game.pk}").json()
    # then
    assert "/~" in mine["current_version"]["play_url"]
    assert api.get(f"/api/v1/games/{game.pk}").status_code == 404


def test_the_game_page_says_why_a_restricted_game_does_not_play(client, user, publish, buyers):
    # given
    game = publish(user)
    services.game_play_restriction_set(game=game, restricted=True)
    # when
    page = client.get(f"/games/{game.slug}/").content.decode()
    # then
    assert "<iframe" not in page and "Sign in and get this game to play it." in page
