"""The Flutter + Flame project of a game: Jinja2 templates rendered from its spec.

`mobile_project_files(spec=..., assets=...)` returns the project's files (path -> bytes):
`pubspec.yaml`, `lib/main.dart`, `lib/gf_runtime.dart`, `lib/mechanics/<slug>.dart`,
`assets/spec.json` and the bundle's images and sounds where Flame looks for them. The Dart
reads the same spec.json as the web bundle.

The templates are `templates/` here (each at the path it takes in the project) and every
mechanic's `flame.dart` (rendered as `lib/mechanics/<slug>.dart`). One Jinja2 environment renders
them all (`dart_environment`):

- delimiters that never occur in Dart code, so Dart's `${...}` and `{...}` stay as they are:
  `<%= expression %>`, `<% statement %>`, `<%# comment %>`;
- `StrictUndefined` (a name the template is not given is an error, never an empty string) and no
  autoescape (this is not HTML);
- filters for what a value becomes in the file: `dart_string` (a whole single-quoted Dart string
  literal), `dart_comment` (text that stays on one `//` line) and `yaml_string` (a double-quoted
  YAML scalar).

Every template gets `TEMPLATE_CONTEXT`'s names: `title` (the spec's title, raw: always pass it
through a filter), `mechanic` (the slug), `class_name` (the mechanic's Dart class), `package`
(the Dart package name) and `spec_version`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from pathlib import Path

import jinja2
import yaml

from generation.mechanics.base import MECHANICS_DIR
from generation.spec import GameSpec

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
# The project's own templates, each rendered to the same path in the project.
PROJECT_TEMPLATES = ("pubspec.yaml", "lib/main.dart", "lib/gf_runtime.dart")
TEMPLATE_CONTEXT = ("title", "mechanic", "class_name", "package", "spec_version")

_DART_ESCAPES = {"\\": "\\\\", "'": "\\'", "$": "\\$", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b",
                 "\f": "\\f", "\v": "\\v"}  # fmt: skip
# Characters that change how a line reads or where it ends (bidi controls: "Trojan Source").
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
_JOINERS = frozenset("\u200c\u200d")  # keep emoji sequences and scripts that need them whole


def dart_string(value: object) -> str:
    """`value` as a whole single-quoted Dart string literal: quote, `$` and backslash escaped, control,
    format and bidi characters written as `\\u{...}` escapes (the string's value is unchanged)."""
    out = []
    for ch in str(value):
        if ch in _DART_ESCAPES:
            out.append(_DART_ESCAPES[ch])
        elif unicodedata.category(ch) in _INVISIBLE and ch not in _JOINERS:
            out.append(f"\\u{{{ord(ch):x}}}")
        else:
            out.append(ch)
    return "'" + "".join(out) + "'"


def dart_comment(value: object) -> str:
    """`value` as text that stays inside one `//` comment: line breaks, control and bidi characters
    become spaces."""
    return "".join(
        " " if ch in _BIDI_CONTROLS or unicodedata.category(ch) in {"Cc", "Cs", "Zl", "Zp"} else ch
        for ch in str(value)
    )


def yaml_string(value: object) -> str:
    """`value` as one double-quoted YAML scalar (PyYAML's own escaping; `yaml.safe_load` gives it back)."""
    return yaml.safe_dump(str(value), default_style='"', allow_unicode=True, width=1_000_000).rstrip("\n")


@cache
def dart_environment() -> jinja2.Environment:
    """The one Jinja2 environment for the mobile project: `project/<path>` names a file of
    `templates/`, `mechanics/<slug>/flame.dart` a mechanic's template."""
    environment = jinja2.Environment(
        loader=jinja2.PrefixLoader(
            {
                "project": jinja2.FileSystemLoader(TEMPLATES_DIR),
                "mechanics": jinja2.FileSystemLoader(MECHANICS_DIR),
            }
        ),
        block_start_string="<%",
        block_end_string="%>",
        variable_start_string="<%=",
        variable_end_string="%>",
        comment_start_string="<%#",
        comment_end_string="%>",
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(dart_string=dart_string, dart_comment=dart_comment, yaml_string=yaml_string)
    return environment


def dart_render(source: str, context: dict[str, object]) -> str:
    """Render a Dart template's text (the factory's own files, `batches/steps/dart/`) with the same
    environment, delimiters and filters as the mobile project's templates."""
    return dart_environment().from_string(source).render(context)


def mechanic_class_name(slug: str) -> str:
    """The Dart class of a mechanic: `match3` -> `Match3Mechanic`, `endless_runner` -> `EndlessRunnerMechanic`."""
    return "".join(part.capitalize() for part in re.split(r"[_\W]+", slug) if part) + "Mechanic"


def dart_package_name(spec: GameSpec) -> str:
    """A valid Dart package name from the game's slug (lower case, digits, `_`; starts with a letter)."""
    name = re.sub(r"[^a-z0-9_]", "_", spec.slug.replace("-", "_"))[:50].strip("_") or "gamefactory_game"
    return name if name[0].isalpha() else "game_" + name


def template_context(spec: GameSpec) -> dict[str, object]:
    """The names every template of the project gets (TEMPLATE_CONTEXT)."""
    return {
        "title": spec.title,
        "mechanic": spec.mechanic,
        "class_name": mechanic_class_name(spec.mechanic),
        "package": dart_package_name(spec),
        "spec_version": spec.spec_version,
    }


def mobile_project_files(*, spec: GameSpec, assets: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """The Flame project for `spec`; `assets` are the bundle's files (assets/...) to ship with it."""
    environment = dart_environment()
    context = template_context(spec)
    rendered = {
        path: environment.get_template(f"project/{path}").render(context) for path in PROJECT_TEMPLATES
    }
    flame = spec.definition.dart_template_path.relative_to(MECHANICS_DIR).as_posix()
    rendered[f"lib/mechanics/{spec.mechanic}.dart"] = environment.get_template(f"mechanics/{flame}").render(
        context
    )
    out = {path: text.encode() for path, text in rendered.items()}
    out["assets/spec.json"] = json.dumps(spec.model_dump(mode="json"), indent=1, sort_keys=True).encode()
    for path, data in (assets or {}).items():
        name = path.removeprefix("assets/")
        if name.startswith("sfx/"):
            out[f"assets/audio/{name}"] = data
        elif name in ("sprites.png", "sprites.json", "background.png"):
            out[f"assets/images/{name}"] = data
    return out
