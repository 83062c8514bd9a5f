"""Assets: drawn and synthesised from the theme, deterministic, the right formats and sizes."""

import io
import wave
from collections import OrderedDict

import pytest
from PIL import Image

from generation import assets, limits
from generation.assets import _assets_draw, assets_build
from generation.mechanics.base import SOUNDS
from generation.spec import spec_validate
from tests.generation.specs import mechanic_slugs, spec_data


@pytest.fixture(scope="module")
def maze_assets():
    return assets_build(spec=spec_validate(spec_data("maze")))


def test_assets_are_deterministic():
    # given the same spec drawn twice (not the process's kept copy)
    spec = spec_validate(spec_data("snake"))
    # then every byte is the same
    assert _assets_draw(spec).files == _assets_draw(spec).files


def test_a_process_keeps_its_last_builds_by_spec(monkeypatch):
    # given a process that counts its drawings
    drawn = []

    def draw(spec):
        drawn.append(spec.content_hash())
        return real_draw(spec)

    real_draw = assets._assets_draw
    monkeypatch.setattr(assets, "_assets_draw", draw)
    monkeypatch.setattr(assets, "_kept", OrderedDict())
    spec = spec_validate(spec_data("snake"))
    # when the same spec is built twice, the first copy spoilt by its caller
    first = assets_build(spec=spec)
    first.files["assets/sprites.png"] = b"spoilt"
    first.frames.clear()
    second = assets_build(spec=spec)
    # then it was drawn once, and the second build is the drawing, unspoilt
    assert drawn == [spec.content_hash()]
    assert second.files == real_draw(spec).files and second.frames
    # and a spec that differs in any way is drawn anew
    other = spec_data("snake")
    other["title"] = other["title"] + " Two"
    assets_build(spec=spec_validate(other))
    assert len(drawn) == 2
    # and only the last ASSETS_KEPT specs are kept
    for n in range(assets.ASSETS_KEPT):
        more = spec_data("snake")
        more["title"] = f"Snake {n}"
        assets_build(spec=spec_validate(more))
    assets_build(spec=spec)
    assert len(drawn) == 3 + assets.ASSETS_KEPT and drawn[-1] == spec.content_hash()


def test_another_theme_gives_other_assets():
    a = spec_data("snake")
    b = spec_data("snake")
    b["theme"]["palette"]["primary"] = "#123456"
    b["theme"]["art_style"] = "pixel"
    files_a = assets_build(spec=spec_validate(a)).files
    files_b = assets_build(spec=spec_validate(b)).files
    assert files_a["assets/sprites.png"] != files_b["assets/sprites.png"]


def test_sprite_sheet_holds_every_frame(maze_assets):
    sheet = Image.open(io.BytesIO(maze_assets.files["assets/sprites.png"]))
    assert sheet.format == "PNG" and sheet.mode == "RGBA"
    spec = spec_validate(spec_data("maze"))
    assert set(maze_assets.frames) == {s.name for s in spec.definition.sprites}
    for x, y, w, h in maze_assets.frames.values():
        assert x >= 0 and y >= 0 and x + w <= sheet.width and y + h <= sheet.height
        # every frame has something drawn in it
        assert sheet.crop((x, y, x + w, y + h)).getbbox() is not None


def test_background_and_thumbnails_have_their_sizes(maze_assets):
    background = Image.open(io.BytesIO(maze_assets.files["assets/background.png"]))
    assert background.size == (limits.GAME_WIDTH // 2, limits.GAME_HEIGHT // 2)
    small = Image.open(io.BytesIO(maze_assets.files["assets/thumb_small.webp"]))
    large = Image.open(io.BytesIO(maze_assets.files["assets/thumb_large.webp"]))
    assert (small.format, small.size) == ("WEBP", limits.THUMB_SMALL)
    assert (large.format, large.size) == ("WEBP", limits.THUMB_LARGE)
    # not a flat colour: the game's look is in it
    assert len(large.convert("RGB").resize((64, 36)).getcolors(64 * 36)) > 50


def test_sounds_are_short_mono_wavs(maze_assets):
    for name in SOUNDS:
        with wave.open(io.BytesIO(maze_assets.files[f"assets/sfx/{name}.wav"])) as w:
            assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, limits.SOUND_SAMPLE_RATE)
            seconds = w.getnframes() / w.getframerate()
            assert 0.1 < seconds < 1.0
            frames = w.readframes(w.getnframes())
            assert len(set(frames)) > 20  # not silence


@pytest.mark.parametrize("style", ["flat", "outlined", "glossy", "pixel", "neon"])
def test_every_art_style_draws(style):
    data = spec_data("match3")
    data["theme"]["art_style"] = style
    files = assets_build(spec=spec_validate(data)).files
    assert Image.open(io.BytesIO(files["assets/sprites.png"])).getbbox() is not None


@pytest.mark.parametrize("slug", mechanic_slugs())
def test_palette_is_shipped(slug):
    spec = spec_validate(spec_data(slug))
    files = assets_build(spec=spec).files
    assert b'"primary"' in files["assets/palette.json"]
