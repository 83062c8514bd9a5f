"""The bundle builder: a GameSpec becomes a folder the sandboxed player page can serve.

Layout of a bundle::

    index.html              the page: data blocks #gf-spec and #gf-assets, then the scripts
    style.css
    runtime.js              generation/static/generation/runtime.js
    logic.js                only with custom logic: `jscheck.logic_wrap` of the checked source
    mechanics/<slug>.js     the mechanic's Phaser scene
    spec.json               the spec (canonical JSON), also inlined in index.html
    assets/...              sprites, background, palette, sounds, thumbnails (generation/assets.py)
    manifest.json           sha256 and size of every file, totals, the spec's hash
    vendor/phaser.min.js    only with include_phaser=True (standalone folder that opens from disk)

No inline script, no external URL: it runs under `script-src 'self'; connect-src 'none'`.
Deterministic: the same spec gives the same bytes.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from gamefactory.errors import ApplicationError
from generation import limits
from generation.assets import assets_build
from generation.cast import credits_text, license_text
from generation.jscheck import logic_validate, logic_wrap
from generation.spec import GameSpec, spec_validate

STATIC_DIR = Path(__file__).resolve().parent / "static" / "generation"
# Where the platform serves Phaser to every game (settings.STATICFILES_DIRS: vendor/phaser).
DEFAULT_PHASER_URL = "/static/vendor/phaser/phaser.min.js"
VENDOR_PHASER = "vendor/phaser.min.js"
MANIFEST = "manifest.json"
LOGIC_SCRIPT = "logic.js"
# A same-origin path or a relative one: never a scheme, a host or a protocol-relative URL.
_LOCAL_URL = re.compile(r"^(?!//)(?![a-zA-Z][a-zA-Z0-9+.-]*:)[A-Za-z0-9_./~-]+$")


def phaser_path() -> Path:
    return Path(settings.NODE_MODULES) / "phaser" / "dist" / "phaser.min.js"


@dataclass(frozen=True)
class Bundle:
    """A built bundle: where it is, its manifest and the spec it was built from."""

    path: Path
    manifest: dict
    spec: GameSpec

    @property
    def index(self) -> Path:
        return self.path / "index.html"


CREDITS_FILE = "CREDITS.txt"
ART_LICENSE_FILE = "LICENSES/noto-emoji-Apache-2.0.txt"


def _script_json(data) -> str:
    """JSON safe inside a <script type="application/json"> block (no `</script>`, no `<!--`)."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                          ("\u2029", "\\u2029")):  # fmt: skip
        text = text.replace(char, escaped)
    return text


def _index_html(*, spec: GameSpec, assets_manifest: dict, phaser_src: str, has_logic: bool) -> bytes:
    lang = "en"
    # After the runtime (which reads window.GF_LOGIC when it boots), before the mechanic.
    logic_tag = f'<script src="{LOGIC_SCRIPT}"></script>\n' if has_logic else ""
    page = f"""<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, maximum-scale=1, user-scalable=no">
<meta name="generator" content="GameFactory spec v{spec.spec_version}">
<title>{html.escape(spec.title)}</title>
<link rel="stylesheet" href="style.css">
</head>
<body>
<div id="gf-game"></div>
<script type="application/json" id="gf-spec">{_script_json(spec.model_dump(mode="json"))}</script>
<script type="application/json" id="gf-assets">{_script_json(assets_manifest)}</script>
<script src="{html.escape(phaser_src)}"></script>
<script src="runtime.js"></script>
{logic_tag}<script src="mechanics/{spec.mechanic}.js"></script>
</body>
</html>
"""
    return page.encode()


def _logic_checked(logic_js: str | None) -> tuple[str, tuple[str, ...]] | None:
    """The custom logic to ship and its hooks, checked again here: refused code never ships."""
    if logic_js is None or (isinstance(logic_js, str) and not logic_js.strip()):
        return None
    check = logic_validate(source=logic_js)  # ApplicationError on the field `logic.js`
    return logic_js, check.hooks


def bundle_files(
    *,
    spec: GameSpec,
    phaser_src: str = DEFAULT_PHASER_URL,
    include_phaser: bool = False,
    logic_js: str | None = None,
) -> dict[str, bytes]:
    """Every file of the bundle (relative path -> bytes), manifest included, in memory."""
    logic = _logic_checked(logic_js)  # (source, hooks), or None without custom logic
    if include_phaser:
        phaser_src = VENDOR_PHASER
    if not isinstance(phaser_src, str) or not _LOCAL_URL.match(phaser_src):
        raise ApplicationError.for_field(
            "phaser_src", "Phaser must come from the platform itself (a path, not a URL).", code="invalid"
        )
    definition = spec.definition
    assets = assets_build(spec=spec)
    assets_manifest = {**assets.manifest(), "cues": spec.cue_map()}
    files: dict[str, bytes] = {
        "index.html": _index_html(
            spec=spec, assets_manifest=assets_manifest, phaser_src=phaser_src, has_logic=logic is not None
        ),
        "style.css": (STATIC_DIR / "style.css").read_bytes(),
        "runtime.js": (STATIC_DIR / "runtime.js").read_bytes(),
        f"mechanics/{spec.mechanic}.js": definition.js_path.read_bytes(),
        "spec.json": spec.canonical_json().encode(),
        **assets.files,
        # The cast's artwork is Noto Emoji (Apache-2.0): its credit and licence travel with the game.
        CREDITS_FILE: credits_text(spec.cast).encode(),
        ART_LICENSE_FILE: license_text().encode(),
    }
    if logic is not None:
        files[LOGIC_SCRIPT] = logic_wrap(source=logic[0]).encode()
    if include_phaser:
        files[VENDOR_PHASER] = phaser_path().read_bytes()
    entries = {
        path: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        for path, data in sorted(files.items())
    }
    game_size = sum(e["size"] for path, e in entries.items() if not path.startswith("vendor/"))
    manifest = {
        "format": 1,
        "entry": "index.html",
        "title": spec.title,
        "slug": spec.slug,
        "mechanic": spec.mechanic,
        "spec_version": spec.spec_version,
        "spec_sha256": spec.content_hash(),
        "phaser": phaser_src,
        "files": entries,
        "game_size": game_size,
        "total_size": sum(e["size"] for e in entries.values()),
        "thumbnails": {"small": "assets/thumb_small.webp", "large": "assets/thumb_large.webp"},
    }
    if logic is not None:
        manifest["logic"] = {
            "path": LOGIC_SCRIPT,
            "hooks": list(logic[1]),
            "source_sha256": hashlib.sha256(logic[0].encode()).hexdigest(),
        }
    if game_size > limits.BUNDLE_MAX_BYTES:
        raise ApplicationError(
            f"The game's own files take {game_size} bytes, over the {limits.BUNDLE_MAX_BYTES} byte budget.",
            code="bundle_too_large",
        )
    files[MANIFEST] = (json.dumps(manifest, sort_keys=True, indent=1) + "\n").encode()
    return files


def bundle_build(
    *,
    spec: GameSpec | dict,
    out_dir: Path | str,
    phaser_src: str = DEFAULT_PHASER_URL,
    include_phaser: bool = False,
    logic_js: str | None = None,
) -> Bundle:
    """Build the bundle for `spec` into `out_dir` (created; a previous bundle there is replaced).

    `phaser_src` is the URL index.html loads Phaser from (the platform's shared copy);
    `include_phaser=True` copies Phaser into `vendor/` so the folder opens from disk.
    `logic_js` is custom logic (the source an LLM wrote, `const hooks = {...}`): it is checked
    again with `logic_validate` and shipped as `logic.js`, wrapped by `logic_wrap`.
    Raises ApplicationError when the spec is invalid, the logic is refused (field `logic.js`),
    `out_dir` holds something that is not a bundle, or the game's files exceed the size budget.
    """
    spec = spec if isinstance(spec, GameSpec) else spec_validate(spec)
    files = bundle_files(spec=spec, phaser_src=phaser_src, include_phaser=include_phaser, logic_js=logic_js)
    out = Path(out_dir)
    if out.exists():
        if not out.is_dir():
            raise ApplicationError.for_field("out_dir", f"{out} is a file.", code="invalid")
        if any(out.iterdir()):
            if not (out / MANIFEST).is_file():
                raise ApplicationError.for_field(
                    "out_dir",
                    f"{out} is not empty and holds no bundle: refusing to overwrite it.",
                    code="invalid",
                )
            shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    for rel, data in files.items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return Bundle(path=out, manifest=json.loads(files[MANIFEST]), spec=spec)


def bundle_verify(*, path: Path | str) -> list[str]:
    """Problems found comparing a bundle folder with its manifest (missing, changed or extra files)."""
    root = Path(path)
    try:
        manifest = json.loads((root / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        return [f"manifest.json unreadable: {exc}"]
    problems = []
    for rel, entry in manifest["files"].items():
        file = root / rel
        if not file.is_file():
            problems.append(f"{rel}: missing")
        elif hashlib.sha256(file.read_bytes()).hexdigest() != entry["sha256"]:
            problems.append(f"{rel}: content differs from the manifest")
    listed = set(manifest["files"]) | {MANIFEST}
    for file in root.rglob("*"):
        if file.is_file() and file.relative_to(root).as_posix() not in listed:
            problems.append(f"{file.relative_to(root).as_posix()}: not in the manifest")
    return problems
