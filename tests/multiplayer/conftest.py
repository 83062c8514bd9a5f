"""Fixtures of the multiplayer tests: games whose mechanic declares a multiplayer mode.

No mechanic declares modes in this branch (the game side adds them), so the tests give snake a
real-time "battle" mode and memory a turn-based "duel" in the registry, for the test only.
"""

from __future__ import annotations

import itertools

import pytest

from games.models import Game
from generation.mechanics import mechanic_registry
from tests.factories import UserFactory

_n = itertools.count(1)

# The modes the mechanics declare (generation/mechanics/<slug>/__init__.py), which the tests play.
BATTLE = mechanic_registry()["snake"].multiplayer_modes[0]
DUEL = mechanic_registry()["memory"].multiplayer_modes[0]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_game(creator, *, mechanic="snake", multiplayer=True, **fields) -> Game:
    n = next(_n)
    options = {
        "title": f"Together {n}",
        "slug": f"together-{n}-{creator.username}",
        "category": Game.Category.ARCADE,
        "spec": {"mechanic": mechanic, "multiplayer": multiplayer},
        "mechanic": mechanic,
        "origin": Game.Origin.STUDIO,
    }
    options.update(fields)
    return Game.objects.create(creator=creator, **options)


@pytest.fixture
def creator(db):
    return UserFactory()


@pytest.fixture
def battle_game(creator):
    return make_game(creator)


@pytest.fixture
def duel_game(creator):
    return make_game(creator, mechanic="memory")


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    """A new channel layer per test: each async test has its own event loop, and a layer's receive lock
    left held by the previous test's loop would refuse this one's."""
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()
