"""The logic.js checker against a corpus of escape attempts and of legitimate modern code.

Each file in `jscorpus/escapes/` starts with `// expect: <code> <line>`: the checker must refuse
it with that reason at that line. Each file in `jscorpus/legit/` must be accepted.
"""

import random
from pathlib import Path

import pytest

from gamefactory.errors import ApplicationError
from generation.jscheck import (
    CTX_API,
    HOOK_NAMES,
    logic_check,
    logic_rules_prompt,
    logic_validate,
    logic_wrap,
)

CORPUS = Path(__file__).parent / "jscorpus"
ESCAPES = sorted((CORPUS / "escapes").glob("*.js"))
LEGIT = sorted((CORPUS / "legit").glob("*.js"))


def _expectation(path: Path) -> tuple[str, int]:
    header = path.read_text().splitlines()[0]
    assert header.startswith("// expect: "), f"{path.name} has no expectation header"
    code, line = header.removeprefix("// expect: ").split()
    return code, int(line)


def test_corpus_is_big_enough():
    assert len(ESCAPES) >= 40
    assert len(LEGIT) >= 15


@pytest.mark.parametrize("path", ESCAPES, ids=lambda p: p.stem)
def test_escape_attempt_is_refused_with_reason_and_line(path):
    # given
    code, line = _expectation(path)
    source = path.read_text()

    # when
    result = logic_check(source=source)

    # then
    assert not result.ok
    found = {(issue.code, issue.line) for issue in result.issues}
    assert (code, line) in found, f"expected {code} at line {line}, got {[str(i) for i in result.issues]}"
    assert all(issue.column >= 1 and issue.message for issue in result.issues)


@pytest.mark.parametrize("path", LEGIT, ids=lambda p: p.stem)
def test_legitimate_modern_code_is_accepted(path):
    # given
    source = path.read_text()

    # when
    result = logic_check(source=source)

    # then
    assert result.ok, [str(issue) for issue in result.issues]
    assert result.hooks
    assert set(result.hooks) <= set(HOOK_NAMES)


def test_reason_names_line_and_column():
    # given
    source = '"use strict";\nconst hooks = {\n  onStart(ctx) {\n    const x = 1; fetch("/x");\n  },\n};\n'

    # when
    result = logic_check(source=source)

    # then
    assert [(i.code, i.line, i.column) for i in result.issues] == [("network", 4, 18)]
    assert result.reason.startswith("line 4:18: `fetch`")


def test_column_counts_characters_not_bytes():
    # given: two 2-byte characters before the call on its line
    source = '"use strict";\nconst hooks = { onStart(ctx) { const s = "éé"; eval(s); } };\n'

    # when
    result = logic_check(source=source)

    # then
    assert [(i.code, i.line, i.column) for i in result.issues] == [("code_from_string", 2, 48)]


def test_validate_raises_application_error_on_logic_field():
    # when
    with pytest.raises(ApplicationError) as caught:
        logic_validate(source='const hooks = { onStart(ctx) { window.top.location = "x"; } };')

    # then
    error = caught.value
    assert error.code == "logic_refused"
    assert "logic.js" in error.fields
    assert "line 1:32" in error.message
    assert error.fields["logic.js"][0].startswith("line 1:32: `window`")


def test_validate_returns_result_for_accepted_code():
    # when
    result = logic_validate(source='"use strict";\nconst hooks = { onScore(ctx, p) { return p * 2; } };')

    # then
    assert result.ok and result.hooks == ("onScore",)


def test_oversized_source_is_refused_before_parsing(settings):
    # given
    settings.GENERATION_LOGIC_MAX_BYTES = 1000
    source = "const hooks = { onStart(ctx) {} };\n" + "// padding\n" * 200

    # when
    result = logic_check(source=source)

    # then
    assert [(i.code, i.line) for i in result.issues] == [("size", 1)]
    assert "1000" in result.reason


def test_default_size_limit_is_64_kb():
    # given
    source = "const hooks = { onStart(ctx) {} };\n" + "/" + "*" + " " * (64 * 1024) + "*/\n"

    # when
    result = logic_check(source=source)

    # then
    assert result.issues[0].code == "size"


def test_deep_nesting_is_refused():
    # given
    source = "const hooks = { onStart(ctx) { return " + "[" * 400 + "]" * 400 + "; } };"

    # when
    result = logic_check(source=source)

    # then
    assert [i.code for i in result.issues] == ["size"]
    assert "nests deeper" in result.reason


def test_node_count_limit(settings):
    # given
    settings.GENERATION_LOGIC_MAX_NODES = 500
    source = "const hooks = { onStart(ctx) { const a = [" + "1, " * 400 + "]; } };"

    # when
    result = logic_check(source=source)

    # then
    assert result.issues[0].code == "size"
    assert "syntax nodes" in result.reason


@pytest.mark.parametrize("source", [b"const hooks = {};", None, 42])
def test_non_text_is_refused(source):
    # when
    result = logic_check(source=source)

    # then
    assert not result.ok and result.issues[0].code == "syntax"


def test_lone_surrogate_is_refused():
    # when
    result = logic_check(source='const hooks = { onStart(ctx) { ctx.s = "\ud800"; } };')

    # then
    assert not result.ok and result.issues[0].code == "syntax"


def test_every_issue_is_reported_in_source_order():
    # given
    source = "\n".join(
        [
            '"use strict";',
            "const hooks = {",
            "  onStart(ctx) {",
            "    localStorage.clear();",
            "    fetch('/a');",
            "    eval('1');",
            "  },",
            "};",
        ]
    )

    # when
    result = logic_check(source=source)

    # then
    assert [(i.code, i.line) for i in result.issues] == [
        ("storage", 4),
        ("network", 5),
        ("code_from_string", 6),
    ]


def test_scoping_a_parameter_does_not_leak_to_outer_references():
    # given: `fetch` is a parameter of `f` only; the top-level call is the real fetch
    source = (
        '"use strict";\nfunction f(fetch) { return fetch; }\nfetch("/x");\nconst hooks = { onStart(ctx) {} };'
    )

    # when
    result = logic_check(source=source)

    # then
    assert [(i.code, i.line) for i in result.issues] == [("network", 3)]


def test_block_scoped_declaration_does_not_cover_later_use():
    # given: `self` is declared inside the block only
    source = '"use strict";\n{ const self = 1; }\nconst hooks = { onStart(ctx) { return self; } };'

    # when
    result = logic_check(source=source)

    # then
    assert [(i.code, i.line) for i in result.issues] == [("page", 3)]


def test_var_is_hoisted_to_its_function():
    # given: `var` inside a block is the function's, so the later use is local
    source = (
        '"use strict";\nconst hooks = { onStart(ctx) {\n'
        "  if (ctx) { var location = 1; }\n  return location + 1;\n} };"
    )

    # when
    result = logic_check(source=source)

    # then
    assert result.ok, result.reason


def test_this_in_object_method_needs_use_strict():
    # given
    body = "const hooks = { onStart(ctx) { this.started = true; } };"

    # when
    sloppy = logic_check(source=body)
    strict = logic_check(source='"use strict";\n' + body)

    # then
    assert [i.code for i in sloppy.issues] == ["this"]
    assert strict.ok


def test_numeric_key_stops_being_safe_when_a_string_is_assigned_later():
    # given
    source = (
        '"use strict";\nconst hooks = { onStart(ctx) {\n'
        "  let i = 0;\n  const a = [1, 2];\n  a[i];\n  i = String(i);\n} };"
    )

    # when
    result = logic_check(source=source)

    # then
    assert [(i.code, i.line) for i in result.issues] == [("computed_key", 5)]


def test_a_long_chain_of_assignments_still_carries_the_dangerous_string():
    # given: a0 = a1, a1 = a2, ... and only the last one is set to "constructor"
    count = 1500
    lines = ['"use strict";', *(f"let a{i} = 0;" for i in range(count))]
    lines += [f"a{i} = a{i + 1};" for i in range(count - 1)]
    lines += [f'a{count - 1} = "constructor";', "const hooks = { onStart(ctx) { return ctx[a0]; } };"]

    # when
    result = logic_check(source="\n".join(lines))

    # then
    assert [(i.code, i.line) for i in result.issues] == [("computed_key", len(lines))]


def test_deeply_nested_pattern_is_refused_without_recursing():
    # given
    source = "let " + "[" * 5000 + "x" + "]" * 5000 + " = [];\nconst hooks = { onStart(ctx) {} };"

    # when
    result = logic_check(source=source)

    # then
    assert [i.code for i in result.issues] == ["size"]


def test_mangled_sources_never_crash_the_checker():
    # given: the corpus with random characters removed, inserted and swapped (seeded)
    rng = random.Random(20)
    pieces = ["{", "}", "(", ")", "[", "]", ";", "`", "${", '"', "/", "*", "\\u0061", "#x", "=>", "\n", "..."]
    sources = [path.read_text() for path in ESCAPES + LEGIT]

    for _ in range(400):
        chars = list(rng.choice(sources))
        for _ in range(rng.randint(1, 5)):
            position = rng.randrange(len(chars))
            if rng.random() < 0.4:
                del chars[position]
            elif rng.random() < 0.7:
                chars.insert(position, rng.choice(pieces))
            else:
                other = rng.randrange(len(chars))
                chars[position], chars[other] = chars[other], chars[position]

        # when
        result = logic_check(source="".join(chars))

        # then: a verdict, never an exception
        assert result.ok or result.issues[0].line >= 1


def test_wrap_makes_a_strict_function_returning_hooks():
    # when
    wrapped = logic_wrap(source="const hooks = { onStart(ctx) {} };")

    # then
    assert wrapped.startswith('window.GF_LOGIC = (function (GF) {\n"use strict";\n')
    assert "return typeof hooks" in wrapped
    assert logic_check(source=wrapped).issues  # the wrapper itself is runtime code, not logic


def test_rules_prompt_names_the_hooks_and_the_api():
    # when
    text = logic_rules_prompt()

    # then
    assert all(name in text for name in HOOK_NAMES)
    assert "GF.analytics.track" in text and "GF.multiplayer.send" in text
    assert all(f"ctx.{name}" in text for name in CTX_API)


# --- what the checker accepts really runs, wrapped, in Chromium -----------------------------------

BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The sandbox API's shape (runtime.js's window.GF), recording calls instead of posting them.
GF_DOUBLE = """
window.calls = [];
const record = (name) => (...args) => { window.calls.push(name); return Promise.resolve({ completed: true }); };
window.GF = Object.freeze({
  analytics: Object.freeze({ track: record("track") }),
  ads: Object.freeze({ show: record("show") }),
  multiplayer: Object.freeze({ send: record("send"), on: record("on") }),
  sound: Object.freeze({ play: record("play"), cue: record("cue") }),
});
"""


@pytest.fixture(scope="module")
def browser_page():
    import os
    import shutil

    from playwright.sync_api import sync_playwright

    executable = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).exists():
        pytest.skip("chromium is not installed")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=BROWSER_ARGS, headless=True)
        page = browser.new_page()
        yield page
        browser.close()


@pytest.mark.e2e
def test_accepted_logic_runs_wrapped_in_chromium(browser_page):
    # given
    page = browser_page
    page.set_content("<!doctype html><title>logic</title>")
    page.add_script_tag(content=GF_DOUBLE)

    for path in LEGIT:
        source = path.read_text()
        expected = logic_check(source=source).hooks
        page.evaluate("() => { window.GF_LOGIC = undefined; window.pageErrors = []; }")

        # when
        page.add_script_tag(content=logic_wrap(source=source))

        # then: it evaluated, returned its hooks, and declared nothing on window
        hooks = page.evaluate(
            "() => Object.keys(window.GF_LOGIC || {}).filter((k) => typeof window.GF_LOGIC[k] === 'function')"
        )
        assert sorted(hooks) == sorted(expected), path.name
        assert page.evaluate("() => typeof window.hooks") == "undefined", path.name


@pytest.mark.e2e
def test_wrapper_keeps_detached_methods_away_from_window(browser_page):
    # given: an object method using `this`, accepted because the file is strict
    source = '"use strict";\nconst hooks = { onStart(ctx) { return this; } };'
    assert logic_check(source=source).ok
    page = browser_page
    page.set_content("<!doctype html><title>logic</title>")
    page.add_script_tag(content=GF_DOUBLE)
    page.add_script_tag(content=logic_wrap(source=source))

    # when
    detached = page.evaluate("() => { const f = window.GF_LOGIC.onStart; return f() === undefined; }")

    # then
    assert detached is True
