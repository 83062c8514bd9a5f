"""The Flutter + Flame project of a game: templates rendered from its spec.

`mobile_project_files(spec=..., assets=...)` returns the project's files (path -> bytes):
`pubspec.yaml`, `lib/main.dart`, `lib/gf_runtime.dart`, `lib/mechanics/<slug>.dart`,
`assets/spec.json` and the bundle's images and sounds where Flame looks for them. The Dart
reads the same spec.json as the web bundle. Placeholders are `{{NAME}}` (Dart uses `$`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from generation.spec import GameSpec

TEMPLATES = Path(__file__).resolve().parent
_PLACEHOLDER = re.compile(r"\{\{[A-Z_]+\}\}")


def _dart_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace("'", "\\'").replace("$", "\\$").replace("\n", " ")


def _render(template: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        template = template.replace("{{" + key + "}}", value)
    leftover = _PLACEHOLDER.findall(template)
    if leftover:
        raise ValueError(f"unfilled placeholders: {sorted(set(leftover))}")
    return template


def mobile_project_files(*, spec: GameSpec, assets: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """The Flame project for `spec`; `assets` are the bundle's files (assets/...) to ship with it."""
    definition = spec.definition
    class_name = (
        "".join(part.capitalize() for part in re.split(r"[_\W]+", spec.mechanic) if part) + "Mechanic"
    )
    values = {
        "TITLE": spec.title.replace("\n", " "),
        "TITLE_DART": _dart_string(spec.title),
        "TITLE_YAML": spec.title.replace("\\", "").replace('"', "'"),
        "MECHANIC": spec.mechanic,
        "CLASS": class_name,
        "PACKAGE": re.sub(r"[^a-z0-9_]", "_", spec.slug.replace("-", "_"))[:50].strip("_")
        or "gamefactory_game",
        "SPEC_VERSION": str(spec.spec_version),
    }
    if not values["PACKAGE"][0].isalpha():
        values["PACKAGE"] = "game_" + values["PACKAGE"]
    files = {
        "pubspec.yaml": _render((TEMPLATES / "pubspec.yaml.tmpl").read_text(), values),
        "lib/main.dart": _render((TEMPLATES / "main.dart.tmpl").read_text(), values),
        "lib/gf_runtime.dart": _render((TEMPLATES / "runtime.dart.tmpl").read_text(), values),
        f"lib/mechanics/{spec.mechanic}.dart": _render(definition.dart_template_path.read_text(), values),
    }
    out = {path: text.encode() for path, text in files.items()}
    out["assets/spec.json"] = json.dumps(spec.model_dump(mode="json"), indent=1, sort_keys=True).encode()
    for path, data in (assets or {}).items():
        name = path.removeprefix("assets/")
        if name.startswith("sfx/"):
            out[f"assets/audio/{name}"] = data
        elif name in ("sprites.png", "sprites.json", "background.png"):
            out[f"assets/images/{name}"] = data
    return out
