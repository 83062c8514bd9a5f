"""Step 7, asset generation: sprites, backgrounds, sounds, icons and store art for every platform."""

from __future__ import annotations

import io
import json
import wave

from PIL import Image

from batches import collab
from batches.steps.base import Step, StepContext

ICON_SIZES = (512, 192)
FEATURE_GRAPHIC = (1024, 500)
STORE = "assets/store"


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def icon_from(thumbnail: Image.Image, size: int) -> Image.Image:
    """A square app icon: the centre of the large thumbnail."""
    side = min(thumbnail.size)
    left = (thumbnail.width - side) // 2
    top = (thumbnail.height - side) // 2
    return thumbnail.crop((left, top, left + side, top + side)).resize((size, size), Image.Resampling.LANCZOS)


def feature_graphic(thumbnail: Image.Image) -> Image.Image:
    width, height = FEATURE_GRAPHIC
    scale = max(width / thumbnail.width, height / thumbnail.height)
    resized = thumbnail.resize(
        (round(thumbnail.width * scale), round(thumbnail.height * scale)), Image.Resampling.LANCZOS
    )
    left = (resized.width - width) // 2
    top = (resized.height - height) // 2
    return resized.crop((left, top, left + width, top + height))


class AssetGeneration(Step):
    number = 7
    slug = "asset_generation"
    title = "Asset generation"
    description = "Sprites, backgrounds, sounds, app icons and store thumbnails, for web and mobile."
    queue = "assets"
    reads = ("game/spec.json",)
    writes = (
        "assets/sprites.png",
        "assets/background.png",
        f"{STORE}/icon-512.png",
        f"{STORE}/icon-192.png",
        f"{STORE}/feature-graphic.png",
        f"{STORE}/thumbnail-large.webp",
        f"{STORE}/thumbnail-small.webp",
        "mobile/assets/icon.png",
        "mobile/assets/images/sprites.png",
        "mobile/assets/images/background.png",
        "assets/ASSETS.json",
    )

    def run(self, ctx: StepContext) -> None:
        spec = ctx.spec()
        assets = collab.assets_build(spec=spec)
        for rel, data in sorted(assets.files.items()):
            ctx.write_bytes(rel, data)  # the bundle's layout (assets/...), kept at the repository root
        # The Flame project's layout (assets/images, assets/audio/sfx) as the generator places them.
        for rel, data in collab.mobile_project(spec=spec, assets=assets.files).items():
            if rel.startswith("assets/") and rel != "assets/spec.json":
                ctx.write_bytes(f"mobile/{rel}", data)
        large = Image.open(io.BytesIO(assets.files["assets/thumb_large.webp"])).convert("RGB")
        ctx.write_bytes(f"{STORE}/thumbnail-large.webp", assets.files["assets/thumb_large.webp"])
        ctx.write_bytes(f"{STORE}/thumbnail-small.webp", assets.files["assets/thumb_small.webp"])
        for size in ICON_SIZES:
            ctx.write_bytes(f"{STORE}/icon-{size}.png", _png(icon_from(large, size)))
        ctx.write_bytes("mobile/assets/icon.png", _png(icon_from(large, 512)))
        ctx.write_bytes(f"{STORE}/feature-graphic.png", _png(feature_graphic(large)))
        index = {
            rel: {"sha256": ctx.file_hash(rel), "size": ctx.path(rel).stat().st_size}
            for rel in sorted({*assets.files, *(w for w in self.writes if w != "assets/ASSETS.json")})
        }
        ctx.write_text(
            "assets/ASSETS.json",
            json.dumps({"frames": assets.frames, "files": index}, indent=1, sort_keys=True),
        )
        ctx.log(f"{len(assets.files)} assets, {len(ICON_SIZES)} icons, feature graphic")

    def validate(self, ctx: StepContext) -> list[str]:
        problems = self.missing_outputs(ctx)
        if problems:
            return problems
        for size in ICON_SIZES:
            with Image.open(ctx.path(f"{STORE}/icon-{size}.png")) as image:
                if image.size != (size, size):
                    problems.append(f"icon-{size}.png is {image.size[0]}x{image.size[1]}")
        with Image.open(ctx.path(f"{STORE}/feature-graphic.png")) as image:
            if image.size != FEATURE_GRAPHIC:
                problems.append(f"feature-graphic.png is {image.size[0]}x{image.size[1]}, not 1024x500")
        with Image.open(ctx.path("assets/sprites.png")) as image:
            if image.width < 8 or image.height < 8:
                problems.append("The sprite sheet is empty")
        sounds = sorted(ctx.path("assets").rglob("*.wav"))
        if not sounds:
            problems.append("No sound effects were made")
        for sound in sounds:
            try:
                with wave.open(str(sound)) as wav:
                    if wav.getnframes() == 0:
                        problems.append(f"{sound.name} is silent")
            except wave.Error as exc:
                problems.append(f"{sound.name} is not a WAV file: {exc}")
        return problems


STEP = AssetGeneration()
