import datetime as dt
import json

import pytest
from django.utils import timezone

from analytics import keys, selectors, services, taxonomy
from analytics.models import IngestKey
from analytics.selectors import ingest_key_public
from gamefactory.errors import ApplicationError
from tests.analytics.conftest import make_event, make_game

pytestmark = pytest.mark.django_db


def test_issuing_twice_returns_the_same_pair(game):
    # when
    first = services.ingest_key_issue(game=game)
    second = services.ingest_key_issue(game=game)
    # then
    assert first == second
    assert first[0].startswith("gfk_") and first[1].startswith("gfs_")
    assert IngestKey.objects.filter(game=game).count() == 1
    assert ingest_key_public(game=game) == first[0]


def test_neither_half_of_a_key_is_stored(game):
    # when
    public, secret = services.ingest_key_issue(game=game)
    # then
    key = IngestKey.objects.get(game=game)
    stored = " ".join(str(v) for v in IngestKey.objects.filter(pk=key.pk).values().get().values())
    assert public not in stored and secret not in stored
    assert key.public_hash == keys.public_hash(public)


def test_keys_depend_on_the_server_key(game, settings):
    # given
    public, secret = services.ingest_key_issue(game=game)
    # when
    settings.ANALYTICS_KEY_SECRET = "another-server-key"
    # then
    assert services.ingest_key_issue(game=game) != (public, secret)


def test_each_game_gets_its_own_pair(game, user):
    assert services.ingest_key_issue(game=game) != services.ingest_key_issue(game=make_game(user))


def test_a_rotated_key_keeps_working_during_its_grace_then_stops(game, post):
    # given
    old_public, _ = services.ingest_key_issue(game=game)
    # when
    new_public, new_secret = services.ingest_key_rotate(game=game)
    # then
    assert new_public != old_public
    assert services.ingest_key_issue(game=game) == (new_public, new_secret)
    assert post([make_event()], key=old_public).status_code == 202
    assert post([make_event()], key=new_public).status_code == 202
    # when the grace has passed
    IngestKey.objects.filter(expires_at__isnull=False).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    selectors.ingest_key_cache_clear()  # what KEY_CACHE_SECONDS later looks like
    # then
    r = post([make_event()], key=old_public)
    assert r.status_code == 401 and r.json()["error"]["code"] == "key_expired"
    assert post([make_event()], key=new_public).status_code == 202


def test_rotating_signs_with_the_new_secret(game, post):
    # given
    _, old_secret = services.ingest_key_issue(game=game)
    new_public, new_secret = services.ingest_key_rotate(game=game, grace=dt.timedelta(0))
    # when
    with_new = post([make_event()], key=new_public, sign=True, secret=new_secret)
    with_old = post([make_event()], key=new_public, sign=True, secret=old_secret)
    # then
    assert with_new.status_code == 202
    assert with_old.status_code == 401


def test_revoking_one_key_leaves_a_new_issue_possible(game):
    # given
    public, _ = services.ingest_key_issue(game=game)
    key = IngestKey.objects.get(game=game)
    # when
    assert services.ingest_key_revoke(key=key) == 1
    fresh, _ = services.ingest_key_issue(game=game)
    # then
    assert fresh != public
    assert IngestKey.objects.get(pk=key.pk).status == "revoked"


def test_a_revoked_key_stops_at_once_even_after_it_was_used(game, post):
    # given
    assert post([make_event()]).status_code == 202
    # when
    services.ingest_key_revoke(game=game)
    # then
    assert post([make_event()]).status_code == 401


def test_revoke_needs_one_target(game):
    with pytest.raises(ApplicationError):
        services.ingest_key_revoke()


def test_the_taxonomy_exports_as_json_with_every_standard_event():
    # when
    exported = json.loads(json.dumps(taxonomy.taxonomy_as_dict()))
    # then
    names = {e["name"] for e in exported["events"]}
    assert names == {
        "session_start",
        "session_end",
        "level_start",
        "level_end",
        "score",
        "ad_impression",
        "purchase",
        "refund",
        "tutorial_begin",
        "tutorial_complete",
        "game_error",
    }
    level_end = next(e for e in exported["events"] if e["name"] == "level_end")
    assert {"name": "success", "type": "bool", "required": True} in [
        {k: p[k] for k in ("name", "type", "required")} for p in level_end["params"]
    ]
    assert exported["custom_event_prefix"] == "design:"
