"""One seeded PRNG per language, giving the same numbers for the same seed everywhere.

- Python: `generation.rng.mulberry32` (the validators draw what the games will draw);
- JavaScript: the runtime's `function rng` (`GF.rng`), cut out of runtime.js with tree-sitter and
  run by node;
- Dart: `gfRng` of the rendered `lib/gf_runtime.dart`, run by a small evaluator over its
  tree-sitter-dart parse tree (tests/generation/dart_eval.py), since no Dart SDK can be installed.

And every mechanic draws from those only, seeding each level alike on web and mobile.
"""

import json
import re
import subprocess

import pytest
import tree_sitter
import tree_sitter_javascript

from generation.bundle import STATIC_DIR
from generation.mechanics import mechanic_registry
from generation.mobile import mobile_project_files, template_context
from generation.rng import mulberry32
from generation.spec import spec_validate
from tests.generation.dart_eval import DartEvaluator
from tests.generation.specs import mechanic_slugs, spec_data

SEEDS = [0, 1, 7, 42, 123456789, 2**31 - 1, 2**31, 2**32 - 1, 2**32 + 5, -7]
DRAWS = 64
GENERATION_DIR = STATIC_DIR.parent.parent
PRNG_CONSTANT = re.compile(r"0x6d2b79f5", re.IGNORECASE)


def _runtime_rng_source() -> str:
    """The text of `function rng(seed) {...}` in runtime.js, found by parsing it."""
    source = (STATIC_DIR / "runtime.js").read_bytes()
    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_javascript.language()))
    stack = [parser.parse(source).root_node]
    found = []
    while stack:
        node = stack.pop()
        name = node.child_by_field_name("name")
        if node.type == "function_declaration" and name is not None and name.text == b"rng":
            found.append(node.text.decode())
        stack.extend(node.children)
    assert len(found) == 1, "runtime.js must define `function rng(seed)` once"
    return found[0]


def _js_draws(seeds: list[int]) -> dict[str, list[float]]:
    script = (
        _runtime_rng_source()
        + f"\nconst out = {{}};\nfor (const seed of {json.dumps(seeds)}) {{\n"
        + f"  const r = rng(seed); out[seed] = Array.from({{length: {DRAWS}}}, () => r());\n}}\n"
        + "console.log(JSON.stringify(out));\n"
    )
    done = subprocess.run(["node", "-e", script], capture_output=True, text=True, timeout=60, check=True)
    return json.loads(done.stdout)


def _dart_runtime() -> DartEvaluator:
    files = mobile_project_files(spec=spec_validate(spec_data("snake")))
    return DartEvaluator(files["lib/gf_runtime.dart"])


def test_mulberry32_is_deterministic_and_in_range():
    a, b = mulberry32(42), mulberry32(42)
    values = [a() for _ in range(100)]
    assert values == [b() for _ in range(100)]
    assert all(0 <= v < 1 for v in values) and len(set(values)) == 100


def test_mulberry32_matches_the_runtime_bit_for_bit():
    # values printed by runtime.js's rng (GF.rng) in node for the same seeds
    draw = mulberry32(1)
    assert [draw() for _ in range(4)] == [0.6270739405881613, 0.002735721180215478, 0.5274470399599522,
                                          0.9810509674716741]  # fmt: skip
    draw = mulberry32(2147483646)
    assert [draw(), draw()] == [0.9936443585902452, 0.3810898973606527]


def test_python_js_and_dart_draw_the_same_numbers_for_the_same_seeds():
    # given each language's one PRNG: Python's module, the runtime's rng run by node, the Flame runtime's gfRng
    def sequence(draw) -> list[float]:
        return [draw() for _ in range(DRAWS)]

    gf_rng = _dart_runtime().function("gfRng")
    python = {seed: sequence(mulberry32(seed)) for seed in SEEDS}
    js = _js_draws(SEEDS)
    dart = {seed: sequence(gf_rng(seed)) for seed in SEEDS}
    # then the three sequences are equal, number for number, for every seed
    for seed in SEEDS:
        assert python[seed] == js[str(seed)], f"Python and JS differ for seed {seed}"
        assert python[seed] == dart[seed], f"Python and Dart differ for seed {seed}"


def test_gf_rng_is_the_runtime_function_the_test_runs():
    source = (STATIC_DIR / "runtime.js").read_text()
    exposed = re.search(r"window\.GF = Object\.freeze\(\{(.*?)\n  \}\);", source, re.S)
    assert exposed and re.search(r"^\s*rng: rng,$", exposed.group(1), re.M)


def test_the_dart_check_sees_a_prng_that_drifts():
    # given gfRng with one shift changed (15 -> 16)
    files = mobile_project_files(spec=spec_validate(spec_data("snake")))
    source = files["lib/gf_runtime.dart"].decode().replace("state ^ (state >> 15)", "state ^ (state >> 16)")
    draw = DartEvaluator(source.encode()).function("gfRng")(42)
    python = mulberry32(42)
    # then it draws other numbers
    assert [draw() for _ in range(8)] != [python() for _ in range(8)]


def test_there_is_one_prng_per_language():
    # mulberry32's constant appears once per language: rng.py, runtime.js, the Flame runtime
    holders = sorted(
        path.relative_to(GENERATION_DIR).as_posix()
        for path in GENERATION_DIR.rglob("*")
        if path.suffix in (".py", ".js", ".dart") and PRNG_CONSTANT.search(path.read_text(errors="ignore"))
    )
    assert holders == ["mobile/templates/lib/gf_runtime.dart", "rng.py", "static/generation/runtime.js"]


@pytest.mark.parametrize("slug", mechanic_slugs())
def test_every_mechanic_draws_only_from_the_shared_prng(slug):
    definition = mechanic_registry()[slug]
    scene = definition.js_path.read_text()
    flame = mobile_project_files(spec=spec_validate(spec_data(slug)))[f"lib/mechanics/{slug}.dart"].decode()
    # no other source of chance on either side
    assert "Math.random" not in scene
    assert not re.search(r"\bRandom\b", flame), "use gfRng, not dart:math's Random"
    # and one draws only where the other does, each level seeded by its rngSeed
    web_draws = bool(re.search(r"\b(?:gf|GF)\.rng\(", scene))
    mobile_draws = "gfRng(" in flame
    assert web_draws == mobile_draws, "the scene and the Flame template must both draw, or neither"
    if web_draws:
        assert "static rngSeed(level, index)" in scene
        assert "static int rngSeed(Map<String, dynamic> level, int index)" in flame
        assert "gfRng(rngSeed(level, game.levelIndex))" in flame


def test_web_and_mobile_seed_every_level_alike():
    # given every level of a game of each mechanic that draws at play time
    levels = {}
    for slug in mechanic_slugs():
        if "static rngSeed(" in mechanic_registry()[slug].js_path.read_text():
            levels[slug] = spec_data(slug)["levels"]
    assert {"snake", "maze", "match3", "merge", "dodger"} <= set(levels)
    # when the scene's rngSeed runs in node (the real scene.js, with a stand-in GF) ...
    script = (
        "const fs = require('fs'), vm = require('vm');\n"
        f"const levels = {json.dumps(levels)};\nconst paths = {json.dumps({s: str(mechanic_registry()[s].js_path) for s in levels})};\n"
        "const out = {};\n"
        "for (const slug of Object.keys(levels)) {\n"
        "  let Scene = null;\n"
        "  const GF = {MechanicScene: class {}, registerMechanic: (s, c) => { Scene = c; }};\n"
        "  vm.runInNewContext(fs.readFileSync(paths[slug], 'utf8'), {GF: GF, Math: Math});\n"
        "  out[slug] = levels[slug].map((level, index) => Scene.rngSeed(level, index));\n"
        "}\nconsole.log(JSON.stringify(out));\n"
    )
    done = subprocess.run(["node", "-e", script], capture_output=True, text=True, timeout=60, check=True)
    web = json.loads(done.stdout)
    # ... and the Flame template's rngSeed in the Dart evaluator
    for slug, slug_levels in levels.items():
        files = mobile_project_files(spec=spec_validate(spec_data(slug)))
        class_name = template_context(spec_validate(spec_data(slug)))["class_name"]
        rng_seed = DartEvaluator(files[f"lib/mechanics/{slug}.dart"]).static_method(class_name, "rngSeed")
        mobile = [rng_seed(level, index) for index, level in enumerate(slug_levels)]
        # then both seed every level with the same number (and different levels differently)
        assert mobile == web[slug], slug
        assert len(set(mobile)) > 1 or len(mobile) == 1, slug
