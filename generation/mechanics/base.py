"""The contract every mechanic fulfils (see README.md in this folder).

A mechanic is one package, `generation/mechanics/<slug>/`: its `__init__.py` exposes `MECHANIC`, a
`MechanicDefinition`; beside it are the Phaser scene (`scene.js`), the Flame template
(`flame.dart`) and, optionally, the playtest bot (`bot.py`).
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal, TypeVar

from pydantic import BaseModel, ConfigDict

MECHANICS_DIR = Path(__file__).resolve().parent
# The files of a mechanic's package, beside its __init__.py.
SCENE_FILE = "scene.js"
FLAME_FILE = "flame.dart"
BOT_FILE = "bot.py"

Category = Literal["puzzle", "action", "arcade", "casual", "educational", "rhythm", "word", "strategy"]
CATEGORIES: tuple[str, ...] = Category.__args__  # type: ignore[attr-defined]

# The five synthesised sound effects every bundle carries (assets/sfx/<name>.wav).
Sound = Literal["jump", "pickup", "hit", "win", "lose"]
SOUNDS: tuple[str, ...] = Sound.__args__  # type: ignore[attr-defined]

# The runtime's own events, in the order every game sends them before the mechanic's: a playtest
# bot's `expected_events` start with these.
OPENING_EVENTS: tuple[str, ...] = (
    "session_start",
    "tutorial_begin",
    "tutorial_complete",
    "level_start",
    "score",
)

# How a touch screen drives the mechanic; the runtime draws the matching on-screen controls.
TouchLayout = Literal["dpad", "swipe", "drag", "tap", "buttons"]

# Shapes the asset generator can draw for a sprite frame (generation/assets.py).
SpriteShape = Literal[
    "circle", "square", "rounded", "diamond", "star", "heart", "gem", "ring",
    "triangle", "capsule", "brick", "head", "ghost", "flag", "coin", "wall", "floor",
]  # fmt: skip
# Which palette colour fills a sprite frame.
ColorRole = Literal["background", "primary", "secondary", "accent", "danger", "surface", "text", "extra0", "extra1",
                    "extra2", "extra3", "extra4", "extra5"]  # fmt: skip


class StrictModel(BaseModel):
    """Base of every spec model: unknown fields are refused, nothing is coerced from the wrong kind."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, validate_default=True)


class MechanicParams(StrictModel):
    """Base of a mechanic's tunable parameters. Every field must have a default."""


class MechanicLevel(StrictModel):
    """Base of a mechanic's level data (one item of `GameSpec.levels`)."""

    # Levels may carry their own time limit; the runtime counts it down and fails the level at zero.
    time_limit_field: ClassVar[str] = "time_limit_s"


# The parts a mechanic draws that a prompt can name (GameSpec.cast): the player's character, what
# it collects, what hurts it, who chases it, where it goes, what it fires, the pieces of a board,
# and scenery.
Role = Literal["hero", "collectible", "hazard", "enemy", "goal", "projectile", "tile", "prop"]
ROLES: tuple[str, ...] = Role.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class SpriteSpec:
    """One frame of the game's sprite sheet: drawn by assets.py, used by the scene by `name`.

    A frame with a `role` depicts the cast member of that role (GameSpec.cast): the asset builder
    draws that subject's artwork into it instead of the shape. Several frames with the same role
    (match-3's tiles) take the cast's members of that role in order. `shape` and `color` remain
    the fallback and the style for frames without a role (walls, floors, HUD pieces).
    """

    name: str
    shape: SpriteShape
    color: ColorRole = "primary"
    width: int = 48
    height: int = 48
    role: Role | None = None


@dataclass(frozen=True)
class EventSpec:
    """An analytics event a mechanic emits itself (on top of the runtime's standard events)."""

    name: str
    description: str
    params: tuple[str, ...] = ()


@dataclass(frozen=True)
class BotHints:
    """What the playtest needs to play this mechanic (generation/playtest.py).

    The player is the package's own bot (`BOT` in `bot.py`), or the generic bot, which plays any
    mechanic a little, when the package has none. `probe` is the generic bot's first input, which
    must change `probe_watch` in the mechanic's observation (`GF_DEBUG.observe()`): ("key",
    "ArrowUp") or ("click", "center"); an own bot overrides `probe`. `expected_events` must all
    be seen; `completes_level` says the bot is expected to finish level 1 (the playtest then fails
    when it does not).
    """

    probe: tuple[str, str]
    probe_watch: str | None = None
    expected_events: tuple[str, ...] = ()
    completes_level: bool = True
    max_seconds: float = 20.0


@dataclass(frozen=True)
class Vocabulary:
    """Words of a prompt that point the local designer at this mechanic, besides its `keywords`.

    - `verbs`: English words of play -> the weight each adds to the mechanic's score ("eat" -> 2.5
      for snake). A word counts as the prompt has it or as the designer reduces it ("candies" ->
      "candy", "flying" -> "fly"); several mechanics may share a word with different weights.
    - `foreign_words`: the game in other languages, and its other names ("serpiente", "змейка",
      "2048"): each counts like a keyword. Words in non-Latin scripts also match inside longer
      words (Chinese and Japanese write no spaces).
    - `emoji`: emoji that describe the game ("🐍"): each counts like a keyword.
    """

    verbs: Mapping[str, float] = field(default_factory=dict)
    foreign_words: tuple[str, ...] = ()
    emoji: tuple[str, ...] = ()


@dataclass(frozen=True)
class MultiplayerMode:
    """A way two or more players play this mechanic together over `/ws/multiplayer/<id>`.

    `name`: "versus" (pong), "battle" (snake on one board), "race" (each ghost shown), "duel"
    (turn-based quiz or memory). The session's `max_players` may not exceed `max_players`; with
    `turn_based`, the server refuses a move out of turn. `authority` says who decides the outcome:
    "host" (the host's game reports it) or "server" (the mechanic's rules on the server).
    """

    name: str
    min_players: int = 2
    max_players: int = 2
    turn_based: bool = False
    authority: Literal["host", "server"] = "host"
    description: str = ""


@dataclass(frozen=True)
class MechanicDefinition:
    """Everything the platform knows about one mechanic, in code (the DB row is synced from it)."""

    slug: str
    name: str
    description: str
    genre: str
    category: Category
    keywords: tuple[str, ...]
    example_prompts: tuple[str, ...]
    Params: type[MechanicParams]
    Level: type[MechanicLevel]
    generate_levels: Callable[..., list[MechanicLevel]]
    validate_level: Callable[[Any, Any], list[str]]
    bot: BotHints
    sprites: tuple[SpriteSpec, ...]
    audio_cues: dict[str, Sound]
    events: tuple[EventSpec, ...] = ()
    # Touch layouts the scene supports; the first is the default.
    touch_layouts: tuple[TouchLayout, ...] = ("dpad",)
    tutorial: tuple[str, ...] = ()
    win_text: str = ""
    lose_text: str = ""
    default_lives: int = 3
    default_level_count: int = 10
    # Words of the prompt -> parameter overrides (e.g. "faster" -> speed_up); see designer.py.
    tune_params: Callable[[set[str], float], dict[str, Any]] | None = None
    # Nouns used by the designer to build titles ("Snake", "Serpent").
    title_nouns: tuple[str, ...] = ()
    # For thumbnails: spec -> [(sprite name, x 0..1, y 0..1, size as a share of the panel)].
    preview: Callable[[Any], list[tuple[str, float, float, float]]] | None = None
    # How the local designer recognises the mechanic beyond `keywords` (providers/local.py).
    vocabulary: Vocabulary = field(default_factory=Vocabulary)
    # What each role depicts when the prompt names nothing for it: English singular nouns, one per
    # frame of that role in order, e.g. {"hero": ("snake",), "collectible": ("apple",)} or five
    # fruits for match-3's tiles.
    cast_defaults: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # The modes in which several players play it together; the first is the default. Empty: solo only.
    multiplayer_modes: tuple[MultiplayerMode, ...] = ()
    # (level, params) -> the seconds a good player takes to finish the level at the pace the level
    # sets (the clock to survive, the road at its speed, the landings a win needs), or None where
    # the player's own speed sets it. The factory's priorities use level 1's for a mechanic the
    # install has no testing times of (batches/execution.py).
    paced_seconds: Callable[[Any, Any], float | None] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def package_dir(self) -> Path:
        """`generation/mechanics/<slug>/`: everything of this mechanic lives there."""
        return MECHANICS_DIR / self.slug

    @property
    def js_path(self) -> Path:
        """The Phaser scene, shipped in every bundle as `mechanics/<slug>.js`."""
        return self.package_dir / SCENE_FILE

    @property
    def dart_template_path(self) -> Path:
        """The Flame template, rendered into the mobile project as `lib/mechanics/<slug>.dart`."""
        return self.package_dir / FLAME_FILE

    @property
    def bot_path(self) -> Path:
        """The playtest bot (`BOT`, a `playtest.Bot`); without one the generic bot plays."""
        return self.package_dir / BOT_FILE

    def levels_for(
        self, *, rng: random.Random, difficulty: Sequence[float], params: MechanicParams
    ) -> list[MechanicLevel]:
        """Generate one level per difficulty value and check each with the validator."""
        levels = self.generate_levels(rng=rng, count=len(difficulty), difficulty=difficulty, params=params)
        for index, level in enumerate(levels):
            problems = self.validate_level(level, params)
            if problems:  # a generator bug, never the user's fault
                raise RuntimeError(f"{self.slug}: generated level {index} is invalid: {problems}")
        return levels


# --- helpers shared by generators --------------------------------------------------------------

LevelT = TypeVar("LevelT", bound=MechanicLevel)


def first_valid_level(
    candidates: Iterable[LevelT], *, validate: Callable[[LevelT, Any], list[str]], params: MechanicParams
) -> LevelT | None:
    """The first candidate the validator accepts, or None. Candidates are drawn one at a time, so a
    lazy iterable spends the generator's randomness only on the attempts actually made."""
    for candidate in candidates:
        if not validate(candidate, params):
            return candidate
    return None


# --- helpers shared by grid mechanics -----------------------------------------------------------


def grid_rows_checked(
    rows: list[str], *, min_width: int, max_width: int, chars: set[str], chars_text: str, unit: str = "cells"
) -> list[str]:
    """The body of a grid field's validator: every row as wide as the first, in range, known characters only."""
    width = len(rows[0])
    if not min_width <= width <= max_width:
        raise ValueError(f"rows must be {min_width} to {max_width} {unit} wide")
    for row in rows:
        if len(row) != width:
            raise ValueError("every row must have the same width")
        if set(row) - chars:
            raise ValueError(chars_text)
    return rows


def grid_find(grid: Sequence[Sequence[str]], char: str) -> list[tuple[int, int]]:
    """Every (x, y) of a grid of characters holding `char`, row by row."""
    return [(x, y) for y, row in enumerate(grid) for x, ch in enumerate(row) if ch == char]


def grid_preview(
    grid: Sequence[str], names: dict[str, str], *, side: int
) -> list[tuple[str, float, float, float]]:
    """Thumbnail items for the top-left `side` x `side` cells of a grid: one sprite per named character."""
    rows = grid[: min(len(grid), side)]
    cols = min(len(grid[0]), side)
    cell = 0.9 / max(len(rows), cols)
    items = []
    for y, row in enumerate(rows):
        for x, ch in enumerate(row[:cols]):
            name = names.get(ch)
            if name:
                items.append((name, 0.05 + (x + 0.5) * cell, 0.05 + (y + 0.5) * cell, cell))
    return items


def grid_neighbours(x: int, y: int, width: int, height: int) -> Iterable[tuple[int, int]]:
    for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
        nx, ny = x + dx, y + dy
        if 0 <= nx < width and 0 <= ny < height:
            yield nx, ny


def grid_bfs(
    *,
    width: int,
    height: int,
    start: tuple[int, int],
    passable: Callable[[int, int], bool],
) -> dict[tuple[int, int], int]:
    """Breadth-first distances from `start` over 4-connected passable cells."""
    if not passable(*start):
        return {}
    dist = {start: 0}
    queue = deque([start])
    while queue:
        x, y = queue.popleft()
        for n in grid_neighbours(x, y, width, height):
            if n not in dist and passable(*n):
                dist[n] = dist[(x, y)] + 1
                queue.append(n)
    return dist


def lerp(a: float, b: float, t: float) -> float:
    return a + (b - a) * t


def lerp_int(a: int, b: int, t: float) -> int:
    return int(round(a + (b - a) * max(0.0, min(1.0, t))))
