"""Rhythm: the song schema, the notes-apart check, the generator, the designer."""

import random

import pytest
from pydantic import ValidationError

from generation.designer import spec_from_prompt
from generation.mechanics.rhythm import (
    LANES,
    RhythmLevel,
    RhythmParams,
    generate_levels,
    hittable_notes,
    validate_level,
)
from tests.generation.mechanic_checks import (
    assert_bot_completes_a_level,
    assert_copes_with_params,
    assert_designer_picks,
    assert_deterministic_per_seed,
    assert_spec_refused_at_level,
)
from tests.generation.specs import spec_data

PARAMS = RhythmParams()


def _level(**fields) -> RhythmLevel:
    base = {"bpm": 100, "notes": [[0, 0], [2, 1], [4, 2], [6, 3]], "pass_ratio": 0.75}
    return RhythmLevel(**{**base, **fields})


def test_notes_cross_the_line_on_their_ticks():
    level = _level(bpm=120, lead_in_s=2.0)
    assert level.tick_s() == 0.25  # an eighth note at 120 bpm
    assert level.note_time(4) == 3.0 and level.song_s() == 2.0 + 6 * 0.25 + 1.5


@pytest.mark.parametrize(
    "fields",
    [{"notes": [[0, 0], [2, 1], [1, 2], [6, 3]]},  # out of order
     {"notes": [[0, 0], [2, LANES], [4, 2], [6, 3]]},  # no such lane
     {"notes": [[0, 0], [2], [4, 2], [6, 3]]},
     {"notes": [[0, 0]]},  # too short a song
     {"bpm": 20}, {"pass_ratio": 1.5}],
)  # fmt: skip
def test_level_schema_refuses_malformed_songs(fields):
    with pytest.raises(ValidationError):
        _level(**fields)


def test_notes_in_one_lane_closer_than_two_windows_cannot_all_be_hit():
    # given eighths in one lane at 200 bpm (0.15 s apart) and a 150 ms window: they blur together
    crowded = _level(bpm=200, notes=[[t, 0] for t in range(8)], pass_ratio=0.9)
    assert hittable_notes(crowded, PARAMS) == 1
    problems = validate_level(crowded, PARAMS)
    assert problems and problems[0].startswith("notes:") and "told apart" in problems[0]
    # the same notes spread over the lanes are fine, and so is a narrower window
    assert (
        validate_level(crowded.model_copy(update={"notes": [[t, t % LANES] for t in range(8)]}), PARAMS) == []
    )
    assert hittable_notes(crowded, RhythmParams(window_ms=60)) == 8


def test_a_chord_of_three_is_more_than_two_hands_and_a_doubled_note_is_refused():
    chord = _level(notes=[[0, 0], [0, 1], [0, 2], [2, 3]], pass_ratio=1.0)
    assert hittable_notes(chord, PARAMS) == 3 and validate_level(chord, PARAMS)
    doubled = _level(notes=[[0, 0], [0, 0], [2, 1], [4, 2]], pass_ratio=0.5)
    assert "same tick in the same lane" in validate_level(doubled, PARAMS)[0]


def test_the_spec_refuses_an_unplayable_song_at_its_path():
    data = spec_data("rhythm")
    data["levels"][2].update(bpm=200, notes=[[t, 0] for t in range(8)], pass_ratio=0.9)
    assert_spec_refused_at_level(data, 2)


def test_generator_is_deterministic_per_seed():
    assert_deterministic_per_seed(generate_levels, PARAMS, seed=4, curve=[0.1, 0.5, 0.9])


def test_harder_songs_are_faster_longer_denser_and_ask_more():
    easy = generate_levels(rng=random.Random(1), count=3, difficulty=[0.0] * 3, params=PARAMS)
    hard = generate_levels(rng=random.Random(1), count=3, difficulty=[1.0] * 3, params=PARAMS)[1:]
    assert min(lv.bpm for lv in hard) > max(lv.bpm for lv in easy)
    assert min(len(lv.notes) for lv in hard) > max(len(lv.notes) for lv in easy)
    assert min(lv.pass_ratio for lv in hard) > max(lv.pass_ratio for lv in easy)
    # the easy songs stay on the beat: even ticks only, one note at a time
    for level in easy:
        assert all(t % 2 == 0 for t, _ in level.notes)
        assert len({t for t, _ in level.notes}) == len(level.notes)


@pytest.mark.parametrize("extreme", [dict(window_ms=300, scroll=200.0), dict(window_ms=60, scroll=900.0)])
def test_the_generator_copes_with_the_extreme_parameters(extreme):
    assert_copes_with_params(generate_levels, validate_level, RhythmParams(**extreme))


def test_the_bot_hint_asks_for_a_completed_level():
    assert_bot_completes_a_level("rhythm")


@pytest.mark.parametrize(
    "prompt",
    ["a rhythm game to tap on the beat", "drum along to a funky song", "a dance game with falling arrows",
     "un juego de ritmo con gatos", "🎵🎶", "リズムゲーム"],
)  # fmt: skip
def test_designer_maps_music_prompts_to_rhythm(prompt):
    assert_designer_picks(prompt, "rhythm")


def test_designer_tunes_rhythm_from_the_prompt():
    calm = spec_from_prompt(prompt="a calm rhythm game for kids").params
    assert calm.window_ms > PARAMS.window_ms and calm.scroll < PARAMS.scroll
    assert spec_from_prompt(prompt="a quiet rhythm game").params.metronome is False
