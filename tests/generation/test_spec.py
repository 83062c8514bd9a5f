"""GameSpec: round trips, JSON Schema, and every kind of refusal with the offending field's path."""

import json

import pytest

from gamefactory.errors import ApplicationError
from generation import limits
from generation.mechanics import mechanic_get, mechanic_registry
from generation.spec import STANDARD_EVENT_NAMES, GameSpec, spec_json_schema, spec_validate
from tests.generation.specs import mechanic_slugs, spec_data


def refused(data) -> dict:
    with pytest.raises(ApplicationError) as info:
        spec_validate(data)
    assert info.value.code in ("invalid_spec",)
    return info.value.fields


@pytest.mark.parametrize("mechanic", mechanic_slugs())
def test_spec_round_trips_through_json(mechanic):
    # given a valid spec
    data = spec_data(mechanic)
    # when it is validated, dumped and validated again
    spec = spec_validate(data)
    again = spec_validate(json.loads(spec.canonical_json()))
    # then nothing changed and the params/levels are the mechanic's own models
    assert again.model_dump(mode="json") == spec.model_dump(mode="json") == data
    definition = mechanic_registry()[mechanic]
    assert isinstance(spec.params, definition.Params)
    assert all(isinstance(level, definition.Level) for level in spec.levels)
    assert again.content_hash() == spec.content_hash()


def test_spec_validate_accepts_json_text_and_a_spec():
    # given the same spec as text, bytes and a model
    data = spec_data("maze")
    spec = spec_validate(data)
    # then all three validate to the same spec
    assert spec_validate(json.dumps(data)).content_hash() == spec.content_hash()
    assert spec_validate(json.dumps(data).encode()).content_hash() == spec.content_hash()
    assert spec_validate(spec).content_hash() == spec.content_hash()


def test_json_schema_describes_every_mechanic():
    # when the schema is exported
    schema = GameSpec.model_json_schema()
    # then it is versioned, closed, lists the mechanics and types their params and levels
    assert schema["properties"]["spec_version"]["const"] == 1
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]["mechanic"]["enum"]) == set(mechanic_registry())
    branches = {b["if"]["properties"]["mechanic"]["const"]: b["then"] for b in schema["allOf"]}
    assert set(branches) == set(mechanic_registry())
    assert "grid" in branches["maze"]["properties"]["levels"]["items"]["properties"]
    assert "wrap_walls" in branches["snake"]["properties"]["params"]["properties"]
    assert schema["properties"]["levels"]["maxItems"] == limits.MAX_LEVELS
    json.dumps(schema)  # serialisable as is


def test_json_schema_for_one_mechanic_has_no_references_to_resolve():
    # when the schema is specialised for match3 (what an LLM gets)
    schema = spec_json_schema(mechanic="match3")
    # then params and levels are match3's, inline
    assert schema["properties"]["mechanic"]["enum"] == ["match3"]
    level = schema["properties"]["levels"]["items"]
    assert {"rows", "cols", "board", "moves", "target"} <= set(level["properties"])
    assert "$ref" not in json.dumps(schema["properties"]["levels"])
    with pytest.raises(ApplicationError) as info:
        spec_json_schema(mechanic="tetris")
    assert "mechanic" in info.value.fields


def test_unknown_top_level_field_is_refused():
    # given a spec with a field nobody declared
    data = spec_data()
    data["cheat_mode"] = True
    # then the field is named
    assert "cheat_mode" in refused(data)


def test_unknown_nested_field_is_refused_with_its_path():
    data = spec_data()
    data["theme"]["palette"]["sparkle"] = "#ffffff"
    assert "theme.palette.sparkle" in refused(data)


def test_unknown_mechanic_is_refused_on_mechanic_only():
    # given a spec naming a mechanic that does not exist
    data = spec_data()
    data["mechanic"] = "tetris"
    # then only the mechanic is blamed (its params/levels cannot be judged)
    fields = refused(data)
    assert list(fields) == ["mechanic"]
    assert "snake" in fields["mechanic"][0]


def test_bad_level_data_is_refused_with_the_level_path():
    # given a maze whose fourth level has rows of different widths
    data = spec_data("maze")
    data["levels"][3]["grid"][2] = data["levels"][3]["grid"][2] + "#"
    # then the error points at that level's grid
    fields = refused(data)
    assert "levels.3.grid" in fields, fields


def test_unsolvable_maze_level_is_refused_by_search():
    # given a maze level whose exit is walled in
    data = spec_data("maze")
    grid = ["#######", "#S....#", "#.....#", "#######", "#..E..#", "#.....#", "#######"]
    data["levels"][0] = {"grid": grid, "time_limit_s": 60, "ghost_speed": 2}
    # then the validator's BFS finds no way out
    fields = refused(data)
    assert fields == {"levels.0": ["grid: the exit cannot be reached from the start"]}


def test_level_of_the_wrong_mechanic_is_refused():
    # given a snake spec carrying a breakout level
    data = spec_data("snake")
    data["levels"][1] = spec_data("breakout")["levels"][0]
    fields = refused(data)
    assert any(path.startswith("levels.1.") for path in fields), fields


def test_too_many_levels_is_one_error_on_levels():
    # given 10,000 levels
    data = spec_data("breakout")
    data["levels"] = data["levels"][:1] * 10_000
    # then one error, on the list itself
    fields = refused(data)
    assert list(fields) == ["levels"]


def test_ten_thousand_levels_are_counted_before_any_is_looked_at(monkeypatch):
    # given 10,000 levels, and a count of the level models built (that is the cost to avoid)
    data = spec_data("sokoban")
    data["levels"] = [{"not": "a level"}] * 10_000
    level = mechanic_get("sokoban").Level
    built = []
    construct = level.model_construct

    def never(*args, **kwargs):
        raise AssertionError("a level was validated")

    def counted(*args, **kwargs):
        built.append(1)
        return construct(*args, **kwargs)

    monkeypatch.setattr(level, "model_validate", never)
    monkeypatch.setattr(level, "model_construct", counted)
    # then one error, on the list, saying how many there were, and (almost) no level model made
    fields = refused(data)
    assert list(fields) == ["levels"]
    assert "at most 50" in fields["levels"][0] and "10000" in fields["levels"][0]
    assert len(built) <= 1


def test_ten_thousand_levels_of_an_unknown_mechanic_are_refused_too():
    data = spec_data()
    data.update(mechanic="pinball", levels=[{}] * 10_000)
    fields = refused(data)
    assert set(fields) == {"mechanic", "levels"}


def test_no_level_is_refused():
    data = spec_data()
    data["levels"] = []
    assert "levels" in refused(data)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("title", "x" * (limits.TITLE_MAX_CHARS + 1)),
        ("title", ""),
        ("title", "bad\x07title"),
        ("slug", "Not A Slug"),
        ("genre", "sleeping"),
        ("spec_version", 2),
        ("theme.palette.primary", "red"),
        ("theme.art_style", "watercolour"),
        ("difficulty.end", 1.5),
        ("rules.lives", 0),
        ("rules.time_limit_s", 5),
        ("scoring.base_points", -1),
        ("audio.volume", 2),
        ("multiplayer", "sometimes"),
        ("provenance.seed", -1),
        ("params.speed_up", 5),
        ("params.wrap_walls", "yes please"),
    ],
)
def test_out_of_range_values_are_refused_with_their_path(path, value):
    # given one value out of range
    data = spec_data("snake")
    *parents, last = path.split(".")
    node = data
    for part in parents:
        node = node[part]
    node[last] = value
    # then exactly that path is reported
    fields = refused(data)
    assert path in fields, fields


def test_unknown_param_is_refused_under_params():
    data = spec_data("match3")
    data["params"]["gravity"] = 3
    assert "params.gravity" in refused(data)


def test_audio_cue_must_be_known_to_the_mechanic():
    data = spec_data("breakout")
    data["audio"]["cues"].append({"cue": "explosion", "sound": "hit"})
    fields = refused(data)
    assert f"audio.cues.{len(data['audio']['cues']) - 1}.cue" in fields


def test_touch_layout_must_suit_the_mechanic():
    data = spec_data("match3")
    data["controls"]["touch_layout"] = "dpad"
    assert "controls.touch_layout" in refused(data)


def test_rewarded_ad_needs_a_reward():
    data = spec_data()
    data["ads"] = [{"id": "a", "format": "rewarded", "trigger": "title", "every": 1}]
    assert "ads.0" in refused(data)


def test_ad_placement_ids_are_unique():
    data = spec_data()
    data["ads"] = [
        {"id": "b", "format": "banner", "trigger": "title", "every": 1},
        {"id": "b", "format": "interstitial", "trigger": "level_complete", "every": 2},
    ]
    assert "ads.1.id" in refused(data)


def test_standard_and_mechanic_events_are_always_declared():
    # given a spec that declares no analytics event
    data = spec_data("snake")
    data["analytics"]["events"] = []
    # when validated
    spec = spec_validate(data)
    # then the runtime's and the mechanic's events are declared
    names = [e.name for e in spec.analytics.events]
    assert set(STANDARD_EVENT_NAMES) <= set(names)
    assert "food_eaten" in names


def test_duplicate_event_is_refused():
    data = spec_data()
    data["analytics"]["events"].append(dict(data["analytics"]["events"][0]))
    fields = refused(data)
    assert any(path.startswith("analytics.events.") for path in fields)


@pytest.mark.parametrize("bad", ["{not json", "[1, 2]", 42, None])
def test_not_a_spec_at_all_is_refused_on_spec(bad):
    with pytest.raises(ApplicationError) as info:
        spec_validate(bad)
    assert "spec" in info.value.fields


def test_difficulty_curve_values():
    from generation.spec import DifficultyCurve

    linear = DifficultyCurve(start=0.0, end=1.0, shape="linear").values(5)
    eased = DifficultyCurve(start=0.0, end=1.0, shape="ease_in").values(5)
    assert linear == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert eased[0] == 0.0 and eased[-1] == 1.0 and eased[2] < linear[2]
    assert DifficultyCurve(start=0.3, end=0.3).values(1) == [0.3]
