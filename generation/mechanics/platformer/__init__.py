"""Platformer: run and jump from platform to platform to the goal flag; spikes, pits and patrolling
enemies cost a life, gems add points, stomping an enemy scores.

Platforms are one-way (you jump up through them and land on top), so a level can be judged by
a search over *footholds*: the stretches of platform top free of spikes. From a foothold the
player reaches another when the jump arc gets high enough (`dy` below the peak) and far enough
(run speed x time in the air) to land on it. The validator runs a breadth-first search from the
start to the flag; the playtest bot (bot.py beside this file) follows the same route (`platformer_route`).

Geometry (shared with scene.js): x grows to the right, y upwards from the bottom of the
world (a fall below 0 is a lost life); the player stands when the middle of its feet is over a
platform; it is PLAYER_W x PLAYER_H.
"""

from __future__ import annotations

import math
import random
from collections import deque
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

PLAYER_W, PLAYER_H = 32, 44
SPIKE_H = 16
ENEMY_W, ENEMY_H = 34, 30
FLAG_W, FLAG_H = 28, 64
WORLD_H = 600
MIN_TOP, MAX_TOP = 20, 440  # platform tops, in world pixels above the bottom
MARGIN = 10  # clearance the validator keeps from spikes and jump limits
PEAK_MARGIN = 24  # a foothold must sit this far below the peak of the jump
MIN_WIDTH, MAX_WIDTH = 800, 8000
MAX_PLATFORMS = 60


class PlatformerParams(MechanicParams):
    run_speed: float = Field(default=250.0, ge=160.0, le=400.0, description="Pixels per second.")
    gravity: float = Field(default=2200.0, ge=1400.0, le=3500.0, description="Pixels per second squared.")
    jump_velocity: float = Field(default=880.0, ge=600.0, le=1300.0, description="Take-off speed, px/s.")
    enemies: bool = Field(default=True, description="Patrolling enemies on harder levels.")
    gems: bool = Field(default=True, description="Gems to collect.")


Platform = tuple[int, int, int]  # x, top, width
Spike = tuple[int, int, int]  # x, top of the platform it sits on, width
Enemy = tuple[int, int, int, int]  # patrol from x1 to x2 (its middle), top of its platform, speed px/s
Point = tuple[int, int]


class PlatformerLevel(MechanicLevel):
    width: int = Field(ge=MIN_WIDTH, le=MAX_WIDTH, description="World width in pixels.")
    platforms: list[Platform] = Field(min_length=1, max_length=MAX_PLATFORMS, description="[x, top, width]")
    spikes: list[Spike] = Field(default_factory=list, max_length=80, description="[x, top, width]")
    enemies: list[Enemy] = Field(default_factory=list, max_length=30, description="[x1, x2, top, speed]")
    gems: list[Point] = Field(default_factory=list, max_length=80, description="[x, y] of each gem's middle")
    start: Point = Field(description="[x, y]: the middle of the player's feet")
    goal: Point = Field(description="[x, y]: the foot of the flag")
    time_limit_s: int = Field(ge=10, le=900)

    @model_validator(mode="after")
    def _shapes(self):
        for index, (x, top, w) in enumerate(self.platforms):
            if not (x >= 0 and x + w <= self.width and MIN_TOP <= top <= MAX_TOP and 40 <= w <= 2000):
                raise ValueError(
                    f"platforms[{index}]: inside the world, top {MIN_TOP}-{MAX_TOP}, width 40-2000"
                )
        for index, (x, _top, w) in enumerate(self.spikes):
            if not (x >= 0 and x + w <= self.width and 16 <= w <= 400):
                raise ValueError(f"spikes[{index}]: inside the world and 16-400 px wide")
        for index, (x1, x2, _top, speed) in enumerate(self.enemies):
            if not (0 <= x1 < x2 <= self.width and 20 <= speed <= 240):
                raise ValueError(f"enemies[{index}]: needs 0 <= x1 < x2 <= width and a speed of 20-240")
        for name, (x, y) in [("start", self.start), ("goal", self.goal)] + [
            (f"gems[{i}]", g) for i, g in enumerate(self.gems)
        ]:
            if not (0 <= x <= self.width and 0 <= y <= WORLD_H):
                raise ValueError(f"{name}: outside the world")
        return self


# --- the search ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Foothold:
    """A stretch of platform top the player can stand on: the middle of its feet in [lo, hi] at `top`."""

    lo: float
    hi: float
    top: int
    platform: int

    @property
    def middle(self) -> float:
        return (self.lo + self.hi) / 2

    def holds(self, x: float, y: float, slack: float = 2.0) -> bool:
        return abs(y - self.top) <= slack and self.lo - slack <= x <= self.hi + slack


@dataclass(frozen=True)
class JumpModel:
    speed: float
    velocity: float
    gravity: float

    @classmethod
    def of(cls, params: PlatformerParams) -> JumpModel:
        return cls(params.run_speed, params.jump_velocity, params.gravity)

    @property
    def peak(self) -> float:
        return self.velocity**2 / (2 * self.gravity)

    @property
    def airtime(self) -> float:
        return 2 * self.velocity / self.gravity

    def reach(self, dy: float) -> float:
        """How far sideways a jump can carry the player to land `dy` higher (negative: lower); -1 if it cannot."""
        if dy > self.peak - PEAK_MARGIN:
            return -1.0
        t = (self.velocity + math.sqrt(self.velocity**2 - 2 * self.gravity * dy)) / self.gravity
        return self.speed * t - MARGIN


def footholds(level: PlatformerLevel) -> list[Foothold]:
    """Every platform top, minus the spikes on it (with room for the player's width and a margin)."""
    out = []
    for index, (x, top, w) in enumerate(level.platforms):
        pieces = [(float(x), float(x + w))]
        for sx, stop, sw in level.spikes:
            if stop != top or sx >= x + w or sx + sw <= x:
                continue
            cut_lo, cut_hi = sx - PLAYER_W / 2 - MARGIN, sx + sw + PLAYER_W / 2 + MARGIN
            pieces = [
                piece
                for lo, hi in pieces
                for piece in ((lo, min(hi, cut_lo)), (max(lo, cut_hi), hi))
                if piece[1] - piece[0] >= 4
            ]
        out.extend(Foothold(lo, hi, top, index) for lo, hi in pieces)
    return out


def _gap(a: Foothold, b: Foothold) -> float:
    return max(0.0, b.lo - a.hi, a.lo - b.hi)


def hops(holds: list[Foothold], jump: JumpModel) -> list[list[int]]:
    """For each foothold, the footholds one jump (or a step off the edge) can land on."""
    out: list[list[int]] = []
    for a in holds:
        out.append([j for j, b in enumerate(holds) if b is not a and _gap(a, b) <= jump.reach(b.top - a.top)])
    return out


def foothold_at(holds: list[Foothold], x: float, y: float) -> int | None:
    for index, hold in enumerate(holds):
        if hold.holds(x, y):
            return index
    return None


def _bfs(graph: list[list[int]], start: int) -> dict[int, int | None]:
    came: dict[int, int | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in graph[node]:
            if nxt not in came:
                came[nxt] = node
                queue.append(nxt)
    return came


def platformer_route(
    level: PlatformerLevel, params: PlatformerParams, *, at: tuple[float, float] | None = None
) -> list[Foothold]:
    """The footholds from `at` (default: the start) to the flag's, fewest jumps first; [] when none."""
    holds = footholds(level)
    x, y = at if at is not None else level.start
    first = foothold_at(holds, x, y)
    goal = foothold_at(holds, *level.goal)
    if first is None or goal is None:
        return []
    came = _bfs(hops(holds, JumpModel.of(params)), first)
    if goal not in came:
        return []
    path = [goal]
    while came[path[-1]] is not None:
        path.append(came[path[-1]])  # type: ignore[arg-type]
    return [holds[i] for i in reversed(path)]


def hop_points(a: Foothold, b: Foothold, params: PlatformerParams) -> tuple[float, float]:
    """Where to take off from `a` and where to aim on `b` (the middle of the feet).

    The take-off is the middle of the stretch of `a` from which the jump still carries far
    enough, so a press a little early or late (a player's, or a bot's on a busy machine) works.
    """
    aim = min(50.0, (b.hi - b.lo) / 2)
    if b.lo > a.hi or b.hi < a.lo:
        spare = JumpModel.of(params).reach(b.top - a.top) - _gap(a, b)
        back = max(4.0, min(spare / 2, a.hi - a.lo - 4))
        if b.lo > a.hi:
            return a.hi - back, b.lo + aim
        return a.lo + back, b.hi - aim
    lo, hi = max(a.lo, b.lo), min(a.hi, b.hi)
    x = (lo + hi) / 2
    return x, x


def route_seconds(route: list[Foothold], params: PlatformerParams) -> float:
    """A fair time to play a route: walking between the footholds' middles plus the time in the air."""
    jump = JumpModel.of(params)
    walk = sum(abs(b.middle - a.middle) for a, b in zip(route, route[1:], strict=False))
    return walk / jump.speed + (len(route) - 1) * jump.airtime


def validate_level(level: PlatformerLevel, params: PlatformerParams) -> list[str]:
    """Everything sits on a platform, and a breadth-first search over footholds reaches the flag in time."""
    problems = []
    tops = {}
    for x, top, w in level.platforms:
        tops.setdefault(top, []).append((x, x + w))

    def on_platform(x0: float, x1: float, top: int) -> bool:
        return any(lo <= x0 and x1 <= hi for lo, hi in tops.get(top, []))

    for index, (sx, top, sw) in enumerate(level.spikes):
        if not on_platform(sx, sx + sw, top):
            problems.append(f"spikes[{index}]: must sit on top of a platform")
    for index, (x1, x2, top, _speed) in enumerate(level.enemies):
        if not on_platform(x1 - ENEMY_W / 2, x2 + ENEMY_W / 2, top):
            problems.append(f"enemies[{index}]: the patrol must stay on one platform")
        if any(stop == top and sx < x2 + ENEMY_W and sx + sw > x1 - ENEMY_W for sx, stop, sw in level.spikes):
            problems.append(f"enemies[{index}]: patrols over spikes")
    holds = footholds(level)
    start, goal = foothold_at(holds, *level.start), foothold_at(holds, *level.goal)
    if start is None:
        problems.append("start: must stand on a platform, clear of spikes")
    if goal is None:
        problems.append("goal: the flag must stand on a platform, clear of spikes")
    if problems:
        return problems
    jump = JumpModel.of(params)
    came = _bfs(hops(holds, jump), start)  # type: ignore[arg-type]
    if goal not in came:
        return ["platforms: the flag cannot be reached from the start (no chain of jumps leads there)"]
    reachable = [holds[i] for i in came]
    side = jump.reach(0) / 2  # a jump is highest halfway: that far beyond the foothold's end
    for index, (gx, gy) in enumerate(level.gems):
        if not any(
            h.top <= gy <= h.top + jump.peak + PLAYER_H / 2 - MARGIN and h.lo - side <= gx <= h.hi + side
            for h in reachable
        ):
            problems.append(f"gems[{index}]: out of reach")
    route = platformer_route(level, params)
    needed = math.ceil(route_seconds(route, params)) + 3
    if level.time_limit_s < needed:
        problems.append(f"time_limit_s: the route to the flag needs at least {needed} s")
    return problems


# --- the generator ----------------------------------------------------------------------------------


def generate_levels(
    *, rng: random.Random, count: int, difficulty: Sequence[float], params: PlatformerParams
) -> list[PlatformerLevel]:
    """More, narrower platforms, wider gaps and climbs, spikes then enemies, tighter clocks as difficulty climbs."""
    levels = []
    for index in range(count):
        d = difficulty[index]
        candidates = (_level(rng, max(0.0, d - attempt * 0.08), params) for attempt in range(12))
        level = first_valid_level(candidates, validate=validate_level, params=params)
        if level is None:  # every attempt refused: a flat, easy course (always valid)
            level = _level(random.Random(index), 0.0, params)
        levels.append(level)
    return levels


def _level(rng: random.Random, d: float, params: PlatformerParams) -> PlatformerLevel:
    jump = JumpModel.of(params)
    flat_reach = jump.reach(0)
    first_w = lerp_int(380, 220, d)
    platforms: list[Platform] = [(0, 60, first_w)]
    spikes: list[Spike] = []
    enemies: list[Enemy] = []
    gems: list[Point] = []
    if params.gems:
        gems.append((140, 60 + 24))  # on the way: the first gem is found by walking
    top, right = 60, first_w
    for _ in range(lerp_int(5, 15, d)):
        highest = 0.8 * (jump.peak - PEAK_MARGIN)  # never a climb the jump cannot make
        up, down = min(highest, lerp(50, highest, d)), lerp(70, 200, d)
        climb = rng.uniform(-down, up)
        if top < 140:  # zigzag through the whole height of the world, not along the floor
            climb = abs(climb) * up / max(up, down)
        elif top > MAX_TOP - 100:
            climb = -abs(climb)
        new_top = int(max(40, min(MAX_TOP - 20, top + climb)))
        reach = jump.reach(new_top - top)
        gap = int(rng.uniform(lerp(30, 80, d), lerp(0.35, 0.8, d) * reach))
        gap = max(24, min(gap, int(0.85 * reach)))
        w = rng.randint(lerp_int(220, 120, d), lerp_int(320, 220, d))
        x = right + gap
        if x + w > MAX_WIDTH - 200:
            break
        platforms.append((x, new_top, w))
        # Spikes in the middle leave a comfortable foothold (40 px for the feet) on either side.
        widest_spike = min(80, int(0.4 * flat_reach), w - 2 * (40 + PLAYER_W // 2 + MARGIN))
        if d >= 0.2 and widest_spike >= 16 and rng.random() < lerp(0.2, 0.6, d):
            sw = rng.randint(16, widest_spike)
            spikes.append((x + w // 2 - sw // 2, new_top, sw))
        elif params.enemies and d >= 0.4 and w >= 160 and rng.random() < lerp(0.3, 0.7, d):
            enemies.append((x + ENEMY_W, x + w - ENEMY_W, new_top, lerp_int(50, 130, d)))
        if params.gems and rng.random() < 0.7:
            above = int(min(130, jump.peak - 20))
            gems.append((x + w // 2 + rng.randint(-30, 30), new_top + rng.randint(min(50, above), above)))
        top, right = new_top, x + w
    last_x, last_top, last_w = platforms[-1]
    goal = (last_x + last_w - 40, last_top)
    level = PlatformerLevel(
        width=max(MIN_WIDTH, right + 160),
        platforms=platforms,
        spikes=spikes,
        enemies=enemies,
        gems=gems,
        start=(60, 60),
        goal=goal,
        time_limit_s=900,
    )
    route = platformer_route(level, params)
    seconds = route_seconds(route, params) if route else 60.0
    limit = int(min(900, max(20, math.ceil(seconds * lerp(3.5, 1.8, d) + lerp(15, 6, d)))))
    return level.model_copy(update={"time_limit_s": limit})


def tune_params(words: set[str], difficulty: float) -> dict:
    params: dict = {}
    if words & {"fast", "faster", "speedy", "speed", "sonic", "dash"}:
        params["run_speed"] = 320.0
    if words & {"moon", "space", "floaty", "astronaut", "low-gravity", "bouncy"}:
        params["gravity"] = 1600.0
        params["jump_velocity"] = 760.0
    if words & {"kids", "calm", "relaxing", "peaceful", "zen", "toddler", "cute"}:
        params["enemies"] = False
    return params


def preview(spec) -> list[tuple[str, float, float, float]]:
    return [
        ("platform", 0.18, 0.86, 0.34), ("platform", 0.55, 0.64, 0.3), ("platform", 0.86, 0.42, 0.26),
        ("player", 0.14, 0.74, 0.13), ("gem", 0.52, 0.5, 0.09), ("spike", 0.6, 0.59, 0.08),
        ("enemy", 0.22, 0.79, 0.1), ("flag", 0.9, 0.3, 0.15),
    ]  # fmt: skip


def paced_seconds(level: PlatformerLevel, params: PlatformerParams) -> float | None:
    """Level 1's pace (MechanicDefinition.paced_seconds): the validator's route to the flag."""
    route = platformer_route(level, params)
    return route_seconds(route, params) if route else None


MECHANIC = MechanicDefinition(
    slug="platformer",
    name="Platformer",
    description="Run and jump across floating platforms to the goal flag. Spikes, pits and patrolling "
    "enemies cost a life; stomp enemies and grab gems for points.",
    genre="platformer",
    category="action",
    keywords=(
        "platformer",
        "platform",
        "platforms",
        "mario",
        "jump",
        "jumping",
        "hop",
        "hopping",
        "climb",
        "ledge",
        "ledges",
        "spikes",
        "stomp",
        "side-scroller",
        "sidescroller",
        "jump'n'run",
        "island",
        "islands",
        "floating",
        "goomba",
        "jump and run",
        "jump 'n' run",
        "jump n run",
        "super mario",
        "plataformas",
        "plateforme",
        "plattformer",
        "платформер",
    ),  # fmt: skip
    vocabulary=Vocabulary(
        verbs={"collect": 1, "bounce": 0.5, "jump": 2, "enemies": 1, "stomp": 2},
        foreign_words=(
            "plataformas",
            "piattaforme",
            "plateformes",
            "springen",
            "saltar",
            "pular",
            "sauter",
            "платформер",
            "ジャンプ",
            "跳跃",
        ),
        emoji=("🍄",),
    ),  # fmt: skip
    example_prompts=(
        "a fox jumping between floating islands to reach the flag",
        "a retro platformer with spikes and gems",
        "hop across candy platforms and stomp the jelly monsters",
    ),
    Params=PlatformerParams,
    Level=PlatformerLevel,
    generate_levels=generate_levels,
    validate_level=validate_level,
    paced_seconds=paced_seconds,
    bot=BotHints(
        probe=("key", "ArrowRight"),
        probe_watch="x",
        expected_events=(*OPENING_EVENTS, "gem_collected", "level_end"),
        completes_level=True,
        max_seconds=40.0,
    ),
    sprites=(
        SpriteSpec("player", "head", "primary", 40, 52, role="hero"),
        SpriteSpec("platform", "brick", "secondary", 96, 24),
        SpriteSpec("spike", "triangle", "danger", 32, 32, role="hazard"),
        SpriteSpec("enemy", "ghost", "extra1", 40, 36, role="enemy"),
        SpriteSpec("gem", "gem", "accent", 32, 32, role="collectible"),
        SpriteSpec("flag", "flag", "accent", 40, 72, role="goal"),
    ),
    cast_defaults={
        "hero": ("fox",),
        "hazard": ("cactus",),
        "enemy": ("beetle",),
        "collectible": ("gem",),
        "goal": ("flag",),
    },
    audio_cues={"jump": "jump", "gem": "pickup", "stomp": "pickup", "hurt": "hit", "goal": "win"},
    events=(
        EventSpec("gem_collected", "The player picked up a gem.", ("level", "gems")),
        EventSpec("enemy_stomped", "The player jumped on an enemy.", ("level",)),
        EventSpec("player_hurt", "Spikes, an enemy or a fall cost a life.", ("level", "cause")),
    ),
    touch_layouts=("buttons", "dpad"),
    tutorial=(
        "Move with the arrow keys, A/D or the on-screen buttons.",
        "Jump with Space, Up or the round button; hold it to jump higher.",
        "Reach the flag; avoid spikes and pits, stomp enemies from above.",
    ),
    win_text="Reach the flag at the end of every level before time runs out.",
    lose_text="Lose all lives to spikes, enemies, pits or the clock.",
    default_lives=3,
    default_level_count=10,
    tune_params=tune_params,
    title_nouns=("Jumper", "Leap", "Quest", "Heights"),
    preview=preview,
)
