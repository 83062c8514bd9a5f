"""Rhythm: notes fall down four lanes to a generated beat; press a lane's key (or tap the lane) as
its note crosses the line. Hit enough of the song's notes to clear the level.

A level is a song: a tempo (`bpm`) and notes `[tick, lane]`, a tick being an eighth note (two
per beat). Note `n` crosses the line `lead_in_s + tick * 30 / bpm` seconds into the level. A press
within `window_ms` of a note in its lane hits it (within half of that: perfect); a note that
passes the window unhit is missed. When the song ends, a hit share of at least `pass_ratio` wins
the level, less fails it (a life).

The songs are generated from patterns (on-beat quarters, off-beat eighths, two-note chords as
difficulty climbs). Solvable when every note can be told apart: two notes in one lane are further
apart than two windows, so a perfect player hits every note (`hittable_notes`).
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from pydantic import Field, field_validator

from generation.mechanics.base import (
    OPENING_EVENTS,
    BotHints,
    EventSpec,
    MechanicDefinition,
    MechanicLevel,
    MechanicParams,
    SpriteSpec,
    Vocabulary,
    lerp,
    lerp_int,
)

LANES = 4
MAX_NOTES = 400
MAX_CHORD = 2  # notes at one tick: two hands


class RhythmParams(MechanicParams):
    window_ms: int = Field(default=150, ge=60, le=300, description="How early or late a press still hits.")
    scroll: float = Field(default=420.0, ge=200.0, le=900.0, description="Note fall speed, px/s.")
    metronome: bool = Field(default=True, description="A click on every beat.")


class RhythmLevel(MechanicLevel):
    bpm: int = Field(ge=50, le=220, description="Beats per minute; a tick is an eighth note.")
    notes: list[list[int]] = Field(min_length=4, max_length=MAX_NOTES, description="[tick, lane] in order.")
    pass_ratio: float = Field(ge=0.1, le=1.0, description="Share of the notes to hit to clear the level.")
    lead_in_s: float = Field(default=2.0, ge=1.0, le=6.0, description="Seconds before the first tick.")
    time_limit_s: int | None = Field(default=None, ge=10, le=900)

    @field_validator("notes")
    @classmethod
    def _notes(cls, notes: list[list[int]]) -> list[list[int]]:
        previous = -1
        for note in notes:
            if len(note) != 2:
                raise ValueError("each note is [tick, lane]")
            tick, lane = note
            if not 0 <= lane < LANES:
                raise ValueError(f"lanes are 0 to {LANES - 1}")
            if tick < 0 or tick < previous:
                raise ValueError("notes must be in order of their tick, from 0")
            previous = tick
        return notes

    def tick_s(self) -> float:
        return 30.0 / self.bpm

    def note_time(self, tick: int) -> float:
        return self.lead_in_s + tick * self.tick_s()

    def song_s(self) -> float:
        return self.note_time(self.notes[-1][0]) + 1.5


def hittable_notes(level: RhythmLevel, params: RhythmParams) -> int:
    """How many notes a perfect player hits: a note too close to the previous one in its lane, or in
    a chord of more than two, cannot be told apart and is counted lost."""
    window = params.window_ms / 1000
    last_in_lane: dict[int, float] = {}
    per_tick: dict[int, int] = {}
    hits = 0
    for tick, lane in level.notes:
        per_tick[tick] = per_tick.get(tick, 0) + 1
        at = level.note_time(tick)
        previous = last_in_lane.get(lane)
        if per_tick[tick] <= MAX_CHORD and (previous is None or at - previous > 2 * window):
            hits += 1
        last_in_lane[lane] = at
    return hits


def validate_level(level: RhythmLevel, params: RhythmParams) -> list[str]:
    problems = []
    if len({(t, lane) for t, lane in level.notes}) != len(level.notes):
        problems.append("notes: two notes at the same tick in the same lane")
    hittable = hittable_notes(level, params)
    if hittable < level.pass_ratio * len(level.notes):
        problems.append(
            f"notes: only {hittable} of {len(level.notes)} notes can be told apart at this tempo, "
            f"fewer than pass_ratio asks"
        )
    return problems


# --- the generator ------------------------------------------------------------------------------


def _song(rng: random.Random, d: float, bars: int) -> list[list[int]]:
    """`bars` bars of 8 ticks: quarters on the beat, eighths and chords creeping in with difficulty."""
    notes: list[list[int]] = []
    lane = rng.randrange(LANES)
    for bar in range(bars):
        for step in range(8):
            tick = bar * 8 + step
            on_beat = step % 2 == 0
            chance = lerp(0.8, 1.0, d) if on_beat else lerp(0.0, 0.55, d)
            play = rng.random() < chance
            if bar == 0 and step == 0:
                play = True
            if not play:
                continue
            # mostly neighbouring lanes: a melody, not noise
            lane = (lane + rng.choice((-1, 1, 1, 2) if d > 0.4 else (-1, 1))) % LANES
            notes.append([tick, lane])
            if on_beat and rng.random() < lerp(0.0, 0.3, d) and step % 4 == 0:
                notes.append([tick, (lane + 2) % LANES])
    notes.sort()
    return notes


def _level(rng: random.Random, d: float) -> RhythmLevel:
    bpm = lerp_int(84, 150, d)
    bars = lerp_int(6, 16, d)
    return RhythmLevel(bpm=bpm, notes=_song(rng, d, bars), pass_ratio=round(lerp(0.6, 0.85, d), 2))


def generate_levels(
    *, rng: random.Random, count: int, difficulty: Sequence[float], params: RhythmParams
) -> list[RhythmLevel]:
    """Faster, longer, denser songs (eighths, chords) and a higher bar to clear as difficulty climbs."""
    levels = []
    for index in range(count):
        d = min(difficulty[index], 0.05) if index == 0 else difficulty[index]
        level = _level(rng, d)
        for _ in range(12):  # a song whose notes blur together at this window is drawn again, slower
            if not validate_level(level, params):
                break
            d = max(0.0, d - 0.1)
            level = _level(rng, d)
        levels.append(level)
    return levels


def tune_params(words: set[str], difficulty: float) -> dict:
    params: dict = {}
    if words & {"fast", "faster", "speed", "speedy", "frantic", "insane"}:
        params["scroll"] = 560.0
    if words & {"slow", "calm", "relaxing", "kids", "easy", "zen", "chill"}:
        params["scroll"] = 320.0
        params["window_ms"] = 190
    if words & {"quiet", "silent"}:
        params["metronome"] = False
    return params


def preview(spec) -> list[tuple[str, float, float, float]]:
    items = [("pad", 0.2 + 0.2 * lane, 0.85, 0.14) for lane in range(LANES)]
    items += [
        ("note", 0.2, 0.3, 0.12),
        ("note", 0.4, 0.55, 0.12),
        ("note", 0.8, 0.15, 0.12),
        ("note", 0.6, 0.7, 0.12),
    ]
    return items


def paced_seconds(level: RhythmLevel, params: RhythmParams) -> float:
    """Level 1's pace (MechanicDefinition.paced_seconds): the song, which is judged when it ends."""
    return level.song_s()


MECHANIC = MechanicDefinition(
    slug="rhythm",
    name="Rhythm",
    description="Notes fall down four lanes to the beat: press each lane's key, or tap the lane, as its "
    "note crosses the line. Hit enough of the song to clear the level.",
    genre="rhythm",
    category="rhythm",
    keywords=(
        "rhythm",
        "beat",
        "beats",
        "music",
        "musical",
        "song",
        "songs",
        "dance",
        "drum",
        "drums",
        "guitar",
        "notes",
        "tempo",
        "groove",
        "dj",
        "melody",
        "piano",
        "karaoke",
        "disco",
    ),  # fmt: skip
    vocabulary=Vocabulary(
        verbs={"dance": 2, "drum": 2, "tap": 1, "timing": 2, "sing": 1.5, "groove": 1.5},
        foreign_words=(
            "ritmo",
            "rythme",
            "rhythmus",
            "musica",
            "música",
            "musique",
            "musik",
            "baile",
            "danse",
            "tanzen",
            "ритм",
            "музыка",
            "リズム",
            "音楽",
            "节奏",
            "音乐",
            "리듬",
        ),
        emoji=("🎵", "🎶", "🥁", "🎸", "🎹", "💃"),
    ),  # fmt: skip
    example_prompts=(
        "a rhythm game to tap on the beat",
        "drum along to a funky song",
        "a dance game with falling arrows",
    ),
    Params=RhythmParams,
    Level=RhythmLevel,
    generate_levels=generate_levels,
    validate_level=validate_level,
    paced_seconds=paced_seconds,
    bot=BotHints(
        probe=("key", "ArrowLeft"),
        probe_watch="presses",
        expected_events=(*OPENING_EVENTS, "note_hit"),
        completes_level=True,
        max_seconds=45.0,
    ),
    sprites=(
        SpriteSpec("note", "circle", "accent", 48, 48, role="collectible"),
        SpriteSpec("pad", "ring", "primary", 56, 56),
        SpriteSpec("lane", "floor", "surface", 48, 48),
    ),
    audio_cues={"beat": "jump", "hit": "pickup", "miss": "hit"},
    events=(
        EventSpec("note_hit", "A note was hit on time.", ("level", "lane", "quality", "combo")),
        EventSpec("note_missed", "A note passed the line unhit.", ("level", "lane", "misses")),
    ),
    touch_layouts=("tap",),
    tutorial=(
        "Notes fall down four lanes to the beat.",
        "As a note crosses the line, press its lane: arrow keys left, down, up, right, or tap the lane.",
        "Hit enough notes before the song ends.",
    ),
    win_text="Hit enough notes of every song.",
    lose_text="Lose all lives by missing too many notes.",
    default_lives=3,
    default_level_count=8,
    tune_params=tune_params,
    title_nouns=("Beat", "Rhythm", "Groove", "Tempo"),
    preview=preview,
    cast_defaults={"collectible": ("note",)},
)
