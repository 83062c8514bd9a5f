"""The cast: the prompt's nouns, in its own language, as the pictures of the mechanic's roles."""

import io

import pytest
from PIL import Image

from gamefactory.errors import ApplicationError
from generation import cast as cast_module
from generation.assets import assets_build, frame_cast
from generation.bundle import ART_LICENSE_FILE, CREDITS_FILE, bundle_files
from generation.cast import cast_complete, find_subjects, mechanic_roles, subject_asset
from generation.designer import spec_from_prompt
from generation.mechanics import mechanic_get, mechanic_registry
from generation.mechanics.base import ROLES
from generation.spec import spec_validate
from tests.generation.specs import spec_data

SPACE_CAT = {
    "en": "A space cat collecting fish between asteroids",
    "es": "Un gato espacial que recoge peces entre asteroides",
    "de": "Eine Weltraumkatze sammelt Fische zwischen Asteroiden",
    "fr": "Un chat de l'espace qui attrape des poissons entre les astéroïdes",
    "ru": "Космический кот собирает рыбу между астероидами",
    "it": "Un gatto spaziale che raccoglie pesci tra gli asteroidi",
    "pt": "Um gato espacial que coleta peixes entre asteroides",
}


def _roles(spec) -> dict[str, str]:
    return {member.role: member.asset for member in reversed(spec.cast)}


@pytest.mark.parametrize("lang", sorted(SPACE_CAT))
def test_a_space_cat_collects_fish_among_asteroids_in_every_language(lang):
    # given the same game asked for in another language
    spec = spec_from_prompt(prompt=SPACE_CAT[lang])
    # then the hero is a cat, what it collects a fish, what it avoids the asteroids' picture
    roles = _roles(spec)
    assert roles["hero"] == "cat", spec.provenance.reasons
    assert roles["collectible"] == "fish", spec.provenance.reasons
    if lang != "ru":  # Russian has no word of its own for an asteroid's picture: the mechanic's rock
        assert "rock" in (roles.get("hazard"), roles.get("enemy")), spec.provenance.reasons
    # and the provenance says which words became which role
    words = {source.role: source.word.lower() for source in spec.provenance.cast}
    assert words["hero"] and words["collectible"]
    assert any(reason.startswith("cast: hero") for reason in spec.provenance.reasons)


def test_nouns_in_chinese_are_found_without_spaces():
    lang, found = find_subjects("太空猫在小行星之间收集鱼")
    assert lang == "zh"
    assert [f.asset for f in found][:1] == ["cat"] and "fish" in [f.asset for f in found]


def test_a_noun_with_no_picture_goes_to_the_nearest_through_wordnet():
    # "platypus" has no emoji: WordNet takes it up to a kind of animal that has one
    asset, via = subject_asset("armadillo") or ("", "")
    assert asset and "WordNet" in via
    assert subject_asset("kangaroo") == ("kangaroo", "name")


def test_abstract_words_are_not_cast():
    lang, found = find_subjects("a fun game in space with a long time limit")
    assert found == []


def test_roles_follow_the_verbs():
    lang, found = find_subjects("a dog jumping over puddles collecting bones")
    kinds = {f.subject: f.kind for f in found}
    assert kinds == {"dog": "hero", "puddle": "avoid", "bone": "collect"}


@pytest.mark.parametrize("prompt", ["12345", "🙂🙂", "42 42 42"])
def test_prompts_without_nouns_still_get_a_cast(prompt):
    spec = spec_from_prompt(prompt=prompt)
    assert spec.cast and {m.role for m in spec.cast} == set(mechanic_roles(spec.definition))
    assert any("cast" in reason for reason in spec.provenance.reasons)


def test_a_language_without_annotations_gets_the_mechanics_cast_and_says_so():
    # Georgian script: no table here
    spec = spec_from_prompt(prompt="კატა თევზს აგროვებს")
    assert spec.cast
    assert any("cast:" in reason and "mechanic's own" in reason for reason in spec.provenance.reasons)


def test_only_punctuation_is_refused_by_name():
    with pytest.raises(ApplicationError) as err:
        spec_from_prompt(prompt="?!... ---")
    assert "prompt" in err.value.fields


def test_an_emoji_prompt_casts_its_emoji():
    spec = spec_from_prompt(prompt="🐍🍎")
    assert _roles(spec)["hero"] == "snake" and "red-apple" in [m.asset for m in spec.cast]


@pytest.mark.parametrize("slug", sorted(mechanic_registry()))
def test_every_mechanic_has_a_full_default_cast(slug):
    definition = mechanic_get(slug)
    cast = cast_complete(definition, [])
    roles = mechanic_roles(definition)
    assert roles, f"{slug} declares no role"
    assert set(roles) <= set(ROLES)
    for role, count in roles.items():
        members = [m for m in cast if m["role"] == role]
        assert len(members) == count
        assert all(cast_module.asset_exists(m["asset"]) for m in members)
    # several tiles are different pictures
    tiles = [m["asset"] for m in cast if m["role"] == "tile"]
    assert len(set(tiles)) == len(tiles) or slug == "breakout"


def test_the_spec_refuses_unknown_assets_and_roles_by_field():
    data = spec_data("snake")
    data["cast"] = [
        {"role": "hero", "subject": "cat", "asset": "no-such-picture"},
        {"role": "tile", "subject": "cat", "asset": "cat"},
    ]
    with pytest.raises(ApplicationError) as err:
        spec_validate(data)
    assert "cast.0.asset" in err.value.fields and "cast.1.role" in err.value.fields


def test_the_spec_fills_the_roles_the_cast_leaves_out():
    data = spec_data("snake")
    data["cast"] = [{"role": "hero", "subject": "cat", "asset": "cat"}]
    spec = spec_validate(data)
    assert _roles(spec)["hero"] == "cat"
    assert [m.role for m in spec.cast].count("collectible") == 2


def test_the_cast_is_drawn_into_the_sprite_frames():
    data = spec_data("snake")
    data["cast"] = [{"role": "hero", "subject": "cat", "asset": "cat"}]
    cat = assets_build(spec=spec_validate(data))
    data["cast"] = [{"role": "hero", "subject": "dog", "asset": "dog"}]
    dog = assets_build(spec=spec_validate(data))
    spec = spec_validate(data)
    assert frame_cast(spec)["head"] == "dog"

    def frame(assets, name):
        sheet = Image.open(io.BytesIO(assets.files["assets/sprites.png"]))
        x, y, w, h = assets.frames[name]
        return sheet.crop((x, y, x + w, y + h)).tobytes()

    assert frame(cat, "head") != frame(dog, "head")
    assert frame(cat, "wall") == frame(dog, "wall")  # frames without a role keep their shape


def test_every_bundle_credits_the_artwork():
    spec = spec_from_prompt(prompt="a cat collecting fish")
    files = bundle_files(spec=spec)
    credits = files[CREDITS_FILE].decode()
    assert "Noto Emoji" in credits and "Apache" in credits and "cat" in credits
    assert "Apache License" in files[ART_LICENSE_FILE].decode()


def test_role_words_name_the_role():
    lang, found = find_subjects("a maze where the enemies are bees and the hero is a cat")
    kinds = {f.subject: f.kind for f in found}
    assert kinds == {"bee": "role:enemy", "cat": "role:hero"}


def test_a_change_keeps_the_members_it_does_not_name():
    from generation.cast import cast_change

    definition = mechanic_get("platformer")
    base = cast_complete(definition, [{"role": "hero", "subject": "monkey", "asset": "monkey"}])
    cast, notes = cast_change(definition, base, "haz que el héroe sea un gato")
    assert [m for m in cast if m["role"] != "hero"] == [m for m in base if m["role"] != "hero"]
    assert next(m for m in cast if m["role"] == "hero")["asset"] == "cat"
    cast, notes = cast_change(definition, base, "!!! 123")
    assert cast == base and "stays as it was" in notes[0]


@pytest.mark.parametrize("prompt", ["a calm bullet hell", "an easy impossible puzzle about nothing"])
def test_contradictory_prompts_still_get_a_full_cast(prompt):
    spec = spec_from_prompt(prompt=prompt)
    assert {m.role for m in spec.cast} == set(mechanic_roles(spec.definition))


def test_nouns_with_no_picture_of_their_own_are_drawn_by_the_nearest_and_said_so():
    spec = spec_from_prompt(prompt="an armadillo collecting acorns")
    hero = next(source for source in spec.provenance.cast if source.word == "armadillo")
    assert hero.subject == "armadillo" and "WordNet" in hero.via
    assert any("armadillo" in reason and "WordNet" in reason for reason in spec.provenance.reasons)
