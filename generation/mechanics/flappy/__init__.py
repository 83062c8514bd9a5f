"""Flappy: tap to flap; fly through the gaps between pipes; the ground and the pipes cost a life.

The bird moves right at a constant speed, gravity pulls it down and each flap throws it up at
`flap_velocity`. The validator decides whether a level can be flown by a reachability search
over heights: the set of heights the bird can be at is an interval, stretched between pipes
by the fastest climb and the fastest fall possible in the time available, and cut down inside
each pipe to the band where a flapping bird fits. An empty interval means no player could get
through (`level_reach`).

Geometry (shared with scene.js): y grows downwards from the top of the sky (0) to the ground
(WORLD_H); pipe x is the pipe's left edge, the bird's x its middle; the bird starts at x = 0.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import Field, model_validator

from generation.mechanics.base import (
    OPENING_EVENTS,
    BotHints,
    EventSpec,
    MechanicDefinition,
    MechanicLevel,
    MechanicParams,
    SpriteSpec,
    Vocabulary,
    first_valid_level,
    lerp,
    lerp_int,
)

WORLD_H = 800
BIRD_R = 16  # the bird's hit circle
FIRST_PIPE = 560  # the first pipe's left edge: time to get going
MARGIN = 6
TERMINAL_VELOCITY = 700.0  # px/s: the fall never gets faster (scene.js)
FLAP_INTERVAL_S = 0.2  # the validator assumes a player flaps at most five times a second
MAX_PIPES = 60


class FlappyParams(MechanicParams):
    gravity: float = Field(default=1500.0, ge=900.0, le=2600.0, description="Pixels per second squared.")
    flap_velocity: float = Field(
        default=480.0, ge=300.0, le=800.0, description="Upward speed after a flap, px/s."
    )
    speed_scale: float = Field(default=1.0, ge=0.7, le=1.5, description="Multiplies every level's speed.")


Gap = tuple[int, int]  # middle of the gap (y), height of the gap


class FlappyLevel(MechanicLevel):
    speed: float = Field(ge=100.0, le=400.0, description="Forward speed, pixels per second.")
    spacing: int = Field(ge=180, le=700, description="Distance between two pipes' left edges.")
    pipe_width: int = Field(ge=40, le=140)
    gaps: list[Gap] = Field(min_length=1, max_length=MAX_PIPES, description="[middle y, height] per pipe")
    time_limit_s: int | None = Field(default=None, ge=10, le=900)

    @model_validator(mode="after")
    def _shapes(self):
        for index, (middle, height) in enumerate(self.gaps):
            if not 60 <= height <= WORLD_H - 100:
                raise ValueError(f"gaps[{index}]: the height must be 60 to {WORLD_H - 100}")
            if not (middle - height / 2 >= 40 and middle + height / 2 <= WORLD_H - 40):
                raise ValueError(f"gaps[{index}]: the gap must leave 40 px of pipe above and below")
        if self.spacing < self.pipe_width + 2 * BIRD_R + 60:
            raise ValueError("spacing: pipes must leave room to fly between them")
        return self

    def pipe_x(self, index: int) -> int:
        return FIRST_PIPE + index * self.spacing


@dataclass(frozen=True)
class Flight:
    """What a flapping bird can do at a given speed: climb and fall rates, the height of one flap."""

    speed: float
    gravity: float
    flap: float

    @classmethod
    def of(cls, level: FlappyLevel, params: FlappyParams) -> Flight:
        return cls(level.speed * params.speed_scale, params.gravity, params.flap_velocity)

    @property
    def hop(self) -> float:
        """Height one flap gains from a standstill."""
        return self.flap**2 / (2 * self.gravity)

    def climb(self, t: float) -> float:
        """The most height gained in t seconds, flapping every FLAP_INTERVAL_S."""
        per_second = self.flap - self.gravity * FLAP_INTERVAL_S / 2
        return max(0.0, per_second * t)

    def fall(self, t: float) -> float:
        """The most height lost in t seconds: a free fall from a standstill, up to terminal speed."""
        reach_terminal = TERMINAL_VELOCITY / self.gravity
        if t <= reach_terminal:
            return self.gravity * t * t / 2
        return TERMINAL_VELOCITY**2 / (2 * self.gravity) + TERMINAL_VELOCITY * (t - reach_terminal)


def band(gap: Gap) -> tuple[float, float]:
    """Heights of the bird's middle that keep it clear of a pipe."""
    middle, height = gap
    return middle - height / 2 + BIRD_R + MARGIN, middle + height / 2 - BIRD_R - MARGIN


def level_reach(level: FlappyLevel, params: FlappyParams) -> tuple[list[tuple[float, float]], int | None]:
    """Reachable heights (an interval) inside each pipe, and the first pipe that cannot be reached (or None)."""
    flight = Flight.of(level, params)
    lo = hi = WORLD_H / 2  # the bird waits mid-air for the first flap
    sky = (BIRD_R + 0.0, WORLD_H - BIRD_R - MARGIN)
    previous_exit = 0.0
    out: list[tuple[float, float]] = []
    for index, gap in enumerate(level.gaps):
        entry = level.pipe_x(index) - BIRD_R
        t = max(0.0, (entry - previous_exit) / flight.speed)
        lo, hi = max(sky[0], lo - flight.climb(t)), min(sky[1], hi + flight.fall(t))
        b_lo, b_hi = band(gap)
        # Inside the pipe a bird hovers by flapping; it needs a band at least one flap tall.
        if b_hi - b_lo < flight.hop + MARGIN:
            return out, index
        lo, hi = max(lo, b_lo), min(hi, b_hi)
        if lo > hi:
            return out, index
        out.append((lo, hi))
        previous_exit = level.pipe_x(index) + level.pipe_width + BIRD_R
    return out, None


def pilot_aims(level: FlappyLevel, flight: Flight) -> list[float]:
    """Where a steady pilot keeps the bird (it flaps when below it) while pipe i is the next to pass.

    The bird bobs one hop above that point, so the aim sits half a hop below the gap's middle:
    the bob is centred, with the most room for a late or early flap (a person's, or a bot's on a
    busy machine). When the next gap is too far up or down to reach in the time between the two
    pipes, the aim leans towards it by what is missing, still inside the pipe's band.
    One more entry, past the last pipe.
    """
    aims = []
    between = (level.spacing - level.pipe_width - 2 * BIRD_R) / flight.speed
    for index, gap in enumerate(level.gaps):
        after = level.gaps[min(index + 1, len(level.gaps) - 1)]
        lo, hi = band(gap)
        spare = max(4.0, min(24.0, (hi - lo - flight.hop) / 4))
        centred = gap[0] + flight.hop / 2
        shift = after[0] - gap[0]
        reach = 0.6 * (flight.fall(between) if shift > 0 else flight.climb(between))
        lean = math.copysign(max(0.0, abs(shift) - reach), shift)
        aims.append(min(max(centred + lean, lo + flight.hop + spare), hi - spare))
    return [*aims, WORLD_H / 2]


def flight_check(level: FlappyLevel, params: FlappyParams, hz: int = 120) -> int | None:
    """Fly the level with the steady pilot (`pilot_aims`, at most one flap per FLAP_INTERVAL_S), exact
    circle against rectangles: the pipe that stops the bird (or the one ahead when it falls), or None."""
    flight = Flight.of(level, params)
    aims = pilot_aims(level, flight)
    count, width = len(level.gaps), level.pipe_width
    x, y, vy, t, last_flap, dt = 0.0, WORLD_H / 2, 0.0, 0.0, -1.0, 1 / hz
    step, drop, gain = flight.speed * dt, flight.gravity * dt * dt / 2, flight.gravity * dt
    ahead = 0  # the first pipe not yet behind the bird
    while ahead < count:
        if vy > 0 and t - last_flap >= FLAP_INTERVAL_S and y > aims[ahead]:
            vy, last_flap = -flight.flap, t
        x += step
        y = max(float(BIRD_R), y + vy * dt + drop)
        vy = min(TERMINAL_VELOCITY, vy + gain)
        t += dt
        if y > WORLD_H - BIRD_R:
            return ahead
        px = level.pipe_x(ahead)
        if x - BIRD_R > px + width:
            ahead += 1
            continue
        dx = x - max(px, min(px + width, x))
        if abs(dx) < BIRD_R:
            reach = math.sqrt(BIRD_R**2 - dx * dx)
            middle, height = level.gaps[ahead]
            if y - reach < middle - height / 2 or y + reach > middle + height / 2:
                return ahead
    return None


def validate_level(level: FlappyLevel, params: FlappyParams) -> list[str]:
    """Every gap fits a flapping bird and can be reached from the one before (a search over heights
    rules out the impossible), and a test flight gets through every gap (the proof it can be done)."""
    flight = Flight.of(level, params)
    problems = []
    for index, gap in enumerate(level.gaps):
        b_lo, b_hi = band(gap)
        if b_hi - b_lo < flight.hop + MARGIN:
            problems.append(
                f"gaps[{index}]: {gap[1]} px is too narrow; a flap alone lifts the bird {flight.hop:.0f} px"
            )
    if problems:
        return problems
    _, stuck = level_reach(level, params)
    if stuck is not None:
        return [f"gaps[{stuck}]: cannot be reached from the gap before; it is too far up or down"]
    # Two frame rates: a flap a frame late (60 Hz) must not matter either.
    stopped = flight_check(level, params, hz=120)
    if stopped is None:
        stopped = flight_check(level, params, hz=60)
    if stopped is not None:
        problems.append(
            f"gaps[{stopped}]: a steady test flight does not get through here; ease the gaps around it"
        )
    return problems


def generate_levels(
    *, rng: random.Random, count: int, difficulty: Sequence[float], params: FlappyParams
) -> list[FlappyLevel]:
    """More pipes, narrower gaps closer together, bigger jumps between gaps and more speed as difficulty climbs."""
    levels = []
    for index in range(count):
        d = difficulty[index]
        candidates = (_level(rng, max(0.0, d - attempt * 0.1), params) for attempt in range(12))
        level = first_valid_level(candidates, validate=validate_level, params=params)
        if level is None:  # every attempt refused: flat and wide (always valid)
            level = _level(random.Random(index), 0.0, params, flat=True)
        levels.append(level)
    return levels


def _level(rng: random.Random, d: float, params: FlappyParams, flat: bool = False) -> FlappyLevel:
    speed = round(lerp(170.0, 260.0, d), 1)
    pipe_width = lerp_int(64, 96, d)
    spacing = max(lerp_int(340, 250, d), pipe_width + 2 * BIRD_R + 120)
    probe = FlappyLevel(speed=speed, spacing=spacing, pipe_width=pipe_width, gaps=[(WORLD_H // 2, 300)])
    flight = Flight.of(probe, params)
    height = int(min(WORLD_H - 200, flight.hop + 2 * BIRD_R + 3 * MARGIN + lerp(200, 60, d)))
    t = (spacing - pipe_width - 2 * BIRD_R) / flight.speed
    shift = 0 if flat else min(lerp(110, 320, d), 0.7 * flight.climb(t), 0.7 * flight.fall(t))
    lo, hi = height // 2 + 60, WORLD_H - height // 2 - 60
    middle = WORLD_H // 2
    gaps: list[Gap] = []
    for _ in range(lerp_int(5, 24, d)):
        middle = int(max(lo, min(hi, middle + rng.uniform(-shift, shift))))
        gaps.append((middle, height))
    return FlappyLevel(speed=speed, spacing=spacing, pipe_width=pipe_width, gaps=gaps)


def tune_params(words: set[str], difficulty: float) -> dict:
    params: dict = {}
    if words & {"fast", "faster", "speedy", "speed", "rush", "turbo"}:
        params["speed_scale"] = 1.2
    if words & {"slow", "calm", "relaxing", "kids", "easy", "zen", "toddler", "gentle"}:
        params["speed_scale"] = 0.85
    if words & {"moon", "space", "floaty", "astronaut", "balloon", "feather", "underwater"}:
        params["gravity"] = 1150.0
        params["flap_velocity"] = 400.0
    if words & {"heavy", "rock", "brick", "hardcore"}:
        params["gravity"] = 1900.0
        params["flap_velocity"] = 560.0
    return params


def preview(spec) -> list[tuple[str, float, float, float]]:
    return [
        ("pipe", 0.45, 0.12, 0.3), ("pipe", 0.45, 0.88, 0.3), ("pipe", 0.82, 0.22, 0.3),
        ("pipe", 0.82, 0.95, 0.3), ("bird", 0.2, 0.5, 0.16), ("star", 0.45, 0.5, 0.08),
    ]  # fmt: skip


def paced_seconds(level: FlappyLevel, params: FlappyParams) -> float:
    """Level 1's pace (MechanicDefinition.paced_seconds): the flight past the last pipe (scene.js's end)."""
    end = level.pipe_x(len(level.gaps) - 1) + level.pipe_width + BIRD_R
    return end / (level.speed * params.speed_scale)


MECHANIC = MechanicDefinition(
    slug="flappy",
    name="Flappy",
    description="Tap to flap and keep flying: slip through the gaps between the pipes. "
    "Touch a pipe or the ground and it costs a life; each level has more, tighter gaps.",
    genre="arcade",
    category="arcade",
    keywords=(
        "flappy",
        "flap",
        "flapping",
        "bird",
        "birds",
        "fly",
        "flying",
        "wings",
        "pipes",
        "pipe",
        "gaps",
        "helicopter",
        "copter",
        "balloon",
        "glide",
        "plane",
        "airplane",
        "bat",
        "bee",
        "pájaro",
        "oiseau",
        "vogel",
        "uccello",
        "птица",
        "鸟",
    ),  # fmt: skip
    vocabulary=Vocabulary(
        verbs={"flap": 3, "fly": 1.5, "tap": 1},
        foreign_words=("pájaro", "pássaro", "uccello", "oiseau", "vogel", "птица", "小鸟", "鳥"),
        emoji=("🐦", "🐤"),
    ),  # fmt: skip
    example_prompts=(
        "flappy bird in outer space",
        "a little helicopter flying through a cave",
        "tap to keep the bee in the air between the flowers",
    ),
    Params=FlappyParams,
    Level=FlappyLevel,
    generate_levels=generate_levels,
    validate_level=validate_level,
    paced_seconds=paced_seconds,
    bot=BotHints(
        probe=("key", "Space"),
        probe_watch="y",
        expected_events=(*OPENING_EVENTS, "pipe_passed", "level_end"),
        completes_level=True,
        max_seconds=35.0,
    ),
    sprites=(
        SpriteSpec("bird", "head", "primary", 48, 44, role="hero"),
        SpriteSpec("pipe", "capsule", "secondary", 72, 36),
        SpriteSpec("star", "star", "accent", 32, 32, role="collectible"),
    ),
    cast_defaults={"hero": ("bird",), "collectible": ("star",)},
    audio_cues={"flap": "jump", "pass": "pickup", "crash": "hit"},
    events=(
        EventSpec("pipe_passed", "The bird flew through a gap.", ("level", "count")),
        EventSpec("bird_crashed", "The bird hit a pipe or the ground.", ("level", "pipe", "cause")),
    ),
    touch_layouts=("tap",),
    tutorial=(
        "Tap, or press Space or Up, to flap.",
        "Fly through the gaps between the pipes; do not touch them or the ground.",
        "Pass every pipe to clear the level.",
    ),
    win_text="Fly through every gap of every level.",
    lose_text="Lose all lives by hitting pipes or the ground.",
    default_lives=3,
    default_level_count=10,
    tune_params=tune_params,
    title_nouns=("Flap", "Wings", "Flight", "Glide"),
    preview=preview,
)
