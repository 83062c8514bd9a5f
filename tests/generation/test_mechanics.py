"""The mechanics library: the registry, each mechanic's contract, generators and validators."""

import random
import re

import pytest

from generation.mechanics import mechanic_get, mechanic_registry
from generation.mechanics.base import CATEGORIES, MECHANICS_DIR, SOUNDS
from generation.mechanics.breakout import BreakoutLevel
from generation.mechanics.match3 import Match3Level, find_matches, parse_board, possible_swaps
from generation.mechanics.maze import MazeLevel, shortest_path_length
from generation.mechanics.snake import SnakeLevel
from generation.playtest import Bot, mechanic_bot
from generation.selectors import level_paced_seconds
from generation.spec import spec_validate
from tests.generation.specs import mechanic_slugs, spec_data

EVENT_RE = re.compile(r"^[a-z][a-z0-9_]*$")


def test_registry_finds_the_core_mechanics():
    assert {"snake", "breakout", "maze", "match3"} <= set(mechanic_registry())
    assert mechanic_get("nope") is None
    assert mechanic_get(None) is None


@pytest.mark.parametrize("slug", mechanic_slugs())
def test_mechanic_fulfils_the_contract(slug):
    # given a mechanic found by the registry
    d = mechanic_registry()[slug]
    # then its package holds its scene and Flame template, and its declarations are usable
    assert d.package_dir == MECHANICS_DIR / slug
    assert d.js_path.is_file(), d.js_path
    assert f'GF.registerMechanic("{slug}"' in d.js_path.read_text()
    assert d.dart_template_path.is_file(), d.dart_template_path
    assert d.category in CATEGORIES
    assert d.keywords and d.example_prompts and d.tutorial
    d.Params()  # every parameter has a default
    names = [s.name for s in d.sprites]
    assert len(names) == len(set(names))
    assert set(d.audio_cues.values()) <= set(SOUNDS)
    assert all(EVENT_RE.match(e.name) for e in d.events)
    assert issubclass(mechanic_bot(slug), Bot)
    assert d.touch_layouts


@pytest.mark.parametrize("slug", mechanic_slugs())
def test_level_generator_is_seeded_and_valid(slug):
    # given the generator run twice with the same seed, once with another
    d = mechanic_registry()[slug]
    curve = [i / 9 for i in range(10)]
    first = d.levels_for(rng=random.Random(5), difficulty=curve, params=d.Params())
    second = d.levels_for(rng=random.Random(5), difficulty=curve, params=d.Params())
    other = d.levels_for(rng=random.Random(6), difficulty=curve, params=d.Params())
    # then the same seed gives the same levels, another seed others, all accepted by the validator
    dump = [level.model_dump() for level in first]
    assert dump == [level.model_dump() for level in second]
    assert dump != [level.model_dump() for level in other]
    assert all(d.validate_level(level, d.Params()) == [] for level in first)


@pytest.mark.parametrize("slug", [s for s in mechanic_slugs() if mechanic_registry()[s].paced_seconds])
def test_a_paced_mechanic_says_how_long_its_levels_play(slug):
    # given every generated level of a mechanic that declares its pace
    d = mechanic_registry()[slug]
    curve = [i / 9 for i in range(10)]
    for seed in (2, 3):
        for level in d.levels_for(rng=random.Random(seed), difficulty=curve, params=d.Params()):
            seconds = d.paced_seconds(level, d.Params())
            # then it is a time within the level's clock (every paced mechanic's level is winnable)
            assert seconds is not None and 0 < seconds <= 900
            limit = getattr(level, "time_limit_s", None)
            assert limit is None or seconds <= limit


def test_level_paced_seconds_reads_level_one_of_a_spec():
    spec = spec_validate(spec_data("dodger"))
    assert level_paced_seconds(spec) == float(spec.levels[0].time_limit_s)
    assert level_paced_seconds(spec_validate(spec_data("maze"))) is None


@pytest.mark.parametrize("slug", mechanic_slugs())
def test_harder_levels_differ_from_easy_ones(slug):
    d = mechanic_registry()[slug]
    easy = d.levels_for(rng=random.Random(1), difficulty=[0.0] * 3, params=d.Params())
    hard = d.levels_for(rng=random.Random(1), difficulty=[1.0] * 3, params=d.Params())
    assert [lv.model_dump() for lv in easy] != [lv.model_dump() for lv in hard]


def test_snake_gets_bigger_faster_and_longer_with_difficulty():
    d = mechanic_get("snake")
    easy, hard = d.levels_for(rng=random.Random(2), difficulty=[0.0, 1.0], params=d.Params())
    assert hard.width * hard.height > easy.width * easy.height
    assert hard.speed > easy.speed and hard.target > easy.target
    assert not easy.walls and hard.walls


def test_maze_gets_longer_and_tighter_with_difficulty():
    d = mechanic_get("maze")
    easy, hard = d.levels_for(rng=random.Random(2), difficulty=[0.0, 1.0], params=d.Params())
    assert shortest_path_length(hard.grid) > shortest_path_length(easy.grid)
    assert "g" in "".join(hard.grid) and "g" not in "".join(easy.grid)


# --- validators refuse what cannot be played ----------------------------------------------------------


def test_maze_validator_finds_unreachable_exit_and_coin():
    d = mechanic_get("maze")
    walled = MazeLevel(grid=["#######", "#S..#E#", "#####.#", "#o....#", "#######"], time_limit_s=60)
    assert d.validate_level(walled, d.Params()) == ["grid: the exit cannot be reached from the start"]
    lonely_coin = MazeLevel(grid=["#######", "#S...E#", "#######", "#o....#", "#######"], time_limit_s=60)
    assert "grid: a coin cannot be reached from the start" in d.validate_level(lonely_coin, d.Params())


def test_maze_validator_needs_one_start_one_exit_and_enough_time():
    d = mechanic_get("maze")
    two_exits = MazeLevel(grid=["#####", "#S.E#", "#..E#", "#...#", "#####"], time_limit_s=30)
    assert "exactly one exit" in d.validate_level(two_exits, d.Params())[0]
    # a serpentine corridor: about 600 steps from S to E
    rows = ["#" * 41]
    for i in range(19):
        rows.append("#" + "." * 39 + "#")
        gap = 39 if i % 2 == 0 else 1
        rows.append("".join("." if x == gap else "#" for x in range(41)))
    rows[-1] = "#" * 41
    rows[1] = "#S" + rows[1][2:]
    rows[-2] = rows[-2][:-2] + "E#"
    rushed = MazeLevel(grid=rows, time_limit_s=20)
    assert shortest_path_length(rows) > 500
    assert any("time_limit_s" in p for p in d.validate_level(rushed, d.Params()))
    ghost_at_door = MazeLevel(grid=["#######", "#Sg..E#", "#######", "#.....#", "#######"], time_limit_s=30)
    assert any("ghost" in p for p in d.validate_level(ghost_at_door, d.Params()))


def test_snake_validator_finds_unreachable_cells_and_unsafe_starts():
    d = mechanic_get("snake")
    # a wall cutting the board in two
    wall = [(5, y) for y in range(10)]
    cut = SnakeLevel(width=10, height=10, speed=6, target=3, start=(2, 5), walls=wall)
    assert any("cannot be reached" in p for p in d.validate_level(cut, d.Params()))
    # a wall right in front of the snake
    blocked = SnakeLevel(width=10, height=10, speed=6, target=3, start=(3, 5), walls=[(4, 5)])
    assert any(p.startswith("start:") for p in d.validate_level(blocked, d.Params()))
    # a target the board cannot hold
    greedy = SnakeLevel(width=8, height=8, speed=6, target=40, start=(3, 4))
    assert any(p.startswith("target:") for p in d.validate_level(greedy, d.Params()))
    # with wrap-around walls the same start at the edge is fine
    edge = SnakeLevel(width=10, height=10, speed=6, target=3, start=(0, 5))
    assert d.validate_level(edge, d.Params(wrap_walls=True)) == []
    assert d.validate_level(edge, d.Params(wrap_walls=False)) != []


def test_snake_level_start_outside_the_board_is_a_schema_error():
    with pytest.raises(ValueError):
        SnakeLevel(width=10, height=10, speed=6, target=3, start=(12, 5))


def test_match3_validator_refuses_ready_matches_dead_boards_and_impossible_targets():
    d = mechanic_get("match3")
    base = dict(rows=5, cols=5, colors=3, moves=10, target=9, seed=1)
    with_match = Match3Level(**base, board=["00012", "12120", "20201", "12012", "01201"])
    assert any("already has a match" in p for p in d.validate_level(with_match, d.Params()))
    dead = Match3Level(**base, board=["01201", "12012", "20120", "01201", "12012"])
    assert possible_swaps(parse_board(dead.board)) == []
    assert any("no swap" in p for p in d.validate_level(dead, d.Params()))
    good = ["01021", "12102", "20211", "01020", "12102"]
    assert not find_matches(parse_board(good)) and possible_swaps(parse_board(good))
    too_far = Match3Level(**{**base, "target": 31}, board=good)
    assert any(p.startswith("target:") for p in d.validate_level(too_far, d.Params()))
    assert d.validate_level(Match3Level(**base, board=good), d.Params()) == []


def test_match3_board_must_match_its_size_and_colours():
    with pytest.raises(ValueError):
        Match3Level(
            rows=5,
            cols=5,
            colors=3,
            moves=10,
            target=9,
            seed=1,
            board=["0120", "1201", "2012", "0120", "1201"],
        )
    with pytest.raises(ValueError):
        Match3Level(rows=5, cols=5, colors=3, moves=10, target=9, seed=1, board=["01239"] * 5)


def test_breakout_validator_needs_a_brick():
    d = mechanic_get("breakout")
    assert d.validate_level(BreakoutLevel(bricks=["0000", "0000"]), d.Params()) != []
    assert d.validate_level(BreakoutLevel(bricks=["0010"]), d.Params()) == []
    with pytest.raises(ValueError):
        BreakoutLevel(bricks=["0123", "012"])
    with pytest.raises(ValueError):
        BreakoutLevel(bricks=["01x3"])


def test_spec_with_generated_levels_for_every_mechanic_validates():
    for slug in mechanic_slugs():
        spec = spec_validate(spec_data(slug))
        assert spec.mechanic == slug and spec.levels


# --- the registry finds packages ------------------------------------------------------------------


def _registry_over(monkeypatch, tmp_path, files: dict[str, str]) -> dict:
    """The registry run over a folder of our own instead of generation/mechanics/."""
    import sys

    import generation.mechanics as package

    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    monkeypatch.setattr(package, "__path__", [str(tmp_path)])
    for name in {rel.split("/")[0].removesuffix(".py") for rel in files}:
        monkeypatch.delitem(sys.modules, f"generation.mechanics.{name}", raising=False)
    return package.mechanic_registry.__wrapped__()


def test_registry_takes_packages_and_leaves_modules_and_underscored_folders(monkeypatch, tmp_path):
    # given a package that re-exports a real mechanic under its own slug, a plain module and a _shared folder
    found = _registry_over(
        monkeypatch,
        tmp_path,
        {
            "zz_copy/__init__.py": "import dataclasses\nfrom generation.mechanics.maze import MECHANIC as MAZE\n"
            "MECHANIC = dataclasses.replace(MAZE, slug='zz_copy')\n",
            "zz_helpers.py": "MECHANIC = None\n",
            "_shared/__init__.py": "raise ImportError('never imported')\n",
        },
    )
    # then only the package is a mechanic
    assert list(found) == ["zz_copy"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("X = 1\n", "defines no MECHANIC"),
        ("from generation.mechanics.maze import MECHANIC\n", "declares slug 'maze'"),
    ],  # fmt: skip
)
def test_registry_refuses_a_package_that_is_not_a_mechanic(monkeypatch, tmp_path, body, message):
    with pytest.raises(RuntimeError, match=message):
        _registry_over(monkeypatch, tmp_path, {"zz_broken/__init__.py": body})
