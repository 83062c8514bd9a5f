"""Fixtures of the catalogue tests: media in a temporary folder, one real bundle built once."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from games import services
from games.bundles import phaser_url
from games.models import Game
from generation.bundle import bundle_build
from generation.designer import spec_from_prompt
from tests.factories import game_publish_played

PROMPT = "a snake in a neon city that gets faster"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Every test stores bundles and thumbnails in its own folder (and temp work beside it)."""
    # Argon2 costs most of a second per user; these tests are not about passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    return settings.MEDIA_ROOT


@pytest.fixture(scope="session")
def spec():
    return spec_from_prompt(prompt=PROMPT, seed=1)


@pytest.fixture(scope="session")
def other_spec():
    return spec_from_prompt(prompt="a spooky maze with ghosts", seed=2)


@pytest.fixture(scope="session")
def built_bundle(tmp_path_factory, spec) -> Path:
    """The generator's real bundle for `spec`, built once for the whole session."""
    out = tmp_path_factory.mktemp("bundle") / "snake"
    bundle_build(spec=spec, out_dir=out, phaser_src=phaser_url())
    return out


@pytest.fixture(scope="session")
def other_bundle(tmp_path_factory, other_spec) -> Path:
    out = tmp_path_factory.mktemp("bundle") / "maze"
    bundle_build(spec=other_spec, out_dir=out, phaser_src=phaser_url())
    return out


@pytest.fixture
def publish(built_bundle, spec):
    """Publish a game from the prebuilt bundle (fast: no build); keyword overrides as game_publish."""
    counter = {"n": 0}

    def make(creator, **kwargs) -> Game:
        counter["n"] += 1
        options = {
            "spec": spec,
            "origin": Game.Origin.STUDIO,
            "provenance": {"source": "studio", "prompt": PROMPT, "test": counter["n"]},
            "bundle_dir": built_bundle,
        }
        options.update(kwargs)
        if (
            options.get("is_public", True)
            and options["origin"] != Game.Origin.UPLOAD
            and "playtest" not in options
        ):
            # Public only through the gate: a draft, played headless, then published.
            return game_publish_played(creator=creator, **options).game
        return services.game_publish(creator=creator, **options).game

    return make


def assert_error(response, status, field=None, code=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}, body
    assert {"code", "message", "fields"} <= set(body["error"])
    assert body["error"]["message"]
    if field:
        assert field in body["error"]["fields"], body
    if code:
        assert body["error"]["code"] == code, body
    return body["error"]


def make_zip(files: dict[str, bytes | str], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return out.getvalue()


def package_files(spec, **extra) -> dict[str, bytes | str]:
    return {"spec.json": json.dumps(spec.model_dump(mode="json")), **extra}


def copy_bundle(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target
