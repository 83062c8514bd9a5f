"""The local designer: natural prompts to games that follow them, bad prompts refused by field."""

import os
import subprocess
import sys

import pytest

from gamefactory.errors import ApplicationError
from generation import limits
from generation.designer import design_from_prompt, spec_assemble, spec_from_prompt
from generation.providers import DesignRequest, provider_get
from generation.providers.local import read_prompt


@pytest.mark.parametrize(
    ("prompt", "mechanic"),
    [
        ("a neon snake that gets faster", "snake"),
        ("a hungry worm eating apples in the garden", "snake"),
        ("classic nokia snake", "snake"),
        ("smash colourful bricks with a bouncing ball", "breakout"),
        ("an arkanoid clone in outer space", "breakout"),
        ("paddle and ball, break the wall", "breakout"),
        ("a spooky maze", "maze"),
        ("escape the labyrinth before time runs out", "maze"),
        ("find the way out of the dungeon", "maze"),
        ("match three candies before time runs out", "match3"),
        ("swap glowing gems in an ancient temple", "match3"),
        ("bejeweled but with fruit", "match3"),
        ("un laberinto oscuro con fantasmas", "maze"),
        ("jeu de casse-briques", "breakout"),
        ("змейка в космосе", "snake"),
        ("ein Spiel mit Schlangen im Dschungel", "snake"),
        ("um jogo de corrida infinita na praia", "runner"),
        ("簡単な算数ゲーム", "mathquiz"),
        ("een spel waarin je edelstenen combineert", "match3"),
        ("gra logiczna z przesuwaniem skrzyń", "sokoban"),
        ("jump on enemies and collect gems in a mushroom kingdom", "platformer"),
        ("learn to add numbers up to ten with cookies", "mathquiz"),
        ("shoot the alien invaders", "shooter"),
        ("a rhythm game to tap on the beat", "rhythm"),
        # games the library has no mechanic of: the one that plays most alike
        ("tetris but with cats", "merge"),
        ("a cooking game where you chop vegetables", "match3"),
        ("🐍🍎", "snake"),
        ("🚀☄️☄️", "dodger"),
    ],
)
def test_prompts_map_to_the_mechanic_they_describe(prompt, mechanic):
    spec = spec_from_prompt(prompt=prompt)
    assert spec.mechanic == mechanic, spec.provenance.reasons
    assert spec.provenance.provider == "local" and spec.provenance.prompt == prompt
    assert spec.provenance.reasons


@pytest.mark.parametrize(
    ("prompt", "setting"),
    [
        ("a neon snake", "neon city"),
        ("a spooky maze", "haunted night"),
        ("match three candies", "candy land"),
        ("smash bricks under the sea", "under the sea"),
        ("a frozen labyrinth", "frozen north"),
    ],
)
def test_prompts_pick_the_setting_they_name(prompt, setting):
    spec = spec_from_prompt(prompt=prompt)
    assert spec.theme.setting == setting
    assert any(setting in reason for reason in spec.provenance.reasons)


def test_unrelated_prompts_do_not_collapse_onto_one_stock_game():
    # given prompts that name no mechanic at all
    prompts = ["something about my grandmother", "a game for a rainy tuesday", "purple elephants",
               "the best thing ever", "quantum accountants", "my cat's birthday", "tea time", "oops"]  # fmt: skip
    specs = [spec_from_prompt(prompt=p) for p in prompts]
    # then they are different games, and each says it guessed
    assert len({s.mechanic for s in specs}) >= 3
    assert len({s.title for s in specs}) == len(prompts)
    assert len({s.theme.palette.primary for s in specs}) >= 3
    assert all("fingerprint" in s.provenance.reasons[0] for s in specs)
    assert all(s.provenance.fallback for s in specs)


def test_the_prompt_tunes_the_game():
    fast = spec_from_prompt(prompt="a neon snake that gets faster")
    calm = spec_from_prompt(prompt="a calm snake for kids")
    assert fast.params.speed_up > calm.params.speed_up
    assert fast.params.wrap_walls is True
    assert calm.difficulty.end < fast.difficulty.end
    assert calm.rules.lives > fast.rules.lives
    assert spec_from_prompt(prompt="a spooky maze").params.fog is True
    hard = spec_from_prompt(prompt="an insanely hard brutal maze")
    easy = spec_from_prompt(prompt="an easy maze")
    assert hard.difficulty.end > easy.difficulty.end


def test_level_count_ads_and_multiplayer_follow_the_prompt():
    spec = spec_from_prompt(prompt="smash bricks, 3 levels, no ads, play with friends")
    assert len(spec.levels) == 3
    assert spec.ads == []
    assert spec.multiplayer is True
    capped = spec_from_prompt(prompt="a maze with 10000 levels")
    assert len(capped.levels) == limits.MAX_LEVELS
    assert any("capped" in r for r in capped.provenance.reasons)
    default = spec_from_prompt(prompt="a maze")
    assert {ad.format for ad in default.ads} == {"banner", "interstitial", "rewarded"}
    assert default.multiplayer is False


def test_same_prompt_and_seed_give_the_same_spec_other_seeds_other_levels():
    a = spec_from_prompt(prompt="a spooky maze", seed=3)
    b = spec_from_prompt(prompt="a spooky maze", seed=3)
    c = spec_from_prompt(prompt="a spooky maze", seed=4)
    assert a.canonical_json() == b.canonical_json()
    assert a.levels[0].grid != c.levels[0].grid
    assert a.provenance.seed == 3


def test_prompt_in_another_language_still_gives_a_valid_game_and_says_so():
    for prompt in ("ein Spiel über meinen Garten und Blumen", "一个关于红色龙的游戏", "jogo muito divertido"):
        spec = spec_from_prompt(prompt=prompt)
        assert spec.levels and spec.title
        assert "English" in spec.provenance.fallback, spec.provenance


def test_caller_can_force_the_mechanic_and_params():
    spec = spec_from_prompt(prompt="a spooky maze", mechanic="snake", params={"grow_by": 3})
    assert spec.mechanic == "snake" and spec.params.grow_by == 3
    assert spec.theme.setting == "haunted night"
    assert "requested" in spec.provenance.reasons[0]


@pytest.mark.parametrize(
    "prompt",
    [
        "",
        "   \n\t ",
        "!!!",
        "x" * (limits.PROMPT_MAX_CHARS + 1),
        "a maze\x00with nulls",
        "bell\x07",
        42,
        None,
        ["a", "list"],
        b"\xff\xfe",
    ],  # fmt: skip
)
def test_bad_prompts_are_refused_on_the_prompt_field(prompt):
    with pytest.raises(ApplicationError) as info:
        spec_from_prompt(prompt=prompt)
    assert list(info.value.fields) == ["prompt"]


def test_a_100kb_prompt_is_refused_not_truncated():
    with pytest.raises(ApplicationError) as info:
        spec_from_prompt(prompt="snake " * 20_000)
    assert info.value.code == "prompt_too_long"


def test_prompt_at_the_limit_and_with_newlines_is_fine():
    spec = spec_from_prompt(prompt="a maze\nwith ghosts\t" + "x" * (limits.PROMPT_MAX_CHARS - 20))
    assert spec.mechanic == "maze"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"mechanic": "tetris"}, "mechanic"),
        ({"params": {"grow_by": 99}, "mechanic": "snake"}, "params.grow_by"),
        ({"params": {"gravity": 1}, "mechanic": "snake"}, "params.gravity"),
        ({"params": "fast"}, "params"),
        ({"provider": "skynet"}, "provider"),
        ({"provider": "../../etc"}, "provider"),
        ({"seed": -1}, "seed"),
        ({"seed": "7"}, "seed"),
    ],
)
def test_bad_options_are_refused_on_their_field(kwargs, field):
    with pytest.raises(ApplicationError) as info:
        spec_from_prompt(prompt="a snake game", **kwargs)
    assert field in info.value.fields, info.value.fields


def test_design_result_reports_provider_and_usage():
    result = design_from_prompt(prompt="a neon snake")
    assert result.provider == "local" and result.usage.calls == 0 and result.fallback_reason == ""
    assert provider_get("local").is_configured()


def test_spec_assemble_refuses_bad_decisions():
    theme = spec_from_prompt(prompt="a maze").theme.model_dump()
    common = {"title": "T", "theme": theme, "difficulty": {"start": 0, "end": 1}, "seed": 1,
              "provenance": {"provider": "local"}}  # fmt: skip
    with pytest.raises(ApplicationError) as info:
        spec_assemble(mechanic="maze", level_count=0, **common)
    assert "level_count" in info.value.fields
    with pytest.raises(ApplicationError) as info:
        spec_assemble(mechanic="maze", level_count=3, **{**common, "title": ""})
    assert "title" in info.value.fields
    spec = spec_assemble(mechanic="maze", level_count=3, **common)
    assert len(spec.levels) == 3 and spec.slug == "t"


def test_reading_explains_itself():
    reading = read_prompt("match three candies before time runs out", seed=0)
    assert reading.mechanic == "match3" and reading.setting == "candy"
    assert "match" in reading.matched_words and "candy" in reading.matched_words
    assert reading.reasons[0].startswith("mechanic 'match3' scored")


# --- mechanics the caller may use, and ones it may not name ------------------------------------------


@pytest.mark.parametrize("mechanic", ["tetris", "", "../snake", "x" * 500])
def test_local_provider_refuses_an_unknown_mechanic_on_the_field(mechanic):
    # given a request straight to the provider (no designer in front to check it first)
    request = DesignRequest(prompt="a game", mechanic=mechanic)
    # when / then: a clear error on `mechanic`, not a KeyError
    with pytest.raises(ApplicationError) as info:
        provider_get("local").design(request)
    assert info.value.code == "unknown_mechanic"
    assert list(info.value.fields) == ["mechanic"]
    assert len(info.value.fields["mechanic"][0]) < 400


def test_designer_chooses_only_among_the_mechanics_it_is_given():
    # when the snake prompt may only use maze or breakout
    spec = spec_from_prompt(prompt="a neon snake that gets faster", mechanics=["maze", "breakout"])
    # then one of those, chosen for a reason
    assert spec.mechanic in {"maze", "breakout"}
    assert spec_from_prompt(prompt="a neon snake that gets faster").mechanic == "snake"


def test_designer_refuses_to_name_a_mechanic_it_is_not_given():
    with pytest.raises(ApplicationError) as info:
        design_from_prompt(prompt="a snake", mechanic="snake", mechanics=frozenset({"maze"}))
    assert info.value.code == "mechanic_inactive" and "mechanic" in info.value.fields


def test_designer_with_no_mechanic_available_says_so():
    with pytest.raises(ApplicationError) as info:
        design_from_prompt(prompt="a snake", mechanics=[])
    assert "mechanic" in info.value.fields and "No mechanic is available" in info.value.message


def test_a_plural_counts_once():
    # "gems" matches the keywords "gem" and "gems": one word of the prompt, one keyword's weight
    reading = read_prompt("swap gems", seed=0)
    assert reading.mechanic == "match3"
    evidence = reading.reasons[0]
    assert evidence.count("gem") == 1, evidence


@pytest.mark.parametrize(
    ("prompt", "harder"), [("the hardest maze", True), ("the easiest maze", False), ("a maze", None)]
)
def test_superlatives_set_the_difficulty(prompt, harder):
    plain = read_prompt("a maze", seed=0)
    reading = read_prompt(prompt, seed=0)
    if harder is None:
        assert reading.difficulty_end == plain.difficulty_end
    elif harder:
        assert reading.difficulty_end > plain.difficulty_end
    else:
        assert reading.difficulty_end < plain.difficulty_end


def test_the_same_prompt_and_seed_give_the_same_spec_in_every_process():
    # given two interpreters whose string hashes (and so the order of their sets) differ
    from django.conf import settings

    code = (
        "import django; django.setup()\n"
        "from generation.designer import spec_from_prompt\n"
        "for prompt in ('an endless runner on neon rooftops', 'a match three game', 'un laberinto'):\n"
        "    print(spec_from_prompt(prompt=prompt, seed=4).canonical_json())\n"
    )
    outputs = set()
    for hash_seed in ("0", "2"):  # these two ordered {"runner", "endless runner"} differently
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "DJANGO_SETTINGS_MODULE": "gamefactory.settings"}
        done = subprocess.run(
            [sys.executable, "-c", code],
            env=env,
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        outputs.add(done.stdout)
    # then both design the very same specs, byte for byte
    assert len(outputs) == 1


# --- each mechanic brings its own words ----------------------------------------------------------------


def test_a_mechanic_brings_its_own_words(monkeypatch):
    # given a new mechanic whose package declares a verb, a foreign word and an emoji of its own
    import dataclasses

    from generation.mechanics import mechanic_registry
    from generation.mechanics.base import Vocabulary
    from generation.providers import local

    toy = dataclasses.replace(
        mechanic_registry()["maze"],
        slug="toy",
        name="Toy",
        keywords=("toy",),
        vocabulary=Vocabulary(verbs={"frobnicate": 5}, foreign_words=("jouet",), emoji=("🧸",)),
    )
    monkeypatch.setattr(local, "mechanic_registry", lambda: {**mechanic_registry(), "toy": toy})
    # when prompts use those words, then the designer picks it and says which word did
    for prompt, word in (
        ("frobnicate the gizmos", "verb 'frobnicate'"),
        ("un jouet", "'jouet'"),
        ("🧸🧸", "'🧸'"),
    ):
        reading = local.read_prompt(prompt, seed=0)
        assert reading.mechanic == "toy" and word in reading.reasons[0], reading.reasons


def test_every_vocabulary_points_words_at_its_own_mechanic_only():
    from generation.mechanics import mechanic_registry
    from generation.providers.local import NEAREST_MECHANIC

    for slug, definition in mechanic_registry().items():
        vocabulary = definition.vocabulary
        assert all(word == word.lower() and weight > 0 for word, weight in vocabulary.verbs.items()), slug
        assert not set(vocabulary.verbs) & {w for w, to in NEAREST_MECHANIC.items() if slug in to}, slug
        assert len(set(vocabulary.foreign_words)) == len(vocabulary.foreign_words), slug
        assert all(not any(ch.isalpha() for ch in emoji) for emoji in vocabulary.emoji), slug
