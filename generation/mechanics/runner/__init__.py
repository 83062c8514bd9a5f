"""Endless runner: the runner speeds along on its own; jump over blocks and pits, never into drones.

A level is a stretch of track (`length` pixels) with obstacles at fixed positions. The jump
is a fixed arc (params `jump_velocity`, `gravity`) and the speed is constant within a level,
so whether a level can be finished is decided exactly by a search over the places the runner
can be on the ground (`level_reach`): from each one it may run on or jump, and a jump lands
a known distance further. The same search gives the bot its jumps (`runner_plan`).

Geometry (shared with scene.js): x grows along the track (the runner's left edge), altitude
grows upwards from the ground; the runner is PLAYER_W x PLAYER_H, a drone DRONE_H tall.
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
    MultiplayerMode,
    SpriteSpec,
    Vocabulary,
    first_valid_level,
    lerp,
    lerp_int,
)

PLAYER_W, PLAYER_H = 40, 56
DRONE_H = 34
STEP = 4  # resolution of the search, in pixels of track
MARGIN = 6  # clearance the validator demands around every obstacle
START_CLEAR = 800  # open track before the first obstacle (at least; see `runway`)
START_CLEAR_S = 3.0  # ... and at least this many seconds of running: time to get going
END_CLEAR = 120
MIN_LENGTH, MAX_LENGTH = 1500, 20_000
MAX_OBSTACLES = 120
MAX_COINS = 80
MAX_COIN_HEIGHT = 800
POINTS_EVERY_PX = 50  # one point per this much distance (scene.js)


class RunnerParams(MechanicParams):
    gravity: float = Field(default=2600.0, ge=1500.0, le=4000.0, description="Pixels per second squared.")
    jump_velocity: float = Field(default=980.0, ge=700.0, le=1400.0, description="Take-off speed, px/s.")
    speed_scale: float = Field(default=1.0, ge=0.7, le=1.5, description="Multiplies every level's speed.")
    coins: bool = Field(default=True, description="Coins along the track.")


Block = tuple[int, int, int]  # x, width, height
Pit = tuple[int, int]  # x, width
Drone = tuple[int, int, int]  # x, altitude of its underside, width
Coin = tuple[int, int]  # x, altitude of its centre


class RunnerLevel(MechanicLevel):
    length: int = Field(ge=MIN_LENGTH, le=MAX_LENGTH, description="Pixels of track to the finish line.")
    speed: float = Field(ge=150.0, le=700.0, description="Running speed, pixels per second.")
    blocks: list[Block] = Field(default_factory=list, max_length=MAX_OBSTACLES, description="[x, w, h]")
    pits: list[Pit] = Field(default_factory=list, max_length=MAX_OBSTACLES, description="[x, w]")
    drones: list[Drone] = Field(
        default_factory=list, max_length=MAX_OBSTACLES, description="[x, altitude, w]"
    )
    coins: list[Coin] = Field(default_factory=list, max_length=MAX_COINS, description="[x, altitude]")
    time_limit_s: int | None = Field(default=None, ge=10, le=900)

    @model_validator(mode="after")
    def _shapes(self):
        for name, items, bounds in (
            ("blocks", self.blocks, ((16, 240), (16, 400))),
            ("pits", self.pits, ((24, 800),)),
            ("drones", self.drones, ((0, 500), (24, 240))),
            ("coins", self.coins, ((0, MAX_COIN_HEIGHT),)),
        ):
            for index, item in enumerate(items):
                if not 0 <= item[0] <= self.length:
                    raise ValueError(f"{name}[{index}]: x must be on the track (0 to {self.length})")
                for value, (lo, hi) in zip(item[1:], bounds, strict=True):
                    if not lo <= value <= hi:
                        raise ValueError(f"{name}[{index}]: {value} is outside {lo} to {hi}")
        if len(self.blocks) + len(self.pits) + len(self.drones) > MAX_OBSTACLES:
            raise ValueError(f"at most {MAX_OBSTACLES} obstacles in all")
        return self


# --- the jump ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Jump:
    """The runner's one jump at speed `speed`: altitude as a function of the distance run since take-off."""

    speed: float
    velocity: float
    gravity: float

    @classmethod
    def of(cls, level: RunnerLevel, params: RunnerParams) -> Jump:
        return cls(level.speed * params.speed_scale, params.jump_velocity, params.gravity)

    @property
    def airtime(self) -> float:
        return 2 * self.velocity / self.gravity

    @property
    def distance(self) -> float:
        return self.speed * self.airtime

    @property
    def apex(self) -> float:
        return self.velocity**2 / (2 * self.gravity)

    def altitude(self, s: float) -> float:
        t = s / self.speed
        return self.velocity * t - self.gravity * t * t / 2

    def _crossings(self, h: float) -> tuple[float, float]:
        root = math.sqrt(max(0.0, self.velocity**2 - 2 * self.gravity * h))
        return (self.velocity - root) / self.gravity * self.speed, (
            self.velocity + root
        ) / self.gravity * self.speed

    def below(self, h: float) -> list[tuple[float, float]]:
        """Stretches of the jump (distance since take-off) flown lower than altitude `h`."""
        if h <= 0:
            return []
        if h >= self.apex:
            return [(0.0, self.distance)]
        s1, s2 = self._crossings(h)
        return [(0.0, s1), (s2, self.distance)]

    def between(self, lo: float, hi: float) -> list[tuple[float, float]]:
        """Stretches of the jump flown with an altitude strictly between `lo` and `hi`."""
        if lo >= self.apex or hi <= 0:
            return []
        above = [(0.0, self.distance)] if lo < 0 else [self._crossings(lo)]
        out = []
        for a0, a1 in above:
            for b0, b1 in self.below(hi):
                lo_s, hi_s = max(a0, b0), min(a1, b1)
                if lo_s < hi_s:
                    out.append((lo_s, hi_s))
        return out


# --- the search ---------------------------------------------------------------------------------------


@dataclass
class Reach:
    """The track cut in STEP-pixel cells: where the runner may stand, take off, and still finish."""

    cells: int
    ground: bytearray  # 1: the runner can be on the ground here
    takeoff: bytearray  # 1: a jump from here flies clear of everything
    land: int  # cells flown by one jump
    win: bytearray  # 1: from the ground here, the finish can still be reached

    @property
    def solvable(self) -> bool:
        return bool(self.win[0])

    def landing_ok(self, i: int) -> bool:
        j = i + self.land
        return j >= self.cells or (self.ground[j] and self.ground[min(j + 1, self.cells - 1)])


def _mark(cells: bytearray, lo: float, hi: float) -> None:
    """Clear the cells whose position is strictly inside (lo, hi)."""
    first = max(0, math.floor(lo / STEP) + 1)
    last = min(len(cells) - 1, math.ceil(hi / STEP) - 1)
    if first <= last:
        cells[first : last + 1] = bytes(last - first + 1)


def level_reach(level: RunnerLevel, params: RunnerParams) -> Reach:
    """Search the track: for every cell, can the runner stand there, jump from there, still win."""
    jump = Jump.of(level, params)
    cells = level.length // STEP + 1
    ground = bytearray(b"\x01" * cells)
    takeoff = bytearray(b"\x01" * cells)
    for bx, bw, bh in level.blocks:
        _mark(ground, bx - MARGIN - PLAYER_W, bx + bw + MARGIN)
        for s0, s1 in jump.below(bh + MARGIN):
            _mark(takeoff, bx - MARGIN - PLAYER_W - s1, bx + bw + MARGIN - s0)
    for dx, dy, dw in level.drones:
        if dy < PLAYER_H + MARGIN:
            _mark(ground, dx - MARGIN - PLAYER_W, dx + dw + MARGIN)
        for s0, s1 in jump.between(dy - PLAYER_H - MARGIN, dy + DRONE_H + MARGIN):
            _mark(takeoff, dx - MARGIN - PLAYER_W - s1, dx + dw + MARGIN - s0)
    for px, pw in level.pits:
        # The runner drops when the middle of its feet is over the pit.
        _mark(ground, px - MARGIN - PLAYER_W / 2, px + pw + MARGIN - PLAYER_W / 2)
    land = math.ceil(jump.distance / STEP)
    reach = Reach(cells=cells, ground=ground, takeoff=takeoff, land=land, win=bytearray(cells))
    win = reach.win
    for i in range(cells - 1, -1, -1):
        if not ground[i]:
            continue
        if (
            i == cells - 1
            or win[i + 1]
            or takeoff[i]
            and reach.landing_ok(i)
            and (i + land >= cells or win[i + land])
        ):
            win[i] = 1
    return reach


def runner_plan(level: RunnerLevel, params: RunnerParams) -> list[tuple[float, float, float]]:
    """The jumps that finish the level: (take-off x, earliest, latest) in track pixels.

    Each take-off is the middle of the widest stretch from which the jump still wins, so a
    player (or the playtest bot) who is a little early or late still clears the obstacle.
    Empty when the level needs no jump or cannot be finished (see `level_reach`).
    """
    reach = level_reach(level, params)
    if not reach.solvable:
        return []
    ground, win = reach.ground, reach.win

    def good_takeoff(j: int) -> bool:
        return bool(
            ground[j]
            and reach.takeoff[j]
            and reach.landing_ok(j)
            and (j + reach.land >= reach.cells or win[j + reach.land])
        )

    plan = []
    i = 0
    while i < reach.cells:
        end = i
        while end + 1 < reach.cells and ground[end + 1]:
            end += 1
        if end == reach.cells - 1:
            break
        # Must jump somewhere in [i, end]: take the last stretch of good take-offs before the hazard.
        b = end
        while b >= i and not good_takeoff(b):
            b -= 1
        if b < i:  # cannot happen when win[i] holds
            break
        a = b
        while a - 1 >= i and good_takeoff(a - 1):
            a -= 1
        mid = (a + b) // 2
        plan.append((mid * STEP, a * STEP, b * STEP))
        i = mid + reach.land
    return plan


def runway(level: RunnerLevel, params: RunnerParams) -> int:
    """Open track at the start: START_CLEAR pixels or START_CLEAR_S seconds of running, the longer."""
    return int(max(START_CLEAR, START_CLEAR_S * level.speed * params.speed_scale))


def validate_level(level: RunnerLevel, params: RunnerParams) -> list[str]:
    """Every obstacle fits on the track and can be cleared; the finish is reachable (search)."""
    problems = []
    jump = Jump.of(level, params)
    start_clear = runway(level, params)
    for index, (bx, bw, bh) in enumerate(level.blocks):
        if bh + MARGIN >= jump.apex:
            problems.append(
                f"blocks[{index}]: {bh} px is too tall to jump (the jump peaks at {jump.apex:.0f} px)"
            )
        if bx < start_clear or bx + bw > level.length - END_CLEAR:
            problems.append(
                f"blocks[{index}]: keep {start_clear} px clear at the start and {END_CLEAR} at the end"
            )
    for index, (px, pw) in enumerate(level.pits):
        if pw + 2 * MARGIN >= jump.distance:
            problems.append(f"pits[{index}]: {pw} px is wider than a jump ({jump.distance:.0f} px)")
        if px < start_clear or px + pw > level.length - END_CLEAR:
            problems.append(
                f"pits[{index}]: keep {start_clear} px clear at the start and {END_CLEAR} at the end"
            )
    for index, (dx, _dy, dw) in enumerate(level.drones):
        if dx < start_clear or dx + dw > level.length - END_CLEAR:
            problems.append(
                f"drones[{index}]: keep {start_clear} px clear at the start and {END_CLEAR} at the end"
            )
    if problems:
        return problems
    reach = level_reach(level, params)
    if not reach.solvable:
        problems.append(
            f"obstacles: the finish cannot be reached; no run or jump gets past x={_furthest(reach) * STEP} "
            "(obstacles too close together or impossible to clear)"
        )
    return problems


def _furthest(reach: Reach) -> int:
    """The furthest cell the runner can stand on, searching forwards from the start."""
    seen = bytearray(reach.cells)
    seen[0] = reach.ground[0]
    furthest = 0
    for i in range(reach.cells):
        if not seen[i]:
            continue
        furthest = i
        if i + 1 < reach.cells and reach.ground[i + 1]:
            seen[i + 1] = 1
        j = i + reach.land
        if reach.takeoff[i] and j < reach.cells and reach.landing_ok(i):
            seen[j] = 1
    return furthest


# --- the generator --------------------------------------------------------------------------------------


def _obstacles(rng: random.Random, d: float, length: int, jump: Jump, start: int) -> tuple[list, list, list]:
    """Obstacles from `start` on, spaced so that one lands before the next needs a jump."""
    blocks: list[Block] = []
    pits: list[Pit] = []
    drones: list[Drone] = []
    run_up = jump.distance + PLAYER_W + 2 * MARGIN  # a landing plus room to take off again
    x = start + rng.randint(0, 200)
    while True:
        roll = rng.random()
        if d >= 0.35 and roll < 0.2:
            w = rng.randint(50, 90)
            altitude = PLAYER_H + rng.randint(18, 40)
            item_end = x + w
            if item_end > length - END_CLEAR:
                break
            drones.append((x, altitude, w))
        elif d >= 0.15 and roll < 0.5:
            w = min(780, int(lerp(50, 0.55 * jump.distance, min(1.0, d + rng.random() * 0.3))))
            item_end = x + w
            if item_end > length - END_CLEAR:
                break
            pits.append((x, w))
        else:
            h = min(380, int(lerp(34, 0.62 * jump.apex, min(1.0, d * rng.uniform(0.6, 1.2)))))
            w = rng.randint(30, int(lerp(44, 90, d)))
            item_end = x + w
            if item_end > length - END_CLEAR:
                break
            blocks.append((x, w, h))
            if d >= 0.6 and h <= 0.5 * jump.apex and rng.random() < 0.3:
                # A pair close enough to clear in one jump, too close to land in between.
                x2 = item_end + rng.randint(24, 40)
                w2 = rng.randint(26, 40)
                if x2 + w2 <= length - END_CLEAR:
                    blocks.append((x2, w2, max(24, h - 20)))
                    item_end = x2 + w2
        slack = lerp(1.2, 0.15, d) * jump.distance
        x = int(item_end + run_up + rng.uniform(0.4, 1.0) * slack)
    return blocks, pits, drones


def _coins(level: RunnerLevel, params: RunnerParams) -> list[Coin]:
    """A row on the ground before the first obstacle, then one coin at the top of each planned jump."""
    jump = Jump.of(level, params)
    coins: list[Coin] = [(runway(level, params) // 2 + i * 60, 24) for i in range(3)]
    for takeoff, _, _ in runner_plan(level, params):
        x, height = int(takeoff + jump.distance / 2 + PLAYER_W / 2), int(jump.apex + PLAYER_H / 2)
        if x <= level.length and height <= MAX_COIN_HEIGHT:
            coins.append((x, height))
    return coins[:MAX_COINS]


def generate_levels(
    *, rng: random.Random, count: int, difficulty: Sequence[float], params: RunnerParams
) -> list[RunnerLevel]:
    """Longer tracks, higher speed, wider pits, taller blocks, drones and pairs as difficulty climbs."""
    levels = []
    for index in range(count):
        d = difficulty[index]
        speed = round(lerp(280.0, 520.0, d), 1)
        length = lerp_int(3000, 9000, d) // 100 * 100
        probe = RunnerLevel(length=length, speed=speed)
        jump, start = Jump.of(probe, params), runway(probe, params)
        # Each failed attempt eases the level a little: the generator never gives up on a level.
        tracks = (_obstacles(rng, max(0.0, d - attempt * 0.1), length, jump, start) for attempt in range(12))
        candidates = (
            RunnerLevel(length=length, speed=speed, blocks=blocks, pits=pits, drones=drones)
            for blocks, pits, drones in tracks
        )
        level = first_valid_level(candidates, validate=validate_level, params=params)
        if level is None:
            level = RunnerLevel(length=length, speed=speed)
        if params.coins:
            level = RunnerLevel(**{**level.model_dump(), "coins": _coins(level, params)})
        levels.append(level)
    return levels


def tune_params(words: set[str], difficulty: float) -> dict:
    params: dict = {}
    if words & {"fast", "faster", "speed", "speedy", "dash", "sprint", "turbo", "rush", "frantic"}:
        params["speed_scale"] = 1.2
    if words & {"slow", "calm", "relaxing", "kids", "easy", "zen", "toddler"}:
        params["speed_scale"] = 0.85
    if words & {"moon", "space", "floaty", "low-gravity", "astronaut"}:
        params["gravity"] = 1900.0
        params["jump_velocity"] = 840.0
    if words & {"no-coins", "coinless"}:
        params["coins"] = False
    return params


def preview(spec) -> list[tuple[str, float, float, float]]:
    return [
        ("ground", 0.2, 0.86, 0.28), ("ground", 0.5, 0.86, 0.28), ("ground", 0.8, 0.86, 0.28),
        ("runner", 0.22, 0.55, 0.2), ("coin", 0.42, 0.35, 0.09), ("coin", 0.52, 0.3, 0.09),
        ("block", 0.62, 0.7, 0.14), ("drone", 0.85, 0.38, 0.14), ("flag", 0.9, 0.66, 0.16),
    ]  # fmt: skip


def paced_seconds(level: RunnerLevel, params: RunnerParams) -> float:
    """Level 1's pace (MechanicDefinition.paced_seconds): the track to the finish at the level's speed."""
    return level.length / (level.speed * params.speed_scale)


MECHANIC = MechanicDefinition(
    slug="runner",
    name="Endless Runner",
    description="Run on and on: jump over blocks and pits, stay under the drones and grab the coins. "
    "Each level is a longer, faster stretch of track; a crash costs a life.",
    genre="arcade",
    category="action",
    keywords=(
        "runner",
        "run",
        "running",
        "endless",
        "dash",
        "sprint",
        "parkour",
        "jump",
        "jumping",
        "leap",
        "hurdle",
        "hurdles",
        "obstacle",
        "obstacles",
        "subway",
        "surfer",
        "temple",
        "ninja",
        "rooftops",
        "rooftop",
        "chase",
        "chased",
        "escape",
        "dino",
        "dinosaur",
        "t-rex",
        "corredor",
        "correr",
        "courir",
        "coureur",
        "läufer",
        "rennen",
        "бег",
        "бегун",
        "跑酷",
    ),  # fmt: skip
    vocabulary=Vocabulary(
        verbs={"collect": 1, "escape": 1, "dodge": 1.5, "avoid": 1, "jump": 2, "run": 2},
        foreign_words=(
            "corrida",
            "correr",
            "carrera",
            "corsa",
            "rennen",
            "laufen",
            "bieg",
            "koşu",
            "бег",
            "跑酷",
            "ランナー",
        ),
        emoji=("🏃",),
    ),  # fmt: skip
    example_prompts=(
        "an endless runner on neon rooftops",
        "a dinosaur that jumps over cactus in the desert",
        "a ninja dashing through the forest collecting coins",
    ),
    Params=RunnerParams,
    Level=RunnerLevel,
    generate_levels=generate_levels,
    validate_level=validate_level,
    paced_seconds=paced_seconds,
    bot=BotHints(
        probe=("key", "Space"),
        probe_watch="y",
        expected_events=(*OPENING_EVENTS, "coin_collected", "level_end"),
        completes_level=True,
        max_seconds=35.0,
    ),
    sprites=(
        SpriteSpec("runner", "head", "primary", 48, 60, role="hero"),
        SpriteSpec("block", "wall", "danger", 48, 48, role="hazard"),
        SpriteSpec("drone", "ghost", "extra1", 56, 40, role="enemy"),
        SpriteSpec("coin", "coin", "accent", 32, 32, role="collectible"),
        SpriteSpec("ground", "floor", "secondary", 96, 32),
        SpriteSpec("flag", "flag", "accent", 48, 72, role="goal"),
    ),
    cast_defaults={
        "hero": ("person running",),
        "hazard": ("rock",),
        "enemy": ("bat",),
        "collectible": ("coin",),
        "goal": ("flag",),
    },
    audio_cues={"jump": "jump", "coin": "pickup", "crash": "hit"},
    events=(
        EventSpec("coin_collected", "The runner picked up a coin.", ("level", "coins")),
        EventSpec(
            "runner_crashed", "The runner hit an obstacle or fell into a pit.", ("level", "cause", "distance")
        ),
    ),
    touch_layouts=("tap", "buttons"),
    tutorial=(
        "Tap, or press Space or Up, to start running and to jump.",
        "Jump over blocks and pits; stay low under the drones.",
        "Reach the flag at the end of the track; coins add points.",
    ),
    win_text="Reach the finish flag of every track.",
    lose_text="Lose all lives by crashing into obstacles or falling into pits.",
    default_lives=3,
    default_level_count=10,
    tune_params=tune_params,
    title_nouns=("Runner", "Dash", "Rush", "Sprint"),
    preview=preview,
    multiplayer_modes=(
        MultiplayerMode(
            "race",
            min_players=2,
            max_players=4,
            description="A race to the flag on the same track, each rival shown as a ghost; a crash only "
            "costs time. The first across the line wins (the host reports it).",
        ),
    ),
)
