"""The Flame project templates render for every mechanic."""

import json
import re

import pytest

from generation.assets import assets_build
from generation.mobile import mobile_project_files
from generation.spec import spec_validate
from tests.generation.specs import mechanic_slugs, spec_data


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
            assert "{{" not in data.decode(), path
    assert json.loads(files["assets/spec.json"]) == spec.model_dump(mode="json")
    assert "assets/images/sprites.png" in files and "assets/audio/sfx/win.wav" in files
    assert b"flame:" in files["pubspec.yaml"]


def test_titles_are_escaped_for_dart():
    data = spec_data("snake")
    data["title"] = "Bob's $nake \\ game"
    files = mobile_project_files(spec=spec_validate(data))
    assert "title: 'Bob\\'s \\$nake \\\\ game'," in files["lib/main.dart"].decode()


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
