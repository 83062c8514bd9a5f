"""The bundle builder: files, manifest, determinism, size budget, sandbox-friendly HTML."""

import hashlib
import json
import re
from html.parser import HTMLParser

import pytest

from gamefactory.errors import ApplicationError
from generation import limits
from generation.bundle import DEFAULT_PHASER_URL, VENDOR_PHASER, bundle_build, bundle_files, bundle_verify
from generation.spec import spec_validate
from tests.generation.specs import mechanic_slugs, spec_data


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts, self.urls, self.data = [], [], {}
        self._current = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts.append(attrs)
            self._current = attrs.get("id")
        for key in ("src", "href"):
            if key in attrs:
                self.urls.append(attrs[key])

    def handle_data(self, data):
        if self._current:
            self.data[self._current] = self.data.get(self._current, "") + data

    def handle_endtag(self, tag):
        if tag == "script":
            self._current = None


def parse_index(html: bytes) -> _Scripts:
    parser = _Scripts()
    parser.feed(html.decode())
    return parser


@pytest.mark.parametrize("slug", mechanic_slugs())
def test_every_mechanic_bundles_under_the_budget(slug, tmp_path):
    # given a spec of the mechanic
    spec = spec_validate(spec_data(slug))
    # when it is built
    bundle = bundle_build(spec=spec, out_dir=tmp_path / "b")
    # then the game's own files stay under 500 KB and the manifest says so
    manifest = bundle.manifest
    assert manifest["game_size"] < limits.BUNDLE_MAX_BYTES
    assert manifest["mechanic"] == slug and manifest["spec_sha256"] == spec.content_hash()
    for required in ("index.html", "runtime.js", f"mechanics/{slug}.js", "spec.json", "style.css",
                     "assets/sprites.png", "assets/background.png", "assets/thumb_small.webp"):  # fmt: skip
        assert required in manifest["files"], required
    assert not any(path.startswith("vendor/") for path in manifest["files"])
    assert bundle_verify(path=bundle.path) == []


def test_same_spec_same_bytes(tmp_path):
    # given one spec built twice into two folders
    spec = spec_validate(spec_data("match3"))
    a = bundle_build(spec=spec, out_dir=tmp_path / "a")
    b = bundle_build(spec=spec_validate(spec_data("match3")), out_dir=tmp_path / "b")
    # then every file is byte for byte the same
    files_a = {p.relative_to(a.path): p.read_bytes() for p in a.path.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b.path): p.read_bytes() for p in b.path.rglob("*") if p.is_file()}
    assert files_a == files_b


def test_manifest_hashes_and_sizes_match_the_files(tmp_path):
    bundle = bundle_build(spec=spec_validate(spec_data("snake")), out_dir=tmp_path / "b")
    total = 0
    for rel, entry in bundle.manifest["files"].items():
        data = (bundle.path / rel).read_bytes()
        assert entry == {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        total += len(data)
    assert bundle.manifest["total_size"] == total
    assert json.loads((bundle.path / "spec.json").read_text())["mechanic"] == "snake"


def test_index_has_no_inline_script_and_no_external_url():
    # given the page of a bundle
    files = bundle_files(spec=spec_validate(spec_data("maze")))
    page = parse_index(files["index.html"])
    # then every script is a file of the bundle or a JSON data block, and no URL leaves the site
    for attrs in page.scripts:
        assert "src" in attrs or attrs.get("type") == "application/json", attrs
    assert page.urls == ["style.css", DEFAULT_PHASER_URL, "runtime.js", "mechanics/maze.js"]
    assert not any(re.match(r"^([a-z]+:|//)", url) for url in page.urls)
    combined = b"".join(files[p] for p in ("index.html", "runtime.js", "mechanics/maze.js", "style.css"))
    assert b"http://" not in combined and b"https://" not in combined
    assert json.loads(page.data["gf-spec"])["mechanic"] == "maze"
    assert set(json.loads(page.data["gf-assets"])["frames"]) >= {"player", "exit", "wall"}


def test_spec_text_cannot_break_out_of_its_data_block():
    # given a title that tries to close the script element
    data = spec_data("snake")
    data["title"] = "</script><script>alert(1)</script>"
    files = bundle_files(spec=spec_validate(data))
    page = parse_index(files["index.html"])
    # then the data block still holds the whole spec and no extra script appeared
    assert len(page.scripts) == 5
    assert json.loads(page.data["gf-spec"])["title"] == data["title"]
    assert b"<title>&lt;/script&gt;" in files["index.html"]


def test_include_phaser_makes_a_standalone_folder(tmp_path):
    bundle = bundle_build(spec=spec_validate(spec_data("snake")), out_dir=tmp_path / "b", include_phaser=True)
    assert (bundle.path / VENDOR_PHASER).stat().st_size > 500_000
    assert b'src="vendor/phaser.min.js"' in bundle.index.read_bytes()
    # Phaser is not the game's own weight
    assert bundle.manifest["game_size"] < limits.BUNDLE_MAX_BYTES < bundle.manifest["total_size"]


@pytest.mark.parametrize(
    "url", ["https://cdn.example.com/phaser.js", "//cdn.example.com/p.js", "javascript:x", "a b.js"]
)
def test_phaser_must_come_from_the_platform(url):
    with pytest.raises(ApplicationError) as info:
        bundle_files(spec=spec_validate(spec_data("snake")), phaser_src=url)
    assert "phaser_src" in info.value.fields


def test_rebuilding_replaces_a_bundle_but_never_other_folders(tmp_path):
    spec = spec_validate(spec_data("snake"))
    target = tmp_path / "b"
    bundle_build(spec=spec, out_dir=target)
    (target / "stale.txt").write_text("old")
    bundle_build(spec=spec, out_dir=target)
    assert not (target / "stale.txt").exists()
    precious = tmp_path / "home"
    precious.mkdir()
    (precious / "thesis.txt").write_text("do not delete")
    with pytest.raises(ApplicationError) as info:
        bundle_build(spec=spec, out_dir=precious)
    assert "out_dir" in info.value.fields
    assert (precious / "thesis.txt").exists()


def test_verify_spots_tampering(tmp_path):
    bundle = bundle_build(spec=spec_validate(spec_data("snake")), out_dir=tmp_path / "b")
    (bundle.path / "runtime.js").write_text("fetch('https://evil.example')")
    (bundle.path / "extra.js").write_text("1")
    problems = bundle_verify(path=bundle.path)
    assert "runtime.js: content differs from the manifest" in problems
    assert "extra.js: not in the manifest" in problems


def test_an_invalid_spec_never_becomes_a_bundle(tmp_path):
    data = spec_data("maze")
    data["levels"][0]["grid"] = ["#####", "#S#E#", "#####", "#...#", "#####"]
    with pytest.raises(ApplicationError) as info:
        bundle_build(spec=data, out_dir=tmp_path / "b")
    assert "levels.0" in info.value.fields
    assert not (tmp_path / "b").exists()


def test_over_budget_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "BUNDLE_MAX_BYTES", 10_000)
    with pytest.raises(ApplicationError) as info:
        bundle_build(spec=spec_validate(spec_data("snake")), out_dir=tmp_path / "b")
    assert info.value.code == "bundle_too_large"
    assert not (tmp_path / "b").exists()
