"""POST /api/v1/games: game packages, and every way a package can be refused."""

import io
import os
import struct
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from gamefactory.api.throttles import GameUploadThrottle
from games import limits
from games.models import Asset, Game
from tests.games.conftest import assert_error, make_zip, package_files

pytestmark = pytest.mark.django_db

GAMES = "/api/v1/games"
LOGIC_OK = '"use strict";\nconst hooks = {\n  onStart(ctx) { return 1; },\n};\n'


def png(size=(8, 8), fmt="PNG"):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


def wav():
    import wave

    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\0\0" * 800)
    return out.getvalue()


def upload(client, data: bytes, **fields):
    package = SimpleUploadedFile("game.zip", data, "application/zip")
    return client.post(GAMES, {"package": package, **fields}, format="multipart")


def assert_nothing_written(settings):
    assert Game.objects.count() == 0
    assert not default_storage.exists("bundles")
    tmp = settings.VAR_DIR / "tmp"
    assert not tmp.exists() or os.listdir(tmp) == []


# --- accepted ----------------------------------------------------------------------------------


def test_a_package_becomes_a_game_built_by_the_platform(auth_api, spec):
    # given
    data = make_zip(package_files(spec, **{"assets/hero.png": png(), "assets/sfx/boom.wav": wav()}))
    # when
    r = upload(auth_api, data, title="My Upload", tags="mine,uploaded", category="puzzle")
    # then
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["title"], body["origin"], body["category"], body["tags"]) == (
        "My Upload",
        "upload",
        "puzzle",
        ["mine", "uploaded"],
    )
    game = Game.objects.get(pk=body["id"])
    manifest = game.current_version.manifest
    # the platform's own runtime and builder made it; the uploaded assets ride along
    assert {
        "index.html",
        "runtime.js",
        "mechanics/snake.js",
        "assets/uploads/hero.png",
        "assets/uploads/sfx/boom.wav",
    } <= set(manifest)
    assert (
        Asset.objects.get(version=game.current_version, path="assets/uploads/hero.png").content_type
        == "image/png"
    )
    assert game.provenance["source"] == "upload" and len(game.provenance["package_sha256"]) == 64


def test_checked_logic_js_ships_wrapped_and_loaded_before_the_mechanic(auth_api, spec):
    # when
    r = upload(auth_api, make_zip(package_files(spec, **{"logic.js": LOGIC_OK})))
    # then
    assert r.status_code == 201, r.content
    version = Game.objects.get(pk=r.json()["id"]).current_version
    logic = default_storage.open(f"{version.bundle_path}/logic.js").read().decode()
    index = default_storage.open(f"{version.bundle_path}/index.html").read().decode()
    assert "window.GF_LOGIC = (function (GF)" in logic and "onStart" in logic
    assert (
        index.index('<script src="runtime.js">')
        < index.index('<script src="logic.js">')
        < index.index('<script src="mechanics/')
    )
    # the bundle's own manifest stays true
    import hashlib
    import json

    shipped = json.loads(default_storage.open(f"{version.bundle_path}/manifest.json").read())
    assert shipped["files"]["logic.js"]["sha256"] == hashlib.sha256(logic.encode()).hexdigest()
    assert shipped["files"]["index.html"]["sha256"] == hashlib.sha256(index.encode()).hexdigest()


def test_the_same_package_twice_is_the_same_game(auth_api, spec):
    data = make_zip(package_files(spec))
    first = upload(auth_api, data)
    second = upload(auth_api, data)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"] and Game.objects.count() == 1


# --- refused -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("logic", "reason"),
    [
        ('"use strict";\nconst hooks = { onStart(ctx) { fetch("https://evil.example/x"); } };\n', "fetch"),
        ('"use strict";\nconst hooks = { onStart(ctx) { return document.cookie; } };\n', "document"),
        (
            '"use strict";\nconst hooks = { onStart(ctx) { new Image().src = "//evil.example/" + 1; } };\n',
            "Image",
        ),
        ('"use strict";\nconst hooks = { onStart(ctx) { ctx["constr" + "uctor"]; } };\n', "constr"),
    ],
)
def test_logic_that_reaches_outside_the_sandbox_is_refused(auth_api, spec, settings, logic, reason):
    r = upload(auth_api, make_zip(package_files(spec, **{"logic.js": logic})))
    err = assert_error(r, 400, field="logic.js", code="logic_refused")
    assert err["fields"]["logic.js"][0].startswith("line ")
    assert_nothing_written(settings)


def test_an_invalid_spec_is_refused_naming_the_path(auth_api, spec, settings):
    data = spec.model_dump(mode="json")
    data["levels"][0] = {"nonsense": True}
    err = assert_error(
        upload(auth_api, make_zip({"spec.json": __import__("json").dumps(data)})), 400, code="invalid_spec"
    )
    assert any(k.startswith("spec.levels.0") for k in err["fields"]), err
    assert_nothing_written(settings)


@pytest.mark.parametrize(
    ("files", "code"),
    [
        ({"assets/hero.png": b"not really a png"}, "bad_type"),
        ({"assets/hero.png": png(fmt="JPEG")}, "bad_type"),  # a JPEG named .png
        ({"assets/boom.wav": b"RIFF....not a wave file"}, "bad_type"),
        ({"assets/page.html": b"<script>alert(1)</script>"}, "bad_type"),
        ({"assets/evil.svg": b"<svg onload=alert(1)>"}, "bad_type"),
        ({"index.html": b"<html>"}, "unexpected_file"),
        ({"../escape.png": png()}, "bad_path"),
        ({"assets/../../escape.png": png()}, "bad_path"),
        ({"/etc/cron.d/x": b"x"}, "bad_path"),
        ({"C:/windows/x.png": png()}, "bad_path"),
        ({"assets\\..\\x.png": png()}, "bad_path"),
    ],
)
def test_bad_entries_are_refused(auth_api, spec, settings, files, code):
    r = upload(auth_api, make_zip(package_files(spec, **files)))
    assert_error(r, 400, field="package", code=code)
    assert_nothing_written(settings)


def test_a_package_without_a_spec_is_refused(auth_api, settings):
    assert_error(
        upload(auth_api, make_zip({"assets/a.png": png()})), 400, field="package", code="missing_spec"
    )
    assert_nothing_written(settings)


def test_not_a_zip_is_refused(auth_api, settings):
    assert_error(upload(auth_api, b"just some bytes"), 400, field="package", code="not_a_zip")
    assert_nothing_written(settings)


def test_a_symlink_entry_is_refused(auth_api, spec, settings):
    # given: an entry whose Unix mode says "symbolic link" (to /etc/passwd)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("spec.json", __import__("json").dumps(spec.model_dump(mode="json")))
        link = zipfile.ZipInfo("assets/link.png")
        link.create_system = 3
        link.external_attr = 0o120777 << 16
        zf.writestr(link, "/etc/passwd")
    # when / then
    assert_error(upload(auth_api, out.getvalue()), 400, field="package", code="symlink")
    assert_nothing_written(settings)


def test_a_zip_bomb_is_refused_from_its_ratio(auth_api, spec, settings):
    # 3 MB of zeros deflate to a few kilobytes
    data = make_zip(
        package_files(spec, **{"assets/bomb.wav": b"RIFF\0\0\0\0WAVE" + b"\0" * (3 * 1024 * 1024)})
    )
    assert len(data) < 100_000
    assert_error(upload(auth_api, data), 400, field="package", code="zip_bomb")
    assert_nothing_written(settings)


def test_a_package_inflating_past_the_total_limit_is_refused(auth_api, spec, settings, monkeypatch):
    monkeypatch.setattr(limits, "UPLOAD_MAX_UNCOMPRESSED_BYTES", 150_000)
    noisy = {f"assets/n{i}.png": os.urandom(60_000) for i in range(3)}
    data = make_zip(package_files(spec, **noisy), compression=zipfile.ZIP_STORED)
    assert_error(upload(auth_api, data), 413, field="package", code="zip_bomb")
    assert_nothing_written(settings)


def test_a_zip_that_lies_about_its_sizes_is_refused_while_extracting(auth_api, spec, settings):
    # given: 400 kB of zeros whose headers claim 1 kB (the ratio check sees nothing wrong)
    data = bytearray(make_zip(package_files(spec, **{"assets/liar.wav": b"\0" * 400_000})))
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            name_len = struct.unpack_from("<H", data, start + (26 if signature == b"PK\x03\x04" else 28))[0]
            if bytes(data[name_at : name_at + name_len]) == b"assets/liar.wav":
                struct.pack_into("<I", data, start + offset, 1000)
            start += 4
    # when / then
    err = assert_error(upload(auth_api, bytes(data)), 400, field="package")
    assert "assets/liar.wav" in err["message"]
    assert_nothing_written(settings)


def test_too_many_files_are_refused(auth_api, spec, settings, monkeypatch):
    monkeypatch.setattr(limits, "UPLOAD_MAX_FILES", 4)
    files = {f"assets/{i}.png": png() for i in range(4)}
    assert_error(
        upload(auth_api, make_zip(package_files(spec, **files))), 400, field="package", code="too_many_files"
    )
    assert_nothing_written(settings)


def test_a_package_over_the_size_limit_is_refused(auth_api, spec, settings):
    settings.GAMES_UPLOAD_MAX_BYTES = 1000
    data = make_zip(package_files(spec, **{"assets/n.png": os.urandom(2000)}), compression=zipfile.ZIP_STORED)
    assert_error(upload(auth_api, data), 413, field="package", code="package_too_large")
    assert_nothing_written(settings)


def test_a_missing_package_field_is_a_400(auth_api):
    assert_error(auth_api.post(GAMES, {"title": "x"}, format="multipart"), 400, field="package")


def test_uploading_needs_an_account(api, spec):
    assert_error(upload(api, make_zip(package_files(spec))), 401)


def test_the_upload_throttle(auth_api, spec, monkeypatch):
    monkeypatch.setattr(GameUploadThrottle, "rate", "2/minute", raising=False)
    data = make_zip({"spec.json": "{}"})
    assert upload(auth_api, data).status_code == 400
    assert upload(auth_api, data).status_code == 400
    assert_error(upload(auth_api, data), 429, code="throttled")
