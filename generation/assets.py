"""Per-game assets from the theme and a seed, with no network: Pillow images and synthesised WAVs.

`assets_build(spec=...)` returns the files a bundle carries under `assets/`: a sprite sheet
(`sprites.png`, frames named in `sprites.json`), a background (`background.png`), the
palette (`palette.json`), five sound effects (`sfx/<name>.wav`) and two thumbnails
(`thumb_small.webp`, `thumb_large.webp`) drawn from the game's own sprites and background.

Bytes are deterministic for a given spec: every random choice is seeded from the spec,
PNGs carry no timestamps and WebP/PNG encoder settings are fixed. So a process keeps the last few
builds by the spec's content hash (`ASSETS_KEPT`): a factory game's steps build the same spec's
assets up to five times (the draft, the prototype, the assets step, the test build, the release).
"""

from __future__ import annotations

import functools
import io
import json
import math
import random
import sys
import threading
import wave
from array import array
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from generation import limits
from generation.mechanics.base import SOUNDS, SpriteSpec
from generation.spec import GameSpec
from generation.themes import rotate_hue

RGB = tuple[int, int, int]
SUPERSAMPLE = 4
FRAME_PADDING = 2


@dataclass
class GameAssets:
    """Files (path under the bundle -> bytes) and the sprite frames (name -> x, y, w, h)."""

    files: dict[str, bytes] = field(default_factory=dict)
    frames: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)

    def manifest(self) -> dict:
        """What the runtime reads from the `gf-assets` data block."""
        return {
            "sprites": "assets/sprites.png",
            "background": "assets/background.png",
            "frames": {name: list(rect) for name, rect in self.frames.items()},
            "sounds": {name: f"assets/sfx/{name}.wav" for name in SOUNDS},
        }


ASSETS_KEPT = 8  # a process's last builds, by spec content hash (a few hundred KB each)
_kept: OrderedDict[str, GameAssets] = OrderedDict()
_kept_lock = threading.Lock()


def assets_build(*, spec: GameSpec) -> GameAssets:
    """Draw and synthesise every asset of the game described by `spec` (or the copy of this
    process's earlier build of the same spec: the bytes are the same)."""
    key = spec.content_hash()
    with _kept_lock:
        kept = _kept.get(key)
        if kept is not None:
            _kept.move_to_end(key)
            return GameAssets(files=dict(kept.files), frames=dict(kept.frames))
    built = _assets_draw(spec)
    with _kept_lock:
        _kept[key] = GameAssets(files=dict(built.files), frames=dict(built.frames))
        while len(_kept) > ASSETS_KEPT:
            _kept.popitem(last=False)
    return built


def _assets_draw(spec: GameSpec) -> GameAssets:
    seed = int(spec.content_hash()[:12], 16)
    colors = palette_rgb(spec)
    style = spec.theme.art_style
    definition = spec.definition
    out = GameAssets()

    sheet, frames = sprite_sheet(definition.sprites, colors=colors, style=style, cast=frame_cast(spec))
    out.frames = frames
    out.files["assets/sprites.png"] = _png(sheet)
    out.files["assets/sprites.json"] = _json({"frames": {k: list(v) for k, v in frames.items()}})
    background = background_image(
        setting=spec.theme.setting, colors=colors, style=style, seed=seed,
        size=(limits.GAME_WIDTH // 2, limits.GAME_HEIGHT // 2),
    )  # fmt: skip
    out.files["assets/background.png"] = _png(background)
    out.files["assets/palette.json"] = _json(spec.theme.palette.model_dump(mode="json"))
    for name in SOUNDS:
        out.files[f"assets/sfx/{name}.wav"] = sound_effect(name, seed=seed, style=style)
    preview = definition.preview
    for key, size in (("thumb_small", limits.THUMB_SMALL), ("thumb_large", limits.THUMB_LARGE)):
        thumb = thumbnail(spec, sheet=sheet, frames=frames, background=background, colors=colors,
                          size=size, preview=preview)  # fmt: skip
        out.files[f"assets/{key}.webp"] = _webp(thumb)
    return out


# --- colours -------------------------------------------------------------------------------------


def hex_rgb(value: str) -> RGB:
    return int(value[1:3], 16), int(value[3:5], 16), int(value[5:7], 16)


def palette_rgb(spec: GameSpec) -> dict[str, RGB]:
    """Every colour role a sprite may use, as RGB (missing extras derived by hue rotation)."""
    p = spec.theme.palette
    colors = {role: hex_rgb(getattr(p, role)) for role in
              ("background", "surface", "primary", "secondary", "accent", "danger", "text")}  # fmt: skip
    extras = list(p.extra)
    base = [p.primary, p.secondary, p.accent, p.danger]
    while len(extras) < 6:
        extras.append(rotate_hue(base[len(extras) % 4], 0.37 * (len(extras) + 1)))
    for index, value in enumerate(extras[:6]):
        colors[f"extra{index}"] = hex_rgb(value)
    return colors


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    return tuple(round(a[i] + (b[i] - a[i]) * t) for i in range(3))  # type: ignore[return-value]


def _lighter(c: RGB, t: float = 0.45) -> RGB:
    return _mix(c, (255, 255, 255), t)


def _darker(c: RGB, t: float = 0.45) -> RGB:
    return _mix(c, (0, 0, 0), t)


def _luma(c: RGB) -> float:
    return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]


# --- sprites --------------------------------------------------------------------------------------


def _shape_mask(shape: str, w: int, h: int) -> Image.Image:
    """The silhouette of a shape, white on black, at size (w, h)."""
    mask = Image.new("L", (w, h), 0)
    d = ImageDraw.Draw(mask)
    m = max(1, min(w, h) // 12)  # margin
    box = (m, m, w - 1 - m, h - 1 - m)
    cx, cy = w / 2, h / 2
    r = min(w, h) / 2 - m
    if shape in ("circle", "coin", "head"):
        d.ellipse(box, fill=255)
    elif shape == "ring":
        d.ellipse(box, fill=255)
        inner = max(2, min(w, h) // 6)
        d.ellipse((box[0] + inner, box[1] + inner, box[2] - inner, box[3] - inner), fill=0)
    elif shape in ("square", "wall"):
        d.rectangle(box, fill=255)
    elif shape == "floor":
        d.rounded_rectangle(box, radius=max(1, min(w, h) // 8), fill=110)
    elif shape in ("rounded", "brick"):
        d.rounded_rectangle(box, radius=max(2, min(w, h) // 4), fill=255)
    elif shape == "capsule":
        d.rounded_rectangle(box, radius=(h - 2 * m) // 2, fill=255)
    elif shape == "diamond":
        d.polygon([(cx, m), (w - 1 - m, cy), (cx, h - 1 - m), (m, cy)], fill=255)
    elif shape == "triangle":
        d.polygon([(cx, m), (w - 1 - m, h - 1 - m), (m, h - 1 - m)], fill=255)
    elif shape == "star":
        points = []
        for i in range(10):
            angle = -math.pi / 2 + i * math.pi / 5
            radius = r if i % 2 == 0 else r * 0.45
            points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
        d.polygon(points, fill=255)
    elif shape == "heart":
        k = r * 0.55
        d.ellipse((cx - 2 * k, cy - 1.6 * k, cx, cy + 0.3 * k), fill=255)
        d.ellipse((cx, cy - 1.6 * k, cx + 2 * k, cy + 0.3 * k), fill=255)
        d.polygon(
            [(cx - 1.95 * k, cy - 0.4 * k), (cx + 1.95 * k, cy - 0.4 * k), (cx, cy + 1.8 * k)], fill=255
        )
    elif shape == "gem":
        d.polygon([(cx - r * 0.55, m + r * 0.15), (cx + r * 0.55, m + r * 0.15), (w - 1 - m, cy - r * 0.2),
                   (cx, h - 1 - m), (m, cy - r * 0.2)], fill=255)  # fmt: skip
    elif shape == "ghost":
        d.ellipse((m, m, w - 1 - m, h * 0.8), fill=255)
        d.rectangle((m, cy - 2, w - 1 - m, h - 1 - m - r * 0.25), fill=255)
        waves = 4
        step = (w - 2 * m) / waves
        for i in range(waves):
            d.pieslice((m + i * step, h - 1 - m - r * 0.5, m + (i + 1) * step, h - 1 - m), 0, 180, fill=255)
    elif shape == "flag":
        d.rectangle((m + r * 0.2, m, m + r * 0.38, h - 1 - m), fill=255)
        d.polygon([(m + r * 0.38, m), (w - 1 - m, m + r * 0.45), (m + r * 0.38, m + r * 0.95)], fill=255)
    else:  # pragma: no cover - SpriteShape lists every shape above
        d.rectangle(box, fill=255)
    return mask


def _details(img: Image.Image, shape: str, color: RGB, scale: int) -> None:
    """Eyes, shines, brick mortar: what makes a silhouette read as a thing."""
    d = ImageDraw.Draw(img)
    w, h = img.size
    eye = (250, 250, 250)
    pupil = (20, 20, 30)
    if shape in ("head", "ghost"):
        for ex in (0.36, 0.64):
            rx, ry = w * 0.09, h * 0.11
            x, y = w * ex, h * (0.42 if shape == "head" else 0.4)
            d.ellipse((x - rx, y - ry, x + rx, y + ry), fill=eye)
            d.ellipse(
                (x - rx * 0.5 + rx * 0.3, y - ry * 0.5, x + rx * 0.5 + rx * 0.3, y + ry * 0.5), fill=pupil
            )
    elif shape == "coin":
        inset = w * 0.22
        d.ellipse((inset, inset, w - inset, h - inset), outline=_darker(color, 0.3), width=max(1, scale * 2))
    elif shape == "brick":
        d.line((w * 0.08, h * 0.5, w * 0.92, h * 0.5), fill=_darker(color, 0.25), width=max(1, scale))
        d.line((w * 0.5, h * 0.12, w * 0.5, h * 0.5), fill=_darker(color, 0.25), width=max(1, scale))
    elif shape == "wall":
        line = _darker(color, 0.3)
        for fy in (1 / 3, 2 / 3):
            d.line((0, h * fy, w, h * fy), fill=line, width=max(1, scale))
        for fx, y0, y1 in ((0.5, 0, 1 / 3), (0.25, 1 / 3, 2 / 3), (0.75, 1 / 3, 2 / 3), (0.5, 2 / 3, 1)):
            d.line((w * fx, h * y0, w * fx, h * y1), fill=line, width=max(1, scale))


def draw_sprite(sprite: SpriteSpec, *, colors: dict[str, RGB], style: str) -> Image.Image:
    """One RGBA frame in the theme's art style."""
    color = colors[sprite.color]
    pixel = style == "pixel"
    scale = 1 if pixel else SUPERSAMPLE
    w, h = (
        (max(4, sprite.width // 4), max(4, sprite.height // 4))
        if pixel
        else (sprite.width * scale, sprite.height * scale)
    )
    mask = _shape_mask(sprite.shape, w, h)
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    if style == "neon" and sprite.shape not in ("floor",):
        fill = Image.new("RGBA", (w, h), (*_darker(color, 0.65), 255))
        img.paste(fill, (0, 0), mask)
        edge = ImageChops.subtract(mask, mask.filter(ImageFilter.MinFilter(2 * scale + 1)))
        glow = edge.filter(ImageFilter.GaussianBlur(scale * 2))
        img.paste(Image.new("RGBA", (w, h), (*_lighter(color, 0.2), 255)), (0, 0), glow)
        img.paste(Image.new("RGBA", (w, h), (*color, 255)), (0, 0), edge)
        _details(img, sprite.shape, color, scale)
    else:
        img.paste(Image.new("RGBA", (w, h), (*color, 255)), (0, 0), mask)
        if style == "glossy" and sprite.shape != "floor":
            shine = Image.new("L", (w, h), 0)
            ImageDraw.Draw(shine).ellipse((w * 0.18, h * 0.1, w * 0.62, h * 0.42), fill=120)
            shine = ImageChops.multiply(shine, mask).filter(ImageFilter.GaussianBlur(scale))
            img.paste(Image.new("RGBA", (w, h), (255, 255, 255, 255)), (0, 0), shine)
            shade = Image.new("L", (w, h), 0)
            ImageDraw.Draw(shade).ellipse((w * 0.1, h * 0.55, w * 0.95, h * 1.2), fill=70)
            shade = ImageChops.multiply(shade, mask)
            img.paste(Image.new("RGBA", (w, h), (*_darker(color, 0.5), 255)), (0, 0), shade)
        _details(img, sprite.shape, color, scale)
        if style in ("outlined", "pixel") and sprite.shape != "floor":
            width = 1 if pixel else 2 * scale + 1
            edge = ImageChops.subtract(mask, mask.filter(ImageFilter.MinFilter(width)))
            outline = (30, 24, 40) if _luma(color) > 60 else _lighter(color, 0.6)
            img.paste(Image.new("RGBA", (w, h), (*outline, 255)), (0, 0), edge)
    if pixel:
        return img.resize((sprite.width, sprite.height), Image.Resampling.NEAREST)
    return img.resize((sprite.width, sprite.height), Image.Resampling.LANCZOS)


def frame_cast(spec: GameSpec) -> dict[str, str]:
    """Frame name -> the asset it depicts: the frames of a role take the cast's members of that role in order."""
    by_role: dict[str, list[str]] = {}
    for member in spec.cast:
        by_role.setdefault(member.role, []).append(member.asset)
    out: dict[str, str] = {}
    taken: dict[str, int] = {}
    for sprite in spec.definition.sprites:
        if sprite.role and by_role.get(sprite.role):
            index = taken.get(sprite.role, 0)
            out[sprite.name] = by_role[sprite.role][index % len(by_role[sprite.role])]
            taken[sprite.role] = index + 1
    return out


def draw_cast_sprite(
    sprite: SpriteSpec, asset: str, *, colors: dict[str, RGB], style: str, tint: bool = False
) -> Image.Image:
    """A frame showing the asset's artwork (rasterised by resvg), outlined in the frame's palette colour.

    Long frames (a paddle, a brick) keep their shape and carry the picture in the middle; `tint`
    (several frames of one picture) washes the picture with the frame's colour so they differ.
    """
    from generation.cast import asset_png

    w, h = sprite.width, sprite.height
    color = colors[sprite.color]
    long_frame = max(w, h) > 1.6 * min(w, h)
    side = max(4, int(min(w, h) * (0.86 if long_frame else 0.92)))
    pixel = style == "pixel"
    render = max(4, side // 3) if pixel else side
    art = Image.open(io.BytesIO(asset_png(asset, render))).convert("RGBA")
    if pixel:
        art = art.resize((side, side), Image.Resampling.NEAREST)
    if tint:
        alpha = art.getchannel("A")
        washed = Image.blend(art.convert("RGB"), Image.new("RGB", art.size, color), 0.45)
        art = washed.convert("RGBA")
        art.putalpha(alpha)
    img = (
        draw_sprite(sprite, colors=colors, style=style)
        if long_frame
        else Image.new("RGBA", (w, h), (0, 0, 0, 0))
    )
    halo = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    mask = Image.new("L", (w, h), 0)
    at = ((w - side) // 2, (h - side) // 2)
    mask.paste(art.getchannel("A"), at)
    edge = mask.filter(ImageFilter.MaxFilter(3 if style in ("outlined", "pixel", "neon") else 1))
    if style == "neon":
        edge = edge.filter(ImageFilter.GaussianBlur(1.5))
    outline = (30, 24, 40) if style in ("outlined", "pixel") and _luma(color) > 60 else color
    halo.paste(Image.new("RGBA", (w, h), (*outline, 255)), (0, 0), edge)
    if not long_frame:
        img = Image.alpha_composite(img, halo)
    img.alpha_composite(art, at)
    return img


def sprite_sheet(
    sprites: tuple[SpriteSpec, ...], *, colors: dict[str, RGB], style: str, cast: dict[str, str] | None = None
) -> tuple[Image.Image, dict[str, tuple[int, int, int, int]]]:
    """Pack every frame into one sheet (shelf packing, 256 px rows) and name their rectangles.

    `cast`: frame name -> asset; those frames show the cast's artwork instead of the shape.
    """
    cast = cast or {}
    repeats = {asset for asset in cast.values() if list(cast.values()).count(asset) > 1}
    images = [
        (s.name, draw_cast_sprite(s, cast[s.name], colors=colors, style=style, tint=cast[s.name] in repeats)
         if s.name in cast else draw_sprite(s, colors=colors, style=style))
        for s in sprites
    ]  # fmt: skip
    row_width = max(256, max(img.width for _, img in images) + 2 * FRAME_PADDING)
    frames: dict[str, tuple[int, int, int, int]] = {}
    x = y = shelf = 0
    placed = []
    for name, img in images:
        if x + img.width + 2 * FRAME_PADDING > row_width:
            x, y, shelf = 0, y + shelf, 0
        frames[name] = (x + FRAME_PADDING, y + FRAME_PADDING, img.width, img.height)
        placed.append((img, x + FRAME_PADDING, y + FRAME_PADDING))
        x += img.width + 2 * FRAME_PADDING
        shelf = max(shelf, img.height + 2 * FRAME_PADDING)
    sheet = Image.new("RGBA", (row_width, y + shelf), (0, 0, 0, 0))
    for img, px, py in placed:
        sheet.paste(img, (px, py), img)
    return sheet, frames


# --- background -------------------------------------------------------------------------------------


def _gradient(size: tuple[int, int], top: RGB, bottom: RGB) -> Image.Image:
    w, h = size
    column = Image.new("RGB", (1, h))
    for y in range(h):
        column.putpixel((0, y), _mix(top, bottom, y / max(1, h - 1)))
    return column.resize((w, h))


def _decorate(
    d: ImageDraw.ImageDraw, kind: str, size: tuple[int, int], colors: dict[str, RGB], rng: random.Random
) -> None:
    w, h = size
    bg, surface = colors["background"], colors["surface"]
    soft = _mix(bg, colors["text"], 0.18)
    accent = _mix(bg, colors["accent"], 0.45)
    if kind == "stars":
        for _ in range(90):
            x, y, r = rng.uniform(0, w), rng.uniform(0, h), rng.choice((0.6, 0.8, 1.2, 1.6))
            d.ellipse((x - r, y - r, x + r, y + r), fill=_mix(bg, (255, 255, 255), rng.uniform(0.4, 0.95)))
        d.ellipse(
            (w * 0.6, h * 0.08, w * 0.95, h * 0.08 + w * 0.35), fill=_mix(bg, colors["secondary"], 0.35)
        )
    elif kind == "grid":
        horizon = h * 0.62
        d.ellipse((w * 0.25, horizon - w * 0.5, w * 0.75, horizon), fill=_mix(bg, colors["primary"], 0.5))
        d.rectangle((0, horizon, w, h), fill=_darker(bg, 0.3))
        line = _mix(bg, colors["secondary"], 0.7)
        for i in range(1, 14):
            y = horizon + (h - horizon) * (i / 13) ** 1.8
            d.line((0, y, w, y), fill=line, width=1)
        for i in range(-10, 11):
            d.line((w / 2 + i * 8, horizon, w / 2 + i * w * 0.16, h), fill=line, width=1)
    elif kind == "bubbles":
        for _ in range(26):
            x, y, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(2, 12)
            d.ellipse((x - r, y - r, x + r, y + r), outline=soft, width=1)
        for i in range(5):
            y = h * 0.82 + i * 9
            d.arc((-20 + i * 13, y, w * 0.5 + i * 13, y + 40), 180, 360, fill=accent, width=2)
    elif kind in ("trees", "leaves"):
        for _ in range(16):
            x = rng.uniform(-10, w + 10)
            base = h - rng.uniform(0, h * 0.08)
            tall = rng.uniform(h * 0.12, h * 0.3)
            shade = _mix(bg, surface, rng.uniform(0.5, 1.0))
            if kind == "trees":
                d.polygon([(x, base - tall), (x + tall * 0.3, base), (x - tall * 0.3, base)], fill=shade)
            else:
                d.ellipse((x - tall * 0.25, base - tall, x + tall * 0.25, base), fill=shade)
        for _ in range(20):
            x, y = rng.uniform(0, w), rng.uniform(0, h * 0.6)
            d.ellipse((x - 1.5, y - 1.5, x + 1.5, y + 1.5), fill=accent)
    elif kind == "dunes":
        for i in range(4):
            y = h * (0.55 + i * 0.11)
            d.ellipse(
                (-w * 0.4 + i * w * 0.3, y, w * (0.8 + i * 0.2), y + h * 0.5),
                fill=_mix(bg, surface, 0.4 + i * 0.15),
            )
        d.ellipse((w * 0.65, h * 0.1, w * 0.9, h * 0.1 + w * 0.25), fill=_mix(bg, colors["accent"], 0.7))
    elif kind == "dots":
        for row in range(0, h + 20, 22):
            for col in range(0, w + 20, 22):
                x = col + (11 if (row // 22) % 2 else 0)
                d.ellipse((x - 3, row - 3, x + 3, row + 3), fill=_mix(bg, colors["primary"], 0.22))
    elif kind == "moon":
        d.ellipse((w * 0.55, h * 0.06, w * 0.9, h * 0.06 + w * 0.35), fill=_mix(bg, (255, 250, 220), 0.75))
        for _ in range(40):
            x, y = rng.uniform(0, w), rng.uniform(0, h * 0.5)
            d.point((x, y), fill=soft)
        d.ellipse((-w * 0.3, h * 0.82, w * 0.7, h * 1.2), fill=_darker(bg, 0.45))
        d.ellipse((w * 0.3, h * 0.86, w * 1.3, h * 1.25), fill=_darker(bg, 0.3))
    elif kind == "snow":
        for _ in range(70):
            x, y, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(0.8, 2.4)
            d.ellipse((x - r, y - r, x + r, y + r), fill=(255, 255, 255))
        d.ellipse((-w * 0.2, h * 0.85, w * 1.2, h * 1.3), fill=_lighter(bg, 0.5))
    elif kind == "embers":
        d.polygon(
            [(0, h), (w * 0.35, h * 0.62), (w * 0.5, h * 0.68), (w * 0.7, h * 0.55), (w, h)],
            fill=_darker(bg, 0.2),
        )
        d.polygon([(w * 0.62, h * 0.58), (w * 0.7, h * 0.55), (w * 0.78, h * 0.6), (w * 0.7, h * 0.75)],
                  fill=_mix(bg, colors["primary"], 0.8))  # fmt: skip
        for _ in range(40):
            x, y, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(0.6, 1.8)
            d.ellipse((x - r, y - r, x + r, y + r), fill=_mix(bg, colors["primary"], rng.uniform(0.4, 0.9)))
    elif kind == "skyline":
        x = 0.0
        while x < w:
            bw, bh = rng.uniform(18, 42), rng.uniform(h * 0.12, h * 0.4)
            d.rectangle((x, h - bh, x + bw, h), fill=_mix(bg, surface, rng.uniform(0.5, 1.0)))
            for wy in range(int(h - bh + 6), h - 6, 10):
                for wx in range(int(x + 4), int(x + bw - 4), 8):
                    if rng.random() < 0.35:
                        d.rectangle((wx, wy, wx + 3, wy + 4), fill=_mix(bg, colors["primary"], 0.6))
            x += bw + rng.uniform(1, 6)
    elif kind == "scanlines":
        for y in range(0, h, 3):
            d.line((0, y, w, y), fill=_darker(bg, 0.15))
        for _ in range(30):
            x, y = rng.randrange(0, w, 4), rng.randrange(0, h, 4)
            d.rectangle((x, y, x + 3, y + 3), fill=_mix(bg, colors["primary"], 0.25))
    elif kind == "hills":
        for i, t in enumerate((0.55, 0.75, 0.95)):
            y = h * (0.62 + i * 0.1)
            d.ellipse(
                (-w * 0.5 + i * w * 0.35, y, w * (0.9 + i * 0.3), y + h * 0.6), fill=_mix(bg, surface, t)
            )
        d.ellipse((w * 0.08, h * 0.07, w * 0.3, h * 0.07 + w * 0.22), fill=_mix(bg, colors["accent"], 0.8))
    elif kind == "clouds":
        for _ in range(9):
            x, y, s = rng.uniform(-20, w), rng.uniform(0, h * 0.8), rng.uniform(14, 34)
            for dx, dy, k in ((0, 0, 1.0), (s * 0.8, -s * 0.3, 0.8), (s * 1.5, 0, 0.9)):
                r = s * k
                d.ellipse(
                    (x + dx - r, y + dy - r * 0.7, x + dx + r, y + dy + r * 0.7), fill=_lighter(bg, 0.6)
                )
    elif kind == "towers":
        base = h * 0.78
        d.rectangle((0, base, w, h), fill=_darker(bg, 0.25))
        for tx in (0.12, 0.38, 0.62, 0.88):
            tw, th = w * 0.14, h * rng.uniform(0.16, 0.28)
            x0 = w * tx - tw / 2
            d.rectangle((x0, base - th, x0 + tw, base), fill=_darker(bg, 0.25))
            for k in range(3):
                d.rectangle(
                    (x0 + k * tw / 3 + 1, base - th - 8, x0 + k * tw / 3 + tw / 6, base - th),
                    fill=_darker(bg, 0.25),
                )
    elif kind == "chalk":
        d.rectangle((8, 8, w - 8, h - 8), outline=_mix(bg, colors["accent"], 0.5), width=4)
        font = ImageFont.load_default(size=18)
        for _ in range(18):
            text = rng.choice(("1+2", "3x4", "A", "B", "C", "7", "=", "9-5", "?", "√"))
            d.text((rng.uniform(20, w - 40), rng.uniform(20, h - 40)), text, fill=soft, font=font)
    elif kind == "crystals":
        for _ in range(14):
            x, y, s = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(6, 22)
            d.polygon([(x, y - s), (x + s * 0.5, y), (x, y + s), (x - s * 0.5, y)],
                      fill=_mix(bg, rng.choice((colors["primary"], colors["secondary"])), 0.35))  # fmt: skip
    else:
        for _ in range(18):
            x, y, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(8, 40)
            d.ellipse((x - r, y - r, x + r, y + r), fill=_mix(bg, colors["secondary"], 0.12))


def background_image(
    *, setting: str, colors: dict[str, RGB], style: str, seed: int, size: tuple[int, int]
) -> Image.Image:
    """A portrait background: the palette's gradient plus the setting's decoration."""
    from generation.themes import SETTINGS

    decoration = next((s.decoration for s in SETTINGS if s.label == setting or s.slug == setting), "bokeh")
    bg = colors["background"]
    top = _lighter(bg, 0.12) if _luma(bg) < 128 else _darker(bg, 0.04)
    bottom = _darker(bg, 0.35) if _luma(bg) < 128 else _mix(bg, colors["surface"], 0.6)
    img = _gradient(size, top, bottom)
    _decorate(ImageDraw.Draw(img), decoration, size, colors, random.Random(seed))
    if style == "pixel":
        small = img.resize((size[0] // 3, size[1] // 3), Image.Resampling.BOX)
        img = small.resize(size, Image.Resampling.NEAREST)
    return img


# --- sound ------------------------------------------------------------------------------------------


def _tone(freq: float, t: float, wave_kind: str) -> float:
    phase = (freq * t) % 1.0
    if wave_kind == "square":
        return 0.6 if phase < 0.5 else -0.6
    if wave_kind == "triangle":
        return 4 * abs(phase - 0.5) - 1
    return math.sin(2 * math.pi * phase)


def _render(duration: float, sample: Callable[[float, float], float]) -> bytes:
    rate = limits.SOUND_SAMPLE_RATE
    count = int(duration * rate)
    peak = 32767 * 0.8
    samples = array("h", (int(max(-1.0, min(1.0, sample(i / rate, i / count))) * peak) for i in range(count)))
    if sys.byteorder == "big":  # WAV is little-endian
        samples.byteswap()
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.tobytes())
    return out.getvalue()


# Sounds are pitched by the seed in this many steps (0.85x .. 1.15x): a few dozen distinct sounds
# per style, each synthesised once per process (pure Python: ~30 ms each) and then reused.
SOUND_PITCH_STEPS = 12


def sound_effect(name: str, *, seed: int, style: str) -> bytes:
    """A short WAV (mono, 16 bit) for one of jump, pickup, hit, win, lose; pitched by the seed."""
    step = random.Random(f"{seed}:{name}").randrange(SOUND_PITCH_STEPS)
    kind = "square" if style in ("pixel", "neon") else "triangle" if style == "outlined" else "sine"
    return _sound(name, step, kind)


@functools.lru_cache(maxsize=len(SOUNDS) * SOUND_PITCH_STEPS * 3)
def _sound(name: str, step: int, kind: str) -> bytes:
    pitch = 0.85 + 0.3 * step / (SOUND_PITCH_STEPS - 1)
    noise = random.Random(f"{name}:{step}")

    def env(p: float, attack: float = 0.02) -> float:
        return min(1.0, p / attack) * (1 - p) ** 1.5

    if name == "jump":
        return _render(0.18, lambda t, p: env(p) * _tone((300 + 600 * p) * pitch, t, kind))
    if name == "pickup":
        return _render(0.16, lambda t, p: env(p) * _tone((880 if p < 0.4 else 1320) * pitch, t, kind))
    if name == "hit":
        return _render(
            0.25,
            lambda t, p: (
                env(p, 0.005)
                * (0.6 * (noise.random() * 2 - 1) + 0.6 * _tone(130 * pitch * (1 - 0.5 * p), t, "sine"))
            ),
        )
    if name == "win":
        notes = (523.25, 659.25, 783.99, 1046.5)
        return _render(
            0.6,
            lambda t, p: env((p * 4) % 1.0, 0.05) * 0.9 * _tone(notes[min(3, int(p * 4))] * pitch, t, kind),
        )
    if name == "lose":
        notes = (392.0, 329.63, 261.63)
        return _render(
            0.7,
            lambda t, p: (
                env((p * 3) % 1.0, 0.05)
                * 0.9
                * _tone(notes[min(2, int(p * 3))] * pitch * (1 + 0.01 * math.sin(t * 30)), t, kind)
            ),
        )
    raise ValueError(f"unknown sound {name!r}")


# --- thumbnails -------------------------------------------------------------------------------------


def _cover(img: Image.Image, size: tuple[int, int]) -> Image.Image:
    """Scale to cover `size`, then crop the middle."""
    w, h = size
    scale = max(w / img.width, h / img.height)
    resized = img.resize(
        (math.ceil(img.width * scale), math.ceil(img.height * scale)), Image.Resampling.BILINEAR
    )
    left, top = (resized.width - w) // 2, (resized.height - h) // 2
    return resized.crop((left, top, left + w, top + h))


def _fit_font(text: str, max_width: int, start: int) -> ImageFont.FreeTypeFont:
    size = start
    while size > 10:
        font = ImageFont.load_default(size=size)
        if font.getbbox(text)[2] <= max_width:
            return font
        size -= 2
    return ImageFont.load_default(size=10)


def thumbnail(
    spec: GameSpec,
    *,
    sheet: Image.Image,
    frames: dict[str, tuple[int, int, int, int]],
    background: Image.Image,
    colors: dict[str, RGB],
    size: tuple[int, int],
    preview: Callable | None,
) -> Image.Image:
    """A landscape picture of the game: its background, a scene of its sprites, its title."""
    w, h = size
    img = _cover(background, size).convert("RGBA")
    panel = (int(w * 0.52), int(h * 0.08), int(w * 0.96), int(h * 0.92))
    overlay = Image.new("RGBA", size, (0, 0, 0, 0))
    ImageDraw.Draw(overlay).rounded_rectangle(panel, radius=max(4, h // 30), fill=(*colors["surface"], 170))
    img = Image.alpha_composite(img, overlay)
    pw, ph = panel[2] - panel[0], panel[3] - panel[1]
    items = preview(spec) if preview else _generic_preview(frames)
    for name, fx, fy, fsize in items:
        if name not in frames:
            continue
        x, y, fw, fh = frames[name]
        sprite = sheet.crop((x, y, x + fw, y + fh))
        target = max(2, int(fsize * min(pw, ph)))
        ratio = fw / fh
        tw, th = (
            (target, max(1, int(target / ratio))) if ratio >= 1 else (max(1, int(target * ratio)), target)
        )
        sprite = sprite.resize((tw, th), Image.Resampling.LANCZOS)
        img.alpha_composite(sprite, (int(panel[0] + fx * pw - tw / 2), int(panel[1] + fy * ph - th / 2)))
    draw = ImageDraw.Draw(img)
    text_color = colors["text"]
    shadow = (0, 0, 0) if _luma(text_color) > 110 else (255, 255, 255)
    title_font = _fit_font(spec.title, int(w * 0.44), max(12, h // 7))
    tx, ty = int(w * 0.05), int(h * 0.3)
    draw.text((tx + max(1, h // 120), ty + max(1, h // 120)), spec.title, font=title_font, fill=shadow)
    draw.text((tx, ty), spec.title, font=title_font, fill=text_color)
    sub_font = ImageFont.load_default(size=max(9, h // 16))
    definition = spec.definition
    draw.text((tx, ty + int(title_font.size * 1.5)), f"{definition.name} · {len(spec.levels)} levels",
              font=sub_font, fill=_mix(text_color, colors["accent"], 0.5))  # fmt: skip
    return img.convert("RGB")


def _generic_preview(frames: dict) -> list[tuple[str, float, float, float]]:
    names = list(frames)[:9]
    return [(name, 0.2 + 0.3 * (i % 3), 0.2 + 0.3 * (i // 3), 0.22) for i, name in enumerate(names)]


# --- encoding ---------------------------------------------------------------------------------------


def _png(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.save(out, format="PNG", compress_level=9)
    return out.getvalue()


def _webp(img: Image.Image) -> bytes:
    out = io.BytesIO()
    img.save(out, format="WEBP", quality=limits.WEBP_QUALITY, method=1)
    return out.getvalue()


def _json(data) -> bytes:
    return json.dumps(data, sort_keys=True, indent=1).encode()
