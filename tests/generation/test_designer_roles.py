"""The local designer reads what a prompt's nouns do and its verbs in other languages.

- Verbs of play in the prompt's language count as the English verbs the vocabularies weigh
  ("salta" -> jump), through simplemma's lemmas (generation/providers/play_verbs.py), read from the
  cast's language tables: a prompt does not wait for simplemma's whole dictionary to load.
- A mechanic with no role for what the prompt's nouns do ("collecting fish") weighs less, and a
  mechanic's name used for a thing the hero avoids or collects ("between asteroids") counts as a
  keyword, not as the game's name.
"""

import pytest

from generation.designer import spec_from_prompt
from generation.mechanics import mechanic_get
from generation.providers.play_verbs import english_play_verbs


@pytest.mark.parametrize(
    ("tokens", "lang", "expected"),
    [
        (["el", "perro", "salta"], "es", {"salta": "jump"}),
        (["ein", "hund", "springt"], "de", {"springt": "jump"}),
        (["un", "chat", "qui", "saute"], "fr", {"saute": "jump"}),  # a form the lemmatiser lacks
        (["кот", "собирает", "рыбу"], "ru", {"собирает": "collect"}),
        (["contra", "el", "reloj"], "es", {}),  # "contra" begins like contar but is no verb
        (["jump", "and", "run"], "en", {}),  # English is read by the vocabularies themselves
    ],
)
def test_verbs_of_play_in_other_languages_read_as_english(tokens, lang, expected):
    assert english_play_verbs(tokens, lang) == expected


@pytest.mark.parametrize(
    ("tokens", "lang", "expected"),
    [
        (["kot", "zbiera", "ryby", "i", "skacze"], "pl", {"zbiera": "collect", "skacze": "jump"}),
        (["кот", "собирает", "рыбу"], "ru", {"собирает": "collect"}),
        (["um", "gato", "que", "pula"], "pt", {"pula": "jump"}),
    ],
)
def test_verbs_of_play_do_not_load_simplemmas_dictionary(monkeypatch, tokens, lang, expected):
    """Loading a language's whole dictionary took 1 to 5 s on its first prompt (Polish, Russian)."""
    from simplemma.strategies.dictionaries import dictionary_factory

    def refuse(*args, **kwargs):
        raise AssertionError("simplemma's dictionary was loaded while reading a prompt")

    monkeypatch.setattr(dictionary_factory.DefaultDictionaryFactory, "get_dictionary", refuse)
    monkeypatch.setattr("simplemma.lemmatize", refuse)
    assert english_play_verbs(tokens, lang) == expected


def test_the_warm_up_loads_the_word_games_lists():
    from generation.mechanics._words import anagram_index
    from generation.services import generation_warm_up

    anagram_index.cache_clear()
    timings = generation_warm_up()
    assert set(timings) == {"cast", "words"}
    assert anagram_index.cache_info().currsize == 1  # English, ready before the first word game


@pytest.mark.parametrize(
    "prompt",
    ["el perro salta sobre los charcos", "ein Hund springt über Pfützen", "un chat qui saute sur des toits"],
)
def test_a_jump_in_another_language_makes_a_jumping_game(prompt):
    spec = spec_from_prompt(prompt=prompt, seed=0)
    assert spec.mechanic in {"platformer", "runner"}, spec.provenance.reasons
    assert any(reason.startswith("verbs read as English") for reason in spec.provenance.reasons)


def test_a_prompt_whose_hero_collects_gets_a_mechanic_that_can_show_it():
    spec = spec_from_prompt(prompt="a space cat floating between asteroids collecting fish", seed=0)
    roles = {member.role: member.subject for member in reversed(spec.cast)}
    assert "collectible" in {s.role for s in mechanic_get(spec.mechanic).sprites if s.role}
    assert roles["hero"] == "cat" and roles["collectible"] == "fish", spec.provenance.reasons
    assert "asteroid" in (roles.get("hazard"), roles.get("enemy")), spec.provenance.reasons


def test_a_mechanic_named_as_the_game_still_wins():
    assert spec_from_prompt(prompt="an asteroids game", seed=0).mechanic == "asteroids"
    assert spec_from_prompt(prompt="a snake eating apples", seed=0).mechanic == "snake"


def test_a_mechanic_named_as_a_thing_to_avoid_does_not_take_the_game():
    spec = spec_from_prompt(prompt="avoid the snakes and collect coins", seed=0)
    assert spec.mechanic != "snake", spec.provenance.reasons
    assert "snake" in {member.subject for member in spec.cast if member.role in {"hazard", "enemy"}}
