"""Fixtures of the marketplace tests: sellers with games, buyers with wallet credit, listings."""

from __future__ import annotations

import itertools

import pytest

from games.models import Game
from marketplace import services
from tests.factories import UserFactory, game_publish_played

_slugs = itertools.count(1)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_game(creator, **kwargs) -> Game:
    n = next(_slugs)
    options = {
        "title": f"Game {n}",
        "slug": f"game-{n}-{creator.username}",
        "category": Game.Category.ARCADE,
        "spec": {},
        "origin": Game.Origin.STUDIO,
    }
    options.update(kwargs)
    return Game.objects.create(creator=creator, **options)


@pytest.fixture
def seller(db):
    return UserFactory(username="seller")


@pytest.fixture
def buyer(db):
    return UserFactory(username="buyer")


@pytest.fixture
def game(seller):
    return make_game(seller, title="Neon Snake")


@pytest.fixture
def listing(seller, game):
    return services.listing_create(user=seller, game=game, price_cents=299)


@pytest.fixture
def fund():
    """Give a user wallet credit: fund(user, cents)."""

    def give(user, cents=2000):
        return services.credit_grant(user=user, amount_cents=cents, reason="test credit")

    return give


def assert_error(response, status, field=None, code=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}, body
    assert body["error"]["message"]
    if field:
        assert field in body["error"]["fields"], body
    if code:
        assert body["error"]["code"] == code, body
    return body["error"]


@pytest.fixture(scope="session")
def built_bundle(tmp_path_factory):
    """A real generated bundle, built once per session (publishing it then needs no build)."""
    from games.bundles import phaser_url
    from generation.bundle import bundle_build
    from generation.designer import spec_from_prompt

    spec = spec_from_prompt(prompt="a snake in a neon city", seed=3, mechanic="snake")
    out = tmp_path_factory.mktemp("mkt-bundle") / "snake"
    bundle_build(spec=spec, out_dir=out, phaser_src=phaser_url())
    return spec, out


@pytest.fixture
def playable_game(seller, built_bundle, settings, tmp_path):
    """A published game with a playable version, by `seller`."""

    settings.MEDIA_ROOT = tmp_path / "media"
    spec, out = built_bundle
    return game_publish_played(
        creator=seller,
        spec=spec,
        origin=Game.Origin.STUDIO,
        provenance={"test": "marketplace"},
        bundle_dir=out,
    ).game
