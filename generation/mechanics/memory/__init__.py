"""Memory: flip two cards at a time to find every pair, within the level's turns (and clock).

The validator guarantees a player with perfect memory always wins: such a player needs at
most 2 x pairs - 1 turns whatever the order of the cards (each turn either finds a pair or
shows two new cards, and the last pair never needs a miss), so the turn limit is never below
that, and the clock leaves time for it.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence

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
    lerp,
    lerp_int,
)

# (shape, colour) of each card face; the sprite sheet draws them as face0..face14.
FACES: tuple[tuple[str, str], ...] = (
    ("star", "accent"), ("heart", "danger"), ("diamond", "secondary"), ("circle", "primary"),
    ("triangle", "extra0"), ("gem", "extra1"), ("ring", "extra2"), ("coin", "accent"), ("ghost", "extra3"),
    ("flag", "danger"), ("head", "extra0"), ("square", "secondary"), ("capsule", "extra2"),
    ("star", "extra1"), ("heart", "extra3"),
)  # fmt: skip
MAX_KINDS = len(FACES)
# Grids from small to large: (rows, cols), portrait like the screen.
GRIDS: tuple[tuple[int, int], ...] = ((3, 4), (4, 4), (5, 4), (6, 4), (6, 5))
# A turn shows two cards, and a miss stays visible this long before the cards turn back.
SECONDS_PER_TURN = 1.4


def max_turns_needed(pairs: int) -> int:
    """Turns a player with perfect memory needs at worst to clear `pairs` pairs."""
    return max(1, 2 * pairs - 1)


def seconds_needed(pairs: int, peek_ms: int) -> int:
    return math.ceil(max_turns_needed(pairs) * SECONDS_PER_TURN + peek_ms / 1000) + 5


class MemoryParams(MechanicParams):
    peek: bool = Field(default=True, description="Show every card for a moment when a level starts.")
    combo_bonus: bool = Field(default=True, description="Pairs found in a row score more.")


class MemoryLevel(MechanicLevel):
    rows: int = Field(ge=2, le=6)
    cols: int = Field(ge=2, le=5)
    cards: list[int] = Field(description="The face of each card, row by row; each face exactly twice.")
    move_limit: int | None = Field(default=None, ge=1, le=200, description="Turns (two cards each) allowed.")
    peek_ms: int = Field(default=0, ge=0, le=6000, description="How long every card shows at the start.")
    time_limit_s: int | None = Field(default=None, ge=10, le=900)

    @model_validator(mode="after")
    def _deck(self):
        if len(self.cards) != self.rows * self.cols:
            raise ValueError(f"cards must list {self.rows * self.cols} faces ({self.rows} x {self.cols})")
        if any(not 0 <= face < MAX_KINDS for face in self.cards):
            raise ValueError(f"faces are numbers 0 to {MAX_KINDS - 1}")
        return self

    @property
    def pairs(self) -> int:
        return len(self.cards) // 2


def validate_level(level: MemoryLevel, params: MemoryParams) -> list[str]:
    """Every face exactly twice, a way to lose (turns or clock), and enough of both for perfect memory."""
    problems = []
    if len(level.cards) % 2:
        return ["cards: an even number of cards is needed"]
    odd = sorted(face for face, n in Counter(level.cards).items() if n != 2)
    if odd:
        problems.append(f"cards: faces {odd} do not appear exactly twice")
    if level.move_limit is None and level.time_limit_s is None:
        problems.append("move_limit: a level needs a turn limit, a time limit or both")
    needed = max_turns_needed(level.pairs)
    if level.move_limit is not None and level.move_limit < needed:
        problems.append(f"move_limit: {level.pairs} pairs can need {needed} turns even with perfect memory")
    peek = level.peek_ms if params.peek else 0
    seconds = seconds_needed(level.pairs, peek)
    if level.time_limit_s is not None and level.time_limit_s < seconds:
        problems.append(f"time_limit_s: {level.pairs} pairs need at least {seconds} s")
    return problems


def generate_levels(
    *, rng: random.Random, count: int, difficulty: Sequence[float], params: MemoryParams
) -> list[MemoryLevel]:
    """More cards, shorter peeks, fewer spare turns and a clock as difficulty climbs."""
    levels = []
    for index in range(count):
        d = difficulty[index]
        rows, cols = GRIDS[lerp_int(0, len(GRIDS) - 1, d)]
        pairs = rows * cols // 2
        faces = rng.sample(range(MAX_KINDS), pairs)
        cards = faces + faces
        rng.shuffle(cards)
        needed = max_turns_needed(pairs)
        # Spare turns above perfect memory: generous on easy levels, a few on hard ones.
        move_limit = min(200, needed + lerp_int(pairs + 4, 2, d))
        peek_ms = lerp_int(2500, 0, d / 0.7) if params.peek and d < 0.7 else 0
        time_limit = None
        if d >= 0.35:
            time_limit = max(seconds_needed(pairs, peek_ms), int(move_limit * lerp(2.6, 1.6, d)))
        levels.append(
            MemoryLevel(
                rows=rows,
                cols=cols,
                cards=cards,
                move_limit=move_limit,
                peek_ms=peek_ms,
                time_limit_s=min(900, time_limit) if time_limit else None,
            )  # fmt: skip
        )
    return levels


def tune_params(words: set[str], difficulty: float) -> dict:
    params: dict = {}
    if words & {"hard", "expert", "no-peek", "blind", "challenging"}:
        params["peek"] = False
    return params


def preview(spec) -> list[tuple[str, float, float, float]]:
    level = spec.levels[0]
    rows, cols = min(level.rows, 4), min(level.cols, 4)
    cell = 0.9 / max(rows, cols)
    items = []
    for r in range(rows):
        for c in range(cols):
            i = r * level.cols + c
            x, y = 0.05 + (c + 0.5) * cell, 0.05 + (r + 0.5) * cell
            if (r + c) % 3 == 0:
                items.append(("front", x, y, cell * 0.9))
                items.append((f"face{level.cards[i]}", x, y, cell * 0.6))
            else:
                items.append(("back", x, y, cell * 0.9))
    return items


MECHANIC = MechanicDefinition(
    slug="memory",
    name="Memory",
    description="Flip two cards at a time to find matching pairs. Remember where each picture hides and "
    "clear the board before the turns (or the clock) run out.",
    genre="puzzle",
    category="casual",
    keywords=(
        "memory",
        "memorize",
        "memorise",
        "remember",
        "recall",
        "concentration",
        "pairs",
        "pair",
        "cards",
        "card",
        "flip",
        "flipping",
        "pexeso",
        "twins",
        "matching",
        "memoria",
        "mémoire",
        "gedächtnis",
        "memória",
        "память",
        "記憶",
        "翻牌",
    ),  # fmt: skip
    vocabulary=Vocabulary(
        verbs={"match": 1.5, "matching": 1.5, "find": 1, "remember": 3},
        foreign_words=(
            "cartas",
            "cartes",
            "karten",
            "kaarten",
            "karty",
            "memoria",
            "mémoire",
            "gedächtnis",
            "память",
            "карточк",
            "神経衰弱",
            "记忆",
            "ذاكرة",
        ),
        emoji=("🃏", "🧠"),
    ),  # fmt: skip
    example_prompts=(
        "a memory card game with cute animals",
        "flip cards and find the pairs before time runs out",
        "a spooky concentration game with pumpkins",
    ),
    Params=MemoryParams,
    Level=MemoryLevel,
    generate_levels=generate_levels,
    validate_level=validate_level,
    bot=BotHints(
        probe=("key", "ArrowRight"),
        probe_watch="cursor",
        expected_events=(*OPENING_EVENTS, "pair_found", "level_end"),
        completes_level=True,
        max_seconds=40.0,
    ),
    sprites=(
        SpriteSpec("back", "rounded", "primary", 64, 80),
        SpriteSpec("front", "rounded", "text", 64, 80),
        SpriteSpec("cursor", "ring", "accent"),
        *(SpriteSpec(f"face{i}", shape, color, role="tile") for i, (shape, color) in enumerate(FACES)),  # type: ignore[arg-type]
    ),
    cast_defaults={
        "tile": (
            "dog",
            "cat",
            "rabbit",
            "fox",
            "bear",
            "panda",
            "frog",
            "lion",
            "tiger",
            "koala",
            "monkey",
            "pig",
            "cow",
            "owl",
            "penguin",
        )
    },
    audio_cues={"flip": "jump", "pair": "pickup", "miss": "hit", "combo": "win"},
    events=(
        EventSpec("pair_found", "Two matching cards were turned up.", ("level", "combo", "left")),
        EventSpec("pair_missed", "Two different cards were turned up.", ("level", "turns_left")),
        EventSpec("out_of_moves", "The turns ran out before every pair was found.", ("level", "left")),
    ),
    touch_layouts=("tap",),
    tutorial=(
        "Tap two cards to turn them over; a matching pair stays up.",
        "Keyboard: arrows move the cursor, Space or Enter flips.",
        "Find every pair before the turns (or the clock) run out.",
    ),
    win_text="Find every pair within the turns (and the time).",
    lose_text="Run out of turns or time before every pair is found.",
    default_lives=3,
    default_level_count=8,
    tune_params=tune_params,
    title_nouns=("Memory", "Pairs", "Cards", "Match-Up"),
    preview=preview,
    multiplayer_modes=(
        MultiplayerMode(
            "duel",
            min_players=2,
            max_players=4,
            turn_based=True,
            description="Turns on one board: a found pair scores and plays again, a miss passes the turn. "
            "Most pairs wins.",
        ),
    ),
)
