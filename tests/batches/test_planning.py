import pytest

from batches.planning import candidate_settings, concept_clean, concepts_plan, genres_clean
from gamefactory.errors import ApplicationError
from generation.mechanics import mechanic_registry


def plan(**kwargs):
    base = {
        "brief": "Games",
        "theme": "",
        "genres": [],
        "audience": "",
        "count": 10,
        "allow_repeats": False,
        "seed": 1,
    }
    return concepts_plan(**{**base, **kwargs})


def test_ten_games_get_ten_distinct_mechanic_and_setting_pairs():
    concepts = plan(count=10)
    pairs = [(c["mechanic"], c["setting"]) for c in concepts]
    assert len(set(pairs)) == 10
    # mechanics take turns: every mechanic is used before one is used twice
    mechanics = [c["mechanic"] for c in concepts]
    turn = min(len(concepts), len(mechanic_registry()))
    assert len(set(mechanics[:turn])) == turn


def test_the_theme_narrows_the_settings_and_reaches_the_prompt():
    assert set(candidate_settings("haunted castle at night")) == {"spooky", "castle"}
    concepts = plan(theme="outer space", count=3)
    assert {c["setting"] for c in concepts} == {"space"}
    assert all("Theme: outer space." in c["prompt"] for c in concepts)


def test_genres_pick_the_mechanics():
    concepts = plan(genres=["puzzle"], count=4)
    # a mechanic whose genre or category is puzzle (memory: genre puzzle, category casual)
    for concept in concepts:
        definition = mechanic_registry()[concept["mechanic"]]
        assert "puzzle" in {definition.genre, definition.category}, concept


def test_more_games_than_combinations_needs_repeats():
    with pytest.raises(ApplicationError) as caught:
        plan(genres=["snake"], theme="space", count=2)
    assert "count" in caught.value.fields
    assert len(plan(genres=["snake"], theme="space", count=2, allow_repeats=True)) == 2


def test_unknown_genres_are_refused():
    with pytest.raises(ApplicationError) as caught:
        genres_clean(["snake", "chess"])
    assert "chess" in caught.value.fields["genres"][0]
    assert genres_clean("snake, Puzzle") == ["snake", "puzzle"]


def test_a_concept_edit_is_checked_field_by_field():
    current = plan(count=1)[0]
    with pytest.raises(ApplicationError) as caught:
        concept_clean({"mechanic": "chess"}, current=current)
    assert "concept.mechanic" in caught.value.fields
    with pytest.raises(ApplicationError) as caught:
        concept_clean({"colour": "red"}, current=current)
    assert "concept.colour" in caught.value.fields
    assert concept_clean({"setting": "outer space"}, current=current)["setting"] == "space"


def test_a_concept_edit_keeps_no_derived_field_of_the_old_design():
    # given a concept that step 1 designed (level 1's pace recorded), sent back whole by the admin
    current = {**plan(count=1)[0], "slug": "old-game", "level_seconds": 24.0}
    # when staff change the mechanic
    edited = concept_clean({**current, "mechanic": "maze"}, current=current)
    # then it is accepted, and the old design's pace is gone until step 1 designs it again
    assert edited["mechanic"] == "maze" and "level_seconds" not in edited
