"""Fixtures of the moderation tests: games published from one prebuilt bundle, people, helpers."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from tests.factories import UserFactory
from tests.games.conftest import _media, assert_error, built_bundle, publish, spec  # noqa: F401 (fixtures)


@pytest.fixture
def creator(db):
    return UserFactory(username="maker")


@pytest.fixture
def game(publish, creator):  # noqa: F811 (the imported fixture)
    return publish(creator, title="Neon Snake")


@pytest.fixture
def moderator(db):
    return UserFactory(username="mod", role=User.Role.MODERATOR, is_staff=True)


@pytest.fixture
def api_for():
    def make(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        client.user = user
        return client

    return make


@pytest.fixture
def reporters(db):
    return [UserFactory() for _ in range(3)]
