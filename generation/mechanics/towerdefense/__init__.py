"""Tower defense: enemies march down a winding path in waves; tap the ground beside it to build
towers that shoot them. Kills pay gold for more towers; every enemy that reaches the end costs a
life. Hold every wave to win the level.

The board is COLS x ROWS cells; `path` is a list of [col, row] cells, neighbours one after the
other, from the top row to the bottom row. Enemies walk it at their wave's speed (cells per
second); a tower hits the enemy furthest along within `tower_range` cells (centre to centre) for
`tower_damage`, then waits `tower_interval_ms`. Nothing is left to chance while playing: the waves'
timetable is fixed by the level (`spawn_times`).

Solvable: `defend` plays the level in fixed steps with a plain strategy (whenever the gold allows,
build on the free cell that covers the most path) and must let no enemy through. The playtest bot
builds by the same rule (`best_cell`).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

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

COLS, ROWS = 9, 12
SIM_DT = 1 / 30
MAX_ENEMIES = 300


class TowerDefenseParams(MechanicParams):
    tower_cost: int = Field(default=50, ge=10, le=500, description="Gold per tower.")
    tower_range: float = Field(default=1.6, ge=1.0, le=4.0, description="Reach in cells, centre to centre.")
    tower_damage: int = Field(default=1, ge=1, le=10)
    tower_interval_ms: int = Field(default=450, ge=100, le=3000, description="Time between a tower's shots.")
    bounty: int = Field(default=5, ge=0, le=100, description="Gold per enemy stopped.")


class TowerDefenseLevel(MechanicLevel):
    path: list[list[int]] = Field(min_length=ROWS, max_length=COLS * ROWS, description="[col, row] cells.")
    gold: int = Field(ge=0, le=5000, description="Gold to build with at the start.")
    waves: list[list[float]] = Field(min_length=1, max_length=20, description="[count, hp, speed, gap_ms].")
    prep_s: float = Field(default=3.0, ge=0.0, le=30.0, description="Seconds to build before the first wave.")
    wave_gap_s: float = Field(default=3.0, ge=0.0, le=60.0, description="Seconds between waves.")
    time_limit_s: int | None = Field(default=None, ge=10, le=900)

    @field_validator("waves")
    @classmethod
    def _waves(cls, waves: list[list[float]]) -> list[list[float]]:
        total = 0
        for wave in waves:
            if len(wave) != 4:
                raise ValueError("each wave is [count, hp, speed, gap_ms]")
            count, hp, speed, gap = wave
            if not (1 <= count <= 60 and count == int(count) and 1 <= hp <= 100 and 0.2 <= speed <= 5
                    and 100 <= gap <= 10_000):  # fmt: skip
                raise ValueError("a wave has 1-60 enemies of 1-100 hp at 0.2-5 cells/s, 100-10000 ms apart")
            total += int(count)
        if total > MAX_ENEMIES:
            raise ValueError(f"at most {MAX_ENEMIES} enemies a level")
        return waves

    @field_validator("path")
    @classmethod
    def _path(cls, path: list[list[int]]) -> list[list[int]]:
        for cell in path:
            if len(cell) != 2 or not (0 <= cell[0] < COLS and 0 <= cell[1] < ROWS):
                raise ValueError(f"each path cell is [col, row] on the {COLS} x {ROWS} board")
        return path


def spawn_times(level: TowerDefenseLevel) -> list[tuple[float, int, float]]:
    """(time, hp, speed) of every enemy, in order: the waves' timetable."""
    out = []
    t = level.prep_s
    for count, hp, speed, gap in level.waves:
        for k in range(int(count)):
            out.append((t + k * gap / 1000, int(hp), speed))
        t += (int(count) - 1) * gap / 1000 + level.wave_gap_s
    return out


def path_problems(level: TowerDefenseLevel) -> list[str]:
    path = [tuple(cell) for cell in level.path]
    if len(set(path)) != len(path):
        return ["path: a cell is visited twice"]
    if path[0][1] != 0 or path[-1][1] != ROWS - 1:
        return ["path: it must run from the top row to the bottom row"]
    for (c0, r0), (c1, r1) in zip(path, path[1:], strict=False):
        if abs(c0 - c1) + abs(r0 - r1) != 1:
            return ["path: each cell must touch the one before it"]
    return []


def coverage(path: Sequence[Sequence[int]], col: int, row: int, reach: float) -> int:
    return sum(1 for c, r in path if (c - col) ** 2 + (r - row) ** 2 <= reach * reach)


def best_cell(
    path: Sequence[Sequence[int]], towers: set[tuple[int, int]], reach: float
) -> tuple[int, int] | None:
    """The free cell off the path that covers the most path cells (then the highest, leftmost)."""
    on_path = {(c, r) for c, r in path}
    free = [
        (c, r) for r in range(ROWS) for c in range(COLS) if (c, r) not in on_path and (c, r) not in towers
    ]
    if not free:
        return None
    return max(free, key=lambda cell: (coverage(path, cell[0], cell[1], reach), -cell[1], -cell[0]))


@dataclass
class _Enemy:
    hp: int
    speed: float
    progress: float = 0.0


@dataclass
class Defence:
    leaks: int
    towers: list[tuple[int, int]] = field(default_factory=list)
    stopped: int = 0
    seconds: float = 0.0  # when the last enemy was stopped or leaked


def position(path: Sequence[Sequence[int]], progress: float) -> tuple[float, float]:
    """An enemy's (col, row) in cells, `progress` cells along the path."""
    i = min(int(progress), len(path) - 2)
    f = progress - i
    (c0, r0), (c1, r1) = path[i], path[i + 1]
    return c0 + (c1 - c0) * f, r0 + (r1 - r0) * f


def defend(level: TowerDefenseLevel, params: TowerDefenseParams) -> Defence:
    """Plays the level in fixed steps, building greedily (`best_cell`) whenever the gold allows."""
    path = level.path
    end = len(path) - 1
    timetable = spawn_times(level)
    gold = level.gold
    towers: dict[tuple[int, int], float] = {}  # cell -> cooldown (s)
    enemies: list[_Enemy] = []
    result = Defence(leaks=0)
    spawned, clock = 0, 0.0
    reach2 = params.tower_range**2
    while spawned < len(timetable) or enemies:
        while gold >= params.tower_cost:
            cell = best_cell(path, set(towers), params.tower_range)
            if cell is None:
                break
            towers[cell] = 0.0
            result.towers.append(cell)
            gold -= params.tower_cost
        clock += SIM_DT
        while spawned < len(timetable) and timetable[spawned][0] <= clock:
            enemies.append(_Enemy(timetable[spawned][1], timetable[spawned][2]))
            spawned += 1
        for enemy in enemies:
            enemy.progress += enemy.speed * SIM_DT
        for enemy in [e for e in enemies if e.progress >= end]:
            enemies.remove(enemy)
            result.leaks += 1
        for cell, cooldown in towers.items():
            cooldown = max(0.0, cooldown - SIM_DT)
            towers[cell] = cooldown
            if cooldown > 0:
                continue
            in_range = [e for e in enemies if _dist2(position(path, e.progress), cell) <= reach2]
            if not in_range:
                continue
            target = max(in_range, key=lambda e: e.progress)
            target.hp -= params.tower_damage
            towers[cell] = params.tower_interval_ms / 1000
            if target.hp <= 0:
                enemies.remove(target)
                gold += params.bounty
                result.stopped += 1
    result.seconds = clock
    return result


def _dist2(at: tuple[float, float], cell: tuple[int, int]) -> float:
    return (at[0] - cell[0]) ** 2 + (at[1] - cell[1]) ** 2


def validate_level(level: TowerDefenseLevel, params: TowerDefenseParams) -> list[str]:
    problems = path_problems(level)
    if problems:
        return problems
    if level.gold < params.tower_cost:
        return ["gold: not enough to build a single tower"]
    leaks = defend(level, params).leaks
    if leaks:
        return [f"waves: even a steady defence lets {leaks} enemies through"]
    return []


# --- the generator ------------------------------------------------------------------------------


def _path(rng: random.Random, winding: float) -> list[list[int]]:
    col = rng.randrange(1, COLS - 1)
    path = [[col, 0]]
    for row in range(1, ROWS):
        path.append([col, row])
        if row < ROWS - 1 and rng.random() < winding:
            target = rng.randrange(COLS)
            step = 1 if target > col else -1
            while col != target:
                col += step
                path.append([col, row])
    return path


def _level(rng: random.Random, d: float) -> TowerDefenseLevel:
    waves = []
    for w in range(lerp_int(2, 6, d)):
        waves.append(
            [
                lerp_int(5, 14, d) + w,
                lerp_int(1, 4, d) + w // 2,
                round(lerp(1.3, 2.0, d), 2),
                lerp_int(900, 550, d),
            ]
        )
    return TowerDefenseLevel(path=_path(rng, lerp(0.6, 0.3, d)), gold=lerp_int(160, 110, d), waves=waves)


def generate_levels(
    *, rng: random.Random, count: int, difficulty: Sequence[float], params: TowerDefenseParams
) -> list[TowerDefenseLevel]:
    """More and tougher waves, quicker enemies, straighter paths and less gold as difficulty climbs;
    each level held by the steady defence."""
    levels = []
    for index in range(count):
        d = min(difficulty[index], 0.05) if index == 0 else difficulty[index]
        level = _level(rng, d)
        for attempt in range(16):
            if not validate_level(level, params):
                break
            level = _level(rng, max(0.0, d - (attempt // 2 + 1) * 0.08))
        else:
            level = level.model_copy(
                update={"gold": max(level.gold, params.tower_cost * 12), "waves": [[4, 1, 0.6, 1500]]}
            )
        levels.append(level)
    return levels


def tune_params(words: set[str], difficulty: float) -> dict:
    params: dict = {}
    if words & {"rich", "easy", "kids", "relaxing", "casual"}:
        params["bounty"] = 8
    if words & {"hardcore", "expert", "brutal"}:
        params["bounty"] = 3
    return params


def preview(spec) -> list[tuple[str, float, float, float]]:
    level = spec.levels[0]
    items = [("path", 0.05 + (c + 0.5) * 0.1, 0.05 + (r + 0.5) * 0.075, 0.1) for c, r in level.path]
    items += [
        ("tower", 0.3, 0.4, 0.1),
        ("tower", 0.6, 0.6, 0.1),
        ("enemy", 0.05 + (level.path[3][0] + 0.5) * 0.1, 0.3, 0.08),
    ]
    return items


def paced_seconds(level: TowerDefenseLevel, params: TowerDefenseParams) -> float:
    """Level 1's pace (MechanicDefinition.paced_seconds): the validator's defence, to its last enemy."""
    return defend(level, params).seconds


MECHANIC = MechanicDefinition(
    slug="towerdefense",
    name="Tower defense",
    description="Enemies march down a winding path in waves: build towers beside it to stop them. "
    "Kills pay for more towers; every enemy that gets through costs a life.",
    genre="strategy",
    category="strategy",
    keywords=(
        "tower defense",
        "tower defence",
        "towers",
        "defend",
        "defense",
        "defence",
        "waves",
        "invasion",
        "protect",
        "castle",
        "siege",
        "turret",
        "turrets",
        "horde",
    ),  # fmt: skip
    vocabulary=Vocabulary(
        verbs={"defend": 3, "protect": 2, "guard": 2, "invade": 1.5, "build": 0.5, "hold": 1},
        foreign_words=(
            "defensa de torres",
            "torres",
            "défense",
            "tours",
            "verteidigung",
            "türme",
            "difesa",
            "torri",
            "defesa",
            "оборона",
            "башни",
            "タワーディフェンス",
            "塔防",
            "防御",
        ),
        emoji=("🏰", "🛡"),
    ),  # fmt: skip
    example_prompts=(
        "a tower defense game against zombies",
        "defend the castle from waves of goblins",
        "build turrets to stop the alien invasion",
    ),
    Params=TowerDefenseParams,
    Level=TowerDefenseLevel,
    generate_levels=generate_levels,
    validate_level=validate_level,
    paced_seconds=paced_seconds,
    bot=BotHints(
        probe=("click", "center"),
        probe_watch="towers",
        expected_events=(*OPENING_EVENTS, "tower_built", "enemy_stopped"),
        completes_level=True,
        max_seconds=45.0,
    ),
    sprites=(
        SpriteSpec("tower", "square", "primary", 48, 48, role="hero"),
        SpriteSpec("enemy", "ghost", "danger", 48, 48, role="enemy"),
        SpriteSpec("shot", "circle", "accent", 16, 16, role="projectile"),
        SpriteSpec("base", "flag", "secondary", 48, 48, role="goal"),
        SpriteSpec("path", "floor", "secondary", 48, 48),
        SpriteSpec("ground", "floor", "surface", 48, 48),
    ),
    audio_cues={"build": "pickup", "stop": "jump", "leak": "hit"},
    events=(
        EventSpec("tower_built", "The player built a tower.", ("level", "towers", "gold")),
        EventSpec("enemy_stopped", "A tower stopped an enemy.", ("level", "stopped")),
        EventSpec("enemy_leaked", "An enemy reached the end of the path.", ("level", "lives")),
    ),
    touch_layouts=("tap",),
    tutorial=(
        "Enemies march down the path in waves.",
        "Tap or click the ground beside the path to build a tower (it costs gold).",
        "Stopped enemies pay gold; each one that gets through costs a life.",
    ),
    win_text="Hold every wave of every level.",
    lose_text="Lose all lives to enemies that get through.",
    default_lives=5,
    default_level_count=8,
    tune_params=tune_params,
    title_nouns=("Defense", "Towers", "Siege", "Bastion"),
    preview=preview,
    cast_defaults={"hero": ("tower",), "enemy": ("goblin",), "projectile": ("arrow",), "goal": ("castle",)},
)
