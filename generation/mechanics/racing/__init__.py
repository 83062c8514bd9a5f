"""Racing: a lane racer. The car speeds up a road of 3 to 5 lanes; switch lanes to get past the
traffic and pick up coins, and reach the finish line. Hitting a car costs a life.

The road is level data: `rows` of traffic, one every `gap` pixels of road, each a string with one
character per lane ('.' free, 'x' a car, 'o' a coin). Nothing is random while it is played.

The validator proves the finish reachable by a search over (row, lane): the car passes a row in a
window of `(CAR_H + TRAFFIC_H) / speed` seconds, during which it stays in one lane (and that lane
must not hold a car); between two windows it can change lanes `lane_moves` times, one every
`lane_ms`.
"""

from __future__ import annotations

import math
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

CAR_H = 64  # shared with scene.js and flame.dart: the car's and the traffic's lengths along the road
TRAFFIC_H = 64
START_GAP = 420  # road before the first row
FINISH_GAP = 200  # road after the last row
MAX_ROWS = 200
ROW_CHARS = set(".xo")


class RacingParams(MechanicParams):
    lane_ms: int = Field(default=160, ge=80, le=500, description="Milliseconds to move over by one lane.")


class RacingLevel(MechanicLevel):
    lanes: int = Field(ge=3, le=5)
    speed: float = Field(ge=150.0, le=900.0, description="Pixels of road per second.")
    gap: int = Field(ge=120, le=600, description="Pixels of road between two rows of traffic.")
    rows: list[str] = Field(min_length=3, max_length=MAX_ROWS, description="'.' free, 'x' a car, 'o' a coin.")
    time_limit_s: int | None = Field(default=None, ge=10, le=900)

    @field_validator("rows")
    @classmethod
    def _rows(cls, rows: list[str]) -> list[str]:
        for row in rows:
            if set(row) - ROW_CHARS:
                raise ValueError("rows use only the characters '.', 'x' and 'o'")
        return rows


def lane_moves(level: RacingLevel, params: RacingParams) -> int:
    """Lane changes that fit between two rows, outside the windows in which the car passes them."""
    free_s = (level.gap - CAR_H - TRAFFIC_H) / level.speed
    return max(0, math.floor(free_s * 1000 / params.lane_ms))


def race_seconds(level: RacingLevel) -> float:
    return (START_GAP + (len(level.rows) - 1) * level.gap + FINISH_GAP) / level.speed


def reachable_lanes(level: RacingLevel, params: RacingParams) -> list[set[int]]:
    """For each row, the lanes the car can pass it in, starting in the middle lane; empty: blocked."""
    moves = lane_moves(level, params)
    first_moves = max(0, math.floor((START_GAP - CAR_H) / level.speed * 1000 / params.lane_ms))
    here = {level.lanes // 2}
    out = []
    for index, row in enumerate(level.rows):
        spread = moves if index else first_moves
        here = {
            lane
            for lane in range(level.lanes)
            if row[lane] != "x" and any(abs(lane - was) <= spread for was in here)
        }
        out.append(here)
        if not here:
            break
    return out


def validate_level(level: RacingLevel, params: RacingParams) -> list[str]:
    """Every row is as wide as the road and leaves a lane free, and a path passes every row (search)."""
    for i, row in enumerate(level.rows):
        if len(row) != level.lanes:
            return [f"rows.{i}: {len(row)} lanes, the road has {level.lanes}"]
        if "x" not in row and "o" not in row:
            return [f"rows.{i}: an empty row"]
    if level.time_limit_s is not None and race_seconds(level) > level.time_limit_s:
        return [f"time_limit_s: the race takes {race_seconds(level):.1f} s"]
    reach = reachable_lanes(level, params)
    if len(reach) < len(level.rows) or not reach[-1]:
        return [f"rows.{len(reach) - 1}: no lane can be reached in time"]
    return []


# --- the generator ------------------------------------------------------------------------------------


def _row(rng: random.Random, lanes: int, cars: int, coin: float) -> str:
    cells = ["."] * lanes
    for lane in rng.sample(range(lanes), cars):
        cells[lane] = "x"
    free = [i for i, c in enumerate(cells) if c == "."]
    if free and rng.random() < coin:
        cells[rng.choice(free)] = "o"
    if "x" not in cells and "o" not in cells:
        cells[rng.randrange(lanes)] = "x"
    return "".join(cells)


def _level(rng: random.Random, d: float, params: RacingParams) -> RacingLevel:
    lanes = lerp_int(3, 5, d)
    count = lerp_int(14, 50, d)
    rows = [
        _row(rng, lanes, 1 if rng.random() > d * 0.8 else lanes - 1 - rng.randrange(2), 0.45)
        for _ in range(count)
    ]
    return RacingLevel(
        lanes=lanes,
        speed=round(lerp(260.0, 520.0, d), 1),
        gap=lerp_int(300, 220, d),
        rows=rows,
    )


def generate_levels(
    *, rng: random.Random, count: int, difficulty: Sequence[float], params: RacingParams
) -> list[RacingLevel]:
    """Wider roads, faster, longer races and denser traffic as difficulty climbs; every road searched.
    A row that cannot be reached loses a car until it can."""
    levels = []
    for index in range(count):
        level = _level(rng, difficulty[index], params)
        rows = list(level.rows)
        for _ in range(len(rows) * level.lanes):
            reach = reachable_lanes(level.model_copy(update={"rows": rows}), params)
            if len(reach) == len(rows) and reach[-1]:
                break
            blocked = len(reach) - 1
            lane = next(i for i, c in enumerate(rows[blocked]) if c == "x")
            rows[blocked] = rows[blocked][:lane] + "." + rows[blocked][lane + 1 :]
            if "x" not in rows[blocked] and "o" not in rows[blocked]:
                rows[blocked] = rows[blocked][:lane] + "o" + rows[blocked][lane + 1 :]
        levels.append(level.model_copy(update={"rows": rows}))
    return levels


def tune_params(words: set[str], difficulty: float) -> dict:
    params: dict = {}
    if words & {"nimble", "agile", "quick", "zippy", "kart"}:
        params["lane_ms"] = 110
    if words & {"truck", "bus", "heavy", "tractor", "tank"}:
        params["lane_ms"] = 240
    return params


def preview(spec) -> list[tuple[str, float, float, float]]:
    return [
        ("traffic", 0.3, 0.15, 0.16), ("coin", 0.7, 0.3, 0.1), ("traffic", 0.5, 0.45, 0.16),
        ("traffic", 0.7, 0.62, 0.16), ("car", 0.5, 0.84, 0.18),
    ]  # fmt: skip


def paced_seconds(level: RacingLevel, params: RacingParams) -> float:
    """Level 1's pace (MechanicDefinition.paced_seconds): the road to the finish at the level's speed."""
    return race_seconds(level)


MECHANIC = MechanicDefinition(
    slug="racing",
    name="Racing",
    description="Race up a busy road: switch lanes to get past the traffic, pick up coins and reach "
    "the finish line. Every hit costs a life; each level is faster, longer and busier.",
    genre="racing",
    category="arcade",
    keywords=(
        "racing",
        "race",
        "racer",
        "car",
        "cars",
        "kart",
        "highway",
        "traffic",
        "lane",
        "lanes",
        "road",
        "drive",
        "driving",
        "driver",
        "motorbike",
        "motorcycle",
        "speedway",
        "rally",
        "grand prix",
        "formula",
    ),  # fmt: skip
    vocabulary=Vocabulary(
        verbs={"drive": 3, "steer": 1.5, "overtake": 3, "speed": 1},
        foreign_words=(
            "carrera de coches",
            "coche",
            "coches",
            "carreras",
            "course de voitures",
            "voiture",
            "voitures",
            "rennspiel",
            "rennen",
            "autorennen",
            "auto",
            "corsa",
            "macchina",
            "carro",
            "wyścig",
            "yarış",
            "araba",
            "гонки",
            "гонка",
            "машина",
            "赛车",
            "レース",
        ),
        emoji=("🏎", "🚗", "🏁"),
    ),  # fmt: skip
    example_prompts=(
        "a racing game on a busy highway",
        "drive a taxi through the traffic",
        "a kart race on a rainbow road",
    ),
    Params=RacingParams,
    Level=RacingLevel,
    generate_levels=generate_levels,
    validate_level=validate_level,
    paced_seconds=paced_seconds,
    bot=BotHints(
        probe=("key", "ArrowLeft"),
        probe_watch="lane",
        expected_events=(*OPENING_EVENTS, "row_passed", "level_end"),
        completes_level=True,
        max_seconds=45.0,
    ),
    sprites=(
        SpriteSpec("car", "capsule", "primary", 44, 64, role="hero"),
        SpriteSpec("traffic", "capsule", "danger", 44, 64, role="hazard"),
        SpriteSpec("coin", "coin", "accent", 32, 32, role="collectible"),
        SpriteSpec("flag", "flag", "text", 48, 48, role="goal"),
    ),
    audio_cues={"coin": "pickup", "crash": "hit", "lane": "jump"},
    events=(
        EventSpec("row_passed", "The car got past a row of traffic.", ("level", "row")),
        EventSpec("coin_collected", "The car picked up a coin.", ("level", "coins")),
        EventSpec("car_crashed", "The car hit the traffic.", ("level", "lives")),
    ),
    touch_layouts=("tap", "buttons"),
    tutorial=(
        "Tap the left or right side, or press the arrow keys, to switch lanes.",
        "Get past the traffic and pick up coins on the way to the finish line.",
        "Every crash costs a life.",
    ),
    win_text="Reach the finish line of every race.",
    lose_text="Lose all lives in crashes.",
    default_lives=3,
    default_level_count=10,
    tune_params=tune_params,
    title_nouns=("Racer", "Rush", "Highway", "Rally"),
    preview=preview,
    cast_defaults={"hero": ("car",), "hazard": ("truck",), "collectible": ("coin",), "goal": ("flag",)},
)
