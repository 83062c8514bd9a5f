import datetime as dt
import gzip
import json
import uuid

import pytest
from django.test import override_settings
from django.utils import timezone

from analytics import services
from analytics.models import Event, SeenEvent
from games.models import Game
from tests.analytics.conftest import EVENTS, iso, make_event, make_game

pytestmark = pytest.mark.django_db


def assert_error(response, status, code, field=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}, body
    assert body["error"]["code"] == code, body
    assert body["error"]["message"]
    if field:
        assert field in body["error"]["fields"], body
    return body["error"]


# --- accepted -----------------------------------------------------------------------------------


def test_one_event_is_accepted_and_stored(post, game):
    # given
    event = make_event("level_start", params={"level": 3}, player="install-1")
    # when
    r = post(event)
    # then
    assert r.status_code == 202, r.content
    assert r.json() == {"accepted": 1, "duplicates": 0, "rejected": []}
    stored = Event.objects.get(uuid=event["id"])
    assert stored.game_id == game.pk
    assert stored.name == "level_start" and stored.level == 3 and stored.player_id == "install-1"
    assert stored.params == {"level": 3}


@pytest.mark.parametrize("wrap", [lambda events: events, lambda events: {"events": events}])
def test_a_batch_is_accepted_as_a_list_or_an_object(post, wrap):
    # given
    events = [make_event(player=f"p{i}") for i in range(100)]
    # when
    r = post(wrap(events))
    # then
    assert r.status_code == 202, r.content
    assert r.json()["accepted"] == 100
    assert Event.objects.count() == 100


def test_a_beacon_sends_text_plain_with_the_key_in_the_query_string(api, key_pair):
    # given: what navigator.sendBeacon(url, JSON.stringify(batch)) sends
    body = json.dumps([make_event("session_end", params={"duration_ms": 5000})])
    # when
    r = api.generic("POST", f"{EVENTS}?key={key_pair[0]}", body, content_type="text/plain;charset=UTF-8")
    # then
    assert r.status_code == 202, r.content
    assert r.json()["accepted"] == 1


def test_a_gzip_body_is_accepted(post):
    # given
    body = gzip.compress(json.dumps([make_event(), make_event()]).encode())
    # when
    r = post(body, HTTP_CONTENT_ENCODING="gzip")
    # then
    assert r.status_code == 202, r.content
    assert r.json()["accepted"] == 2


def test_custom_design_events_carry_free_flat_params(post):
    # when
    r = post([make_event("design:boss_defeated", params={"boss": "hydra", "hits": 12, "perfect": True})])
    # then
    assert r.json() == {"accepted": 1, "duplicates": 0, "rejected": []}
    assert Event.objects.get().params == {"boss": "hydra", "hits": 12, "perfect": True}


def test_revenue_is_stored_in_usd_micros(post):
    # when
    post(
        [
            make_event("purchase", params={"item": "coins", "amount_cents": 499, "currency": "USD"}),
            make_event(
                "ad_impression", params={"placement": "end", "ad_type": "rewarded", "revenue_micros": 1500}
            ),
        ]
    )
    # then
    amounts = dict(Event.objects.values_list("name", "amount_micros"))
    assert amounts == {"purchase": 4_990_000, "ad_impression": 1500}


# --- dedupe --------------------------------------------------------------------------------------


def test_a_uuid_sent_twice_in_a_batch_and_again_later_is_counted_once(post):
    # given
    event = make_event("score", params={"value": 10})
    other = make_event()
    # when
    first = post([event, other, event])
    again = post([event])
    # then
    assert first.json() == {"accepted": 2, "duplicates": 1, "rejected": []}
    assert again.json() == {"accepted": 0, "duplicates": 1, "rejected": []}
    assert Event.objects.filter(uuid=event["id"]).count() == 1
    assert SeenEvent.objects.count() == 2


def test_a_duplicate_with_a_changed_timestamp_is_still_a_duplicate(post):
    # given
    event = make_event()
    post([event])
    # when
    r = post([{**event, "ts": iso(timezone.now() - dt.timedelta(hours=2))}])
    # then
    assert r.json()["duplicates"] == 1
    assert Event.objects.count() == 1


def test_an_invalid_first_copy_does_not_hide_a_valid_second(post):
    # given
    good = make_event("level_start", params={"level": 1})
    bad = {**good, "params": {"level": "one"}}
    # when
    r = post([bad, good])
    # then
    body = r.json()
    assert body["accepted"] == 1 and body["duplicates"] == 0
    assert [x["index"] for x in body["rejected"]] == [0]


# --- per-event verdicts --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"ts": iso(timezone.now() + dt.timedelta(hours=24))}, "timestamp_in_future", "ts"),
        ({"ts": iso(timezone.now() - dt.timedelta(days=8))}, "timestamp_too_old", "ts"),
        ({"ts": "3000-01-01T00:00:00Z"}, "timestamp_in_future", "ts"),
        ({"ts": "yesterday"}, "invalid_timestamp", "ts"),
        ({"ts": "2026-01-01T10:00:00"}, "invalid_timestamp", "ts"),
        ({"ts": 1e30}, "timestamp_out_of_range", "ts"),
        ({"ts": True}, "invalid_timestamp", "ts"),
        ({"ts": "0001-01-01T00:00:00+14:00"}, "timestamp_too_old", "ts"),
        ({"ts": "9999-12-31T23:59:59-14:00"}, "timestamp_in_future", "ts"),
        ({"id": "not-a-uuid"}, "invalid_id", "id"),
        ({"id": None}, "invalid_id", "id"),
        ({"name": "level_begin"}, "unknown_event", "name"),
        ({"name": ""}, "missing_field", "name"),
        ({"player_id": ""}, "missing_field", "player_id"),
        ({"player_id": 42}, "invalid_field", "player_id"),
        ({"player_id": "x" * 65}, "invalid_field", "player_id"),
        ({"player_id": "nul\u0000byte"}, "invalid_field", "player_id"),
        ({"session_id": "\ud800"}, "invalid_field", "session_id"),
        ({"platform": "playstation"}, "invalid_field", "platform"),
        ({"params": [1, 2]}, "invalid_param", "params"),
        ({"name": "level_start", "params": {"level": "3"}}, "invalid_param", "params.level"),
        ({"name": "level_start", "params": {"level": 2.5}}, "invalid_param", "params.level"),
        ({"name": "level_start", "params": {"level": 0}}, "invalid_param", "params.level"),
        ({"name": "level_start", "params": {}}, "missing_param", "params.level"),
        ({"name": "level_end", "params": {"level": 1, "success": "yes"}}, "invalid_param", "params.success"),
        ({"name": "level_start", "params": {"level": 1, "lives": 3}}, "unknown_param", "params.lives"),
        ({"name": "score", "params": {"value": 1e300}}, "invalid_param", "params.value"),
        (
            {"name": "purchase", "params": {"item": "x", "amount_cents": 100, "currency": "EUR"}},
            "invalid_param",
            "params.currency",
        ),
        (
            {"name": "ad_impression", "params": {"placement": "x", "ad_type": "popup"}},
            "invalid_param",
            "params.ad_type",
        ),
        ({"name": "design:x", "params": {"nested": {"a": 1}}}, "invalid_param", "params.nested"),
        ({"name": "design:x", "params": {"n": float("nan")}}, "invalid_param", "params.n"),
        (
            {"name": "design:x", "params": {f"k{i}": "v" * 200 for i in range(15)}},
            "params_too_large",
            "params",
        ),
        ({"name": "design:x", "params": {f"k{i}": 1 for i in range(21)}}, "params_too_large", "params"),
        ({"name": "design:" + "x" * 80}, "unknown_event", "name"),
    ],
)
def test_a_bad_event_is_rejected_with_its_index_and_field_and_the_good_ones_kept(post, change, code, field):
    # given
    good = [make_event(), make_event()]
    bad = {**make_event(), **change}
    # when
    r = post([good[0], bad, good[1]])
    # then
    assert r.status_code == 202, r.content
    body = r.json()
    assert body["accepted"] == 2 and body["duplicates"] == 0
    assert len(body["rejected"]) == 1, body
    verdict = body["rejected"][0]
    assert verdict["index"] == 1 and verdict["code"] == code and verdict["field"] == field, verdict
    assert verdict["message"]
    assert Event.objects.count() == 2


def test_events_that_are_not_objects_are_rejected_one_by_one(post):
    # when
    r = post([make_event(), "hello", 3, None, [1]])
    # then
    body = r.json()
    assert body["accepted"] == 1
    assert [(x["index"], x["code"]) for x in body["rejected"]] == [
        (1, "not_an_object"),
        (2, "not_an_object"),
        (3, "not_an_object"),
        (4, "not_an_object"),
    ]


def test_timestamps_in_epoch_milliseconds_and_with_offsets_are_accepted(post):
    # given
    now = timezone.now()
    ms = int((now - dt.timedelta(minutes=5)).timestamp() * 1000)
    offset = (now - dt.timedelta(minutes=3)).astimezone(dt.timezone(dt.timedelta(hours=-5))).isoformat()
    # when
    r = post([make_event(ts=None) | {"ts": ms}, make_event() | {"ts": offset}])
    # then
    assert r.json()["accepted"] == 2
    stored = sorted(Event.objects.values_list("occurred_at", flat=True))
    assert abs((stored[0] - (now - dt.timedelta(minutes=5))).total_seconds()) < 0.01


# --- whole-request verdicts ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        (b"{not json", "invalid_json", "body"),
        (b"\xff\xfe\x00garbage", "invalid_json", "body"),
        (b"", "empty_body", "body"),
        (b"[]", "empty_batch", "events"),
        (b'{"events": {}}', "invalid", "events"),
        (b'"just a string"', "invalid", "body"),
        (b"[" * 100_000 + b"]" * 100_000, "invalid_json", "body"),
    ],
)
def test_a_body_that_is_not_events_is_a_400_naming_the_field(post, body, code, field):
    # when
    r = post(body)
    # then
    assert_error(r, 400, code, field)


@pytest.mark.parametrize("content_type", ["application/xml", "multipart/form-data; boundary=x", "image/png"])
def test_a_wrong_content_type_is_a_415(post, content_type):
    # when
    r = post([make_event()], content_type=content_type)
    # then
    assert_error(r, 415, "unsupported_media_type", "content_type")


def test_an_unknown_content_encoding_is_a_415(post):
    # when
    r = post([make_event()], HTTP_CONTENT_ENCODING="br")
    # then
    assert_error(r, 415, "unsupported_encoding")


def test_a_gzip_bomb_is_refused_without_inflating_it(post):
    # given: 50 MB of zeros, about 50 KB compressed
    bomb = gzip.compress(b"0" * (50 * 1024 * 1024))
    assert len(bomb) < 1024 * 1024
    # when
    r = post(bomb, HTTP_CONTENT_ENCODING="gzip")
    # then
    assert_error(r, 413, "request_too_large")


def test_a_damaged_gzip_body_is_a_400(post):
    # when
    r = post(b"\x1f\x8b\x08\x00garbage", HTTP_CONTENT_ENCODING="gzip")
    # then
    assert_error(r, 400, "invalid_gzip", "body")


def test_501_events_are_refused_whole(post):
    # when
    r = post([make_event() for _ in range(501)])
    # then
    assert_error(r, 413, "too_many_events", "events")
    assert Event.objects.count() == 0


def test_500_events_are_accepted(post):
    # when
    r = post([make_event(player=f"p{i}") for i in range(500)])
    # then
    assert r.json()["accepted"] == 500


def test_a_2_mb_body_is_a_413(post):
    # given
    body = json.dumps([make_event(params={"x": "y" * 200}, name="design:big") for _ in range(5000)]).encode()
    assert len(body) > 2 * 1024 * 1024 * 0.9
    # when
    r = post(body)
    # then
    assert_error(r, 413, "request_too_large")


def test_a_missing_key_is_a_401(post):
    assert_error(post([make_event()], key=""), 401, "missing_key", "key")


def test_an_unknown_key_is_a_401(post):
    assert_error(post([make_event()], key="gfk_" + "x" * 32), 401, "invalid_key", "key")


def test_a_revoked_key_is_a_401(post, game):
    # given
    services.ingest_key_revoke(game=game)
    # when / then
    assert_error(post([make_event()]), 401, "key_revoked", "key")


def test_a_deleted_game_takes_no_events(post, game):
    # given
    Game.objects.filter(pk=game.pk).update(status=Game.Status.DELETED)
    # when / then
    assert_error(post([make_event()]), 403, "game_unavailable")


def test_only_post_is_allowed(api, key_pair):
    r = api.get(EVENTS, HTTP_X_INGEST_KEY=key_pair[0])
    assert_error(r, 405, "method_not_allowed")


# --- signed mode, imports, origins, throttling ---------------------------------------------------------


def test_a_signed_request_is_accepted(post):
    # when
    r = post([make_event()], sign=True)
    # then
    assert r.status_code == 202 and r.json()["accepted"] == 1


def test_a_bad_signature_is_a_401_and_stores_nothing(post):
    # when
    r = post([make_event()], HTTP_X_INGEST_SIGNATURE="bm90IGEgc2lnbmF0dXJl")
    # then
    assert_error(r, 401, "bad_signature", "signature")
    assert Event.objects.count() == 0


def test_a_signature_made_with_another_games_secret_is_refused(post, user):
    # given
    _, other_secret = services.ingest_key_issue(game=make_game(user))
    # when
    r = post([make_event()], sign=True, secret=other_secret)
    # then
    assert_error(r, 401, "bad_signature")


def test_a_signed_gzip_request_is_signed_over_the_compressed_bytes(post):
    # when
    r = post(gzip.compress(json.dumps([make_event()]).encode()), sign=True, HTTP_CONTENT_ENCODING="gzip")
    # then
    assert r.status_code == 202 and r.json()["accepted"] == 1


def test_an_import_takes_older_events_but_only_signed(post):
    # given
    old = make_event(ts=timezone.now() - dt.timedelta(days=20))
    # when
    unsigned = post([old], HTTP_X_INGEST_IMPORT="1")
    signed = post([old], sign=True, HTTP_X_INGEST_IMPORT="1")
    again = post([old], sign=True, HTTP_X_INGEST_IMPORT="1")
    # then
    assert_error(unsigned, 401, "signature_required", "signature")
    assert signed.json() == {"accepted": 1, "duplicates": 0, "rejected": []}
    assert again.json()["duplicates"] == 1


def test_an_imported_event_is_counted_once_even_after_its_dedupe_receipt_is_pruned(post):
    # given
    old = make_event(ts=timezone.now() - dt.timedelta(days=20))
    post([old], sign=True, HTTP_X_INGEST_IMPORT="1")
    SeenEvent.objects.all().delete()  # what the nightly prune does to receipts this old
    # when
    r = post([old], sign=True, HTTP_X_INGEST_IMPORT="1")
    # then
    assert r.json()["duplicates"] == 1
    assert Event.objects.count() == 1


def test_a_foreign_origin_may_not_use_a_public_key(post):
    # when
    r = post([make_event()], HTTP_ORIGIN="https://evil.example")
    # then
    assert_error(r, 403, "origin_not_allowed")


@override_settings(SITE_URL="https://play.gamefactory.test")
def test_the_platforms_origin_may_use_a_public_key(post):
    # when
    r = post([make_event()], HTTP_ORIGIN="https://play.gamefactory.test")
    # then
    assert r.status_code == 202


def test_too_many_requests_from_one_address_are_a_429(post, settings):
    # given
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "analytics_ingest": "2/minute"}
    # when
    answers = [post([make_event()]) for _ in range(3)]
    # then
    assert [a.status_code for a in answers] == [202, 202, 429]
    error = assert_error(answers[2], 429, "throttled")
    assert error["message"] and int(answers[2]["Retry-After"]) >= 1


@pytest.mark.parametrize(
    "body",
    [
        b"null",
        b"0",
        b"true",
        b'{"events": null}',
        b'{"events": [null]}',
        b'[{"id": {}, "name": [], "ts": {}, "player_id": [], "params": "x"}]',
        b'[{"id": "00000000-0000-0000-0000-000000000000", "name": "score", "ts": 1, "player_id": "p"}]',
        b'[{"name": "session_start", "params": {"\\u0000": 1}}]',
        json.dumps([{**make_event("design:x"), "params": {"\u0000key": "v"}}]).encode(),
        json.dumps([{**make_event("game_error"), "params": {"message": "bad \u0000 text"}}]).encode(),
        json.dumps([{**make_event(), "ts": "2026-13-45T99:99:99Z"}]).encode(),
        json.dumps([{**make_event(), "ts": -1e20}]).encode(),
        b"[NaN, Infinity]",
        b'[{"id": "' + str(uuid.uuid4()).encode() + b'", "ts": Infinity}]',
    ],
)
def test_garbage_never_gets_a_500(post, body):
    # when
    r = post(body)
    # then
    assert r.status_code in (202, 400), r.content
    if r.status_code == 202:
        assert r.json()["accepted"] == 0
