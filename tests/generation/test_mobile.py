"""The Flame project templates render for every mechanic."""

import json
import re

import jinja2
import pytest
import yaml

from generation.assets import assets_build
from generation.mobile import (
    dart_comment,
    dart_environment,
    dart_string,
    mobile_project_files,
    template_context,
)
from generation.spec import spec_validate
from tests.generation.specs import AWKWARD_TITLES, mechanic_slugs, spec_data


@pytest.mark.parametrize("slug", mechanic_slugs())
def test_every_mechanic_renders_a_flame_project(slug):
    # given a spec and its assets
    spec = spec_validate(spec_data(slug))
    assets = assets_build(spec=spec).files
    # when the mobile project is rendered
    files = mobile_project_files(spec=spec, assets=assets)
    # then it has the entry point, the runtime, the mechanic and the same spec, no placeholder left
    class_name = "".join(p.capitalize() for p in re.split(r"[_\W]+", slug) if p) + "Mechanic"
    mechanic_dart = files[f"lib/mechanics/{slug}.dart"].decode()
    assert f"class {class_name} extends MechanicComponent" in mechanic_dart
    assert f"{class_name}(level: level" in files["lib/main.dart"].decode()
    for path, data in files.items():
        if path.endswith((".dart", ".yaml")):
            assert "{{" not in data.decode() and "<%" not in data.decode(), path
    assert json.loads(files["assets/spec.json"]) == spec.model_dump(mode="json")
    assert "assets/images/sprites.png" in files and "assets/audio/sfx/win.wav" in files
    assert b"flame:" in files["pubspec.yaml"]


def test_titles_are_escaped_for_dart():
    data = spec_data("snake")
    data["title"] = "Bob's $nake \\ game"
    files = mobile_project_files(spec=spec_validate(data))
    assert "title: 'Bob\\'s \\$nake \\\\ game'," in files["lib/main.dart"].decode()


@pytest.mark.parametrize("title", AWKWARD_TITLES)
def test_awkward_titles_keep_their_value_in_dart_and_yaml(title):
    # given a game whose title has quotes, $, backslashes, emoji or right-to-left text
    data = spec_data("maze")
    data["title"] = title
    spec = spec_validate(data)
    # when the project is rendered
    files = mobile_project_files(spec=spec)
    # then pubspec.yaml reads back the very title, and main.dart holds it as one Dart literal
    pubspec = yaml.safe_load(files["pubspec.yaml"])
    assert pubspec["description"] == f"{spec.title}: a GameFactory game (maze)."
    assert f"title: {dart_string(spec.title)}," in files["lib/main.dart"].decode()
    # and every comment that names it stays on its line
    for path in ("lib/main.dart", "lib/gf_runtime.dart", "lib/mechanics/maze.dart"):
        first = files[path].decode().splitlines()[0]
        assert first.startswith("//") and dart_comment(spec.title) in first, path


@pytest.mark.parametrize(
    ("value", "literal"),
    [
        ("plain", "'plain'"),
        ("it's", "'it\\'s'"),
        ("${danger}", "'\\${danger}'"),
        ("back\\slash", "'back\\\\slash'"),
        ("line\nbreak\ttab", "'line\\nbreak\\ttab'"),
        ("\u202eevil", "'\\u{202e}evil'"),  # a bidi override never reaches the source raw
        (
            "🐍 family 👨\u200d👩\u200d👧",
            "'🐍 family 👨\u200d👩\u200d👧'",
        ),  # joiners stay: the emoji stays whole
    ],
)
def test_dart_string_writes_one_literal_with_the_same_value(value, literal):
    assert dart_string(value) == literal


def test_dart_comment_stays_on_one_line():
    assert dart_comment("a\nb\rc\u2028d\u202ee") == "a b c d e"


def test_a_template_that_names_what_it_is_not_given_fails_loudly():
    # given the project's environment and a template using a name outside TEMPLATE_CONTEXT
    template = dart_environment().from_string("// <%= title | dart_comment %> <%= subtitle %>")
    # when rendered with the usual context, then it fails instead of writing an empty string
    with pytest.raises(jinja2.UndefinedError):
        template.render(template_context(spec_validate(spec_data("snake"))))


def test_dart_braces_and_interpolation_pass_through_untouched():
    source = "final s = '${a} {{b}} {% c %} {# d #}'; <%= mechanic %>"
    assert dart_environment().from_string(source).render(mechanic="x") == source.replace(
        "<%= mechanic %>", "x"
    )


@pytest.mark.parametrize("slug", mechanic_slugs())
def test_every_event_a_mechanic_designs_is_tracked_on_web_and_mobile(slug):
    # given the events a mechanic declares (its game-specific analytics)
    from generation.mechanics import mechanic_get

    definition = mechanic_get(slug)
    designed = {event.name for event in definition.events}
    # when its web scene and its rendered Flame code are read the way the factory's step 5 reads them
    from batches.steps.analytics_impl import tracked_names

    web = tracked_names([definition.js_path.read_text()])
    files = mobile_project_files(spec=spec_validate(spec_data(slug)))
    mobile = tracked_names([d.decode() for p, d in files.items() if p.endswith(".dart")])
    # then each one has an emitter on both (step 5 refuses a game otherwise)
    assert designed <= web, f"web does not track {sorted(designed - web)}"
    assert designed <= mobile, f"mobile does not track {sorted(designed - mobile)}"
