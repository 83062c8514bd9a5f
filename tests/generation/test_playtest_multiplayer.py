"""Multiplayer modes: the playtest's relay keeps the wire contract, and each mode's bot pair plays a
round to the host's outcome in real Chromium (two pages of one browser, no server)."""

import pytest

from generation.designer import spec_from_prompt
from generation.mechanics import mechanic_get
from generation.mechanics.base import MultiplayerMode
from generation.playtest import chromium_path
from generation.playtest_multiplayer import Relay, mechanic_bot_pair
from generation.selectors import multiplayer_mode

MODES = ["memory", "mathquiz", "snake", "runner"]
DUEL = MultiplayerMode("duel", turn_based=True)
RACE = MultiplayerMode("race", max_players=3)


def _frames(deliveries):
    return [frame for _seat, frame in deliveries]


def _start(relay: Relay) -> None:
    for seat in range(len(relay.seats)):
        relay.receive(seat, {"type": "ready", "ready": True})


def test_every_frame_has_a_strictly_increasing_seq_and_a_ts():
    relay = Relay(RACE, ["a", "b", "c"])
    seen = []
    for seat in range(3):
        seen += _frames(relay.connect(seat))
        seen += _frames(relay.receive(seat, {"type": "ready", "ready": True}))
    seen += _frames(relay.receive(1, {"type": "game_move", "data": {"kind": "pos", "x": 3}}))
    seqs = sorted({f["seq"] for f in seen})
    assert seqs == list(range(1, len(seqs) + 1))
    assert all(isinstance(f["ts"], int) and f["ts"] > 0 for f in seen)


def test_everyone_ready_starts_a_round_and_a_move_reaches_everyone_with_its_seat():
    relay = Relay(RACE, ["a", "b"])
    first = _frames(relay.receive(0, {"type": "ready", "ready": True}))
    assert first[0]["round"] == 0 and [p["ready"] for p in first[0]["players"]] == [True, False]
    states = relay.receive(1, {"type": "ready", "ready": True})
    assert {seat: f["you"]["seat"] for seat, f in states} == {0: 0, 1: 1}
    assert all(f["round"] == 1 and not f["round_over"] for f in _frames(states))
    out = relay.receive(1, {"type": "game_move", "data": {"kind": "pos", "x": 3}})
    assert sorted(seat for seat, _ in out) == [0, 1]
    assert all(f["type"] == "game_update" and f["from_seat"] == 1 for f in _frames(out))


def test_a_turn_based_mode_refuses_a_move_out_of_turn_and_passes_the_turn():
    relay = Relay(DUEL, ["a", "b"])
    _start(relay)
    assert relay.turn_seat == 0
    refused = relay.receive(1, {"type": "game_move", "data": {"kind": "flip", "i": 0}})
    assert [(seat, f["type"], f["code"]) for seat, f in refused] == [(1, "error", "not_your_turn")]
    relay.receive(0, {"type": "game_move", "data": {"kind": "flip", "i": 0, "keep_turn": True}})
    assert relay.turn_seat == 0
    passed = relay.receive(0, {"type": "game_move", "data": {"kind": "flip", "i": 1}})
    assert relay.turn_seat == 1
    assert [f["turn_seat"] for f in _frames(passed) if f["type"] == "session_state"] == [1, 1]


def test_only_the_host_decides_the_outcome_and_a_rematch_starts_the_next_round():
    relay = Relay(RACE, ["a", "b"])
    _start(relay)
    refused = relay.receive(1, {"type": "game_move", "data": {"kind": "outcome", "winner_seat": 1}})
    assert _frames(refused)[0]["code"] == "not_authoritative" and not relay.round_over
    over = relay.receive(
        0, {"type": "game_move", "data": {"kind": "outcome", "winner_seat": 1, "scores": {"1": 3}}}
    )
    assert all(f["round_over"] and f["result"]["winner_seat"] == 1 for f in _frames(over))
    late = relay.receive(0, {"type": "game_move", "data": {"kind": "outcome", "winner_seat": 0}})
    assert _frames(late)[0]["code"] == "no_round" and relay.result["winner_seat"] == 1
    _start(relay)
    assert relay.round == 2 and not relay.round_over and relay.result is None


@pytest.mark.parametrize(
    ("message", "code", "field"),
    [
        ({"type": "game_move", "data": "x"}, "invalid_move", "data"),
        ({"type": "shout"}, "unknown_type", "type"),
        ({"kind": "no type"}, "invalid_message", "type"),
        ({"type": "game_move", "data": {"kind": "pos", "pad": "x" * 5000}}, "frame_too_large", "data"),
    ],
)
def test_bad_messages_get_an_error_frame_naming_the_field(message, code, field):
    relay = Relay(RACE, ["a", "b"])
    _start(relay)
    [(seat, frame)] = relay.receive(1, message)
    assert seat == 1 and frame["type"] == "error" and frame["code"] == code and frame["field"] == field


@pytest.mark.parametrize("slug", MODES)
def test_each_mode_is_declared_with_a_bot_pair_and_the_designer_turns_it_on(slug):
    spec = spec_from_prompt(prompt=f"a {slug} game to play with friends", mechanic=slug)
    assert spec.multiplayer is True
    mode = multiplayer_mode(spec.model_dump(mode="json"))
    assert mode is mechanic_get(slug).multiplayer_modes[0] and mode.min_players >= 2
    assert mechanic_bot_pair(slug)


@pytest.mark.skipif(not chromium_path(), reason="Chromium is not installed")
@pytest.mark.parametrize("slug", MODES)
def test_the_bot_pair_plays_the_mode_to_the_hosts_outcome(slug, tmp_path):
    from generation.bundle import bundle_build
    from generation.playtest_multiplayer import playtest_multiplayer

    # given a multiplayer game of the mechanic, bundled
    spec = spec_from_prompt(prompt=f"a {slug} game to play with friends", mechanic=slug)
    bundle = bundle_build(spec=spec, out_dir=tmp_path / "bundle")
    # when two bots play it through the relay (memory also plays a rematch)
    rounds = 2 if slug == "memory" else 1
    report = playtest_multiplayer(bundle_dir=bundle.path, seconds=60, rounds=rounds)
    # then the round(s) end with the host's outcome, which both games show, with no error
    assert report.passed, (report.failures, report.console_errors, report.relay_errors, report.notes)
    assert report.rounds_started == rounds and report.moves > 0
    assert all(f["result"] == report.outcome for f in report.finals)
    assert report.relay_errors == []
