"""Publishing: a spec (or a built folder, or an uploaded package) becomes a stored, versioned game."""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import uuid
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from gamefactory import metrics
from gamefactory.content import ContentVerdict, content_check, content_held
from gamefactory.errors import ApplicationError
from games import bundles, limits, packages
from games.models import Asset, Game, GameVersion
from games.services.common import catalogue_changed, clean_tags, set_tags, slug_for, spec_words, tmp_dir

logger = logging.getLogger(__name__)

THUMB_SMALL = "assets/thumb_small.webp"
THUMB_LARGE = "assets/thumb_large.webp"


def _category_for(spec: dict) -> str:
    from generation.selectors import mechanic_definition as mechanic_get

    mechanic = spec.get("mechanic")
    definition = mechanic_get(mechanic) if isinstance(mechanic, str) else None
    candidates = [getattr(definition, "category", None), spec.get("genre")]
    for value in candidates:
        if value in Game.Category.values:
            return value
    return Game.Category.CASUAL


def _difficulty_for(spec: dict) -> str:
    curve = spec.get("difficulty") or {}
    try:
        middle = (float(curve.get("start", 0.5)) + float(curve.get("end", 0.5))) / 2
    except (TypeError, ValueError):
        return Game.Difficulty.MEDIUM
    if middle < 0.34:
        return Game.Difficulty.EASY
    if middle > 0.66:
        return Game.Difficulty.HARD
    return Game.Difficulty.MEDIUM


def _spec_tags(spec: dict) -> list[str]:
    return clean_tags([v for v in (spec.get("mechanic"), spec.get("genre")) if isinstance(v, str)])


def _asset_kind(path: str) -> str:
    suffix = Path(path).suffix.lower()
    name = Path(path).name
    if name.startswith("thumb_") and suffix == ".webp":
        return Asset.Kind.THUMBNAIL
    if name.startswith("sprites") and suffix == ".png":
        return Asset.Kind.SPRITE
    if suffix in (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"):
        return Asset.Kind.IMAGE
    if suffix in (".wav", ".ogg", ".mp3"):
        return Asset.Kind.SOUND
    if suffix in (".js", ".html", ".css"):
        return Asset.Kind.SCRIPT
    return Asset.Kind.DATA


def _thumbnail_bytes(scan: bundles.BundleScan, spec) -> tuple[bytes, bytes] | None:
    """The bundle's own thumbnails, or ones drawn from the spec when the folder has none."""
    small, large = scan.root / THUMB_SMALL, scan.root / THUMB_LARGE
    if small.is_file() and large.is_file():
        return small.read_bytes(), large.read_bytes()
    try:
        from generation.services import assets_build

        files = assets_build(spec=spec).files
        return files[THUMB_SMALL], files[THUMB_LARGE]
    except Exception:  # a game without thumbnails is still a game
        logger.exception("games: could not draw thumbnails")
        return None


def _store_thumbnails(thumbs: tuple[bytes, bytes] | None, *, written: list[str]) -> tuple[str, str] | None:
    """Both WebP thumbnails under content-addressed names (shared by every game that has them)."""
    if thumbs is None:
        return None
    names = []
    for data, size in zip(thumbs, ("small", "large"), strict=True):
        name = f"thumbnails/{hashlib.sha256(data).hexdigest()[:32]}-{size}.webp"
        if not default_storage.exists(name):
            saved = default_storage.save(name, ContentFile(data))
            if saved != name:  # stored at the same moment by another publisher
                default_storage.delete(saved)
            else:
                written.append(name)
        names.append(name)
    return names[0], names[1]


def _user_model():
    return get_user_model()


# --- publishing ------------------------------------------------------------------------------


def _build_bundle(*, spec, out_dir: Path, logic_js: str | None) -> None:
    """The generator's builder; custom logic is checked again there and loaded after the runtime."""
    from generation.services import bundle_build

    bundle_build(spec=spec, out_dir=out_dir, phaser_src=bundles.phaser_url(), logic_js=logic_js or None)


def _add_to_bundle(*, out: Path, extra_files: dict[str, Path]) -> None:
    """Copy uploaded assets into a built bundle, keeping its manifest true."""
    for rel, source in extra_files.items():
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    manifest_file = out / "manifest.json"
    if extra_files and manifest_file.is_file():
        manifest = json.loads(manifest_file.read_text())
        entries = manifest.get("files")
        if isinstance(entries, dict):
            for rel in extra_files:
                data = (out / rel).read_bytes()
                entries[rel] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            manifest["files"] = dict(sorted(entries.items()))
            manifest["total_size"] = sum(e["size"] for e in entries.values())
            manifest["game_size"] = sum(e["size"] for p, e in entries.items() if not p.startswith("vendor/"))
            manifest_file.write_text(json.dumps(manifest, sort_keys=True, indent=1) + "\n")


def _existing_version(*, game: Game | None, creator, origin: str, provenance: dict, bundle_hash: str):
    qs = GameVersion.objects.select_related("game").filter(bundle_hash=bundle_hash)
    if game is not None:
        return qs.filter(game=game).order_by("number").first()
    # A retry of the same publication (the factory, a re-run task): same creator, origin, provenance.
    for version in qs.filter(game__creator=creator, game__origin=origin).order_by("created_at"):
        if version.game.provenance == provenance:
            return version
    return None


def game_publish(
    *,
    creator,
    spec,
    origin: str,
    provenance: dict,
    bundle_dir=None,
    changelog: str = "",
    is_public: bool = True,
    game: Game | None = None,
    playtest: dict | None = None,
    logic_source: str | None = None,
    extra_files: dict[str, Path] | None = None,
    title: str | None = None,
    description: str | None = None,
    category: str | None = None,
    difficulty: str | None = None,
    tags: list[str] | None = None,
    content_verdicts: list[ContentVerdict] | None = None,
) -> GameVersion:
    """Build (or take) a game's bundle, store it content-addressed, and record the version.

    Without `game`, a new Game is made (origin factory/studio/upload/fork); with it, a new
    GameVersion of that game becomes its current one, the old ones kept.

    The publish gate (games/services/playtests.py): a new game is public only with a passing
    `playtest` (409 on `is_public` otherwise); a new version of a public game without one is
    recorded but stays behind the current version until its playtest passes. `bundle_dir` is an
    already built folder (the factory's); otherwise the generator's `bundle_build` makes one
    from `spec`. Idempotent: the same game (or, for a new game, the same creator, origin and
    provenance) with the same bundle hash returns the existing version.

    The title and description (the spec's, unless given) are content-checked first: a refusal
    raises before anything is built. `content_verdicts` are checks the caller made already (the
    studio's prompt, an upload's package); they replace this one. A verdict that holds keeps the
    game `moderated` (out of every list, its creator and staff still play it) and queues it for review.
    """
    from generation.spec import spec_validate

    if origin not in Game.Origin.values:
        raise ApplicationError.for_field("origin", f"Unknown origin {origin!r}.", code="invalid")
    if not isinstance(provenance, dict):
        raise ApplicationError.for_field("provenance", "Provenance is an object.", code="invalid")
    if len(changelog or "") > limits.CHANGELOG_MAX_CHARS:
        raise ApplicationError.for_field("changelog", "The changelog is too long.", code="too_long")
    from games.services.playtests import is_gated, playtest_passed

    if playtest:
        # The factory's testing step (step 10) or the caller's own run: kept as that version's verdict.
        playtest = {**playtest, "source": playtest.get("source") or origin}
    spec_obj = spec_validate(spec)
    spec_data = spec_obj.model_dump(mode="json")
    if content_verdicts is None:
        content_verdicts = game_texts_check(
            user=creator,
            title=title if title is not None else (None if game is not None else spec_data.get("title")),
            description=description
            if description is not None
            else (None if game is not None else spec_data.get("description")),
        )
    hold = any(v.action == "hold" for v in content_verdicts)

    work = tmp_dir("publish-")
    try:
        if bundle_dir is None:
            out = work / "bundle"
            _build_bundle(spec=spec_obj, out_dir=out, logic_js=logic_source)
        elif logic_source:
            raise ApplicationError.for_field(
                "logic_source",
                "Custom logic goes into a bundle the platform builds, not a built one.",
                code="invalid",
            )
        elif extra_files:
            out = work / "bundle"
            shutil.copytree(bundle_dir, out, symlinks=True)
        else:
            out = Path(bundle_dir)
        if extra_files:
            _add_to_bundle(out=out, extra_files=extra_files)
        scan = bundles.bundle_scan(directory=out)
        # After the input's own checks (spec, folder), before anything is stored.
        if is_public and game is None and is_gated(origin) and not playtest_passed(playtest):
            raise ApplicationError.for_field(
                "is_public",
                "A game is published only after it passes its playtest: publish it as a draft and let it be played first.",
                code="not_playtested",
                status=409,
            )

        existing = _existing_version(
            game=game, creator=creator, origin=origin, provenance=provenance, bundle_hash=scan.hash
        )
        if existing is not None:
            return existing

        stored = bundles.bundle_store(scan=scan)
        try:
            thumbs = _store_thumbnails(_thumbnail_bytes(scan, spec_obj), written=stored.written)
        except BaseException:
            bundles.bundle_remove(names=stored.written)
            raise
        try:
            version = _record_version(
                creator=creator,
                spec_data=spec_data,
                origin=origin,
                provenance=provenance,
                changelog=changelog,
                is_public=is_public,
                game=game,
                playtest=playtest,
                stored=stored,
                scan=scan,
                thumbs=thumbs,
                title=title,
                description=description,
                category=category,
                difficulty=difficulty,
                tags=tags,
                hold=hold,
            )
        except BaseException:
            bundles.bundle_remove(names=stored.written)
            raise
        transaction.on_commit(lambda: metrics.game_generated(origin=origin))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if hold:
        content_held(verdicts=content_verdicts, content_type="game", content_id=version.game_id, user=creator)
    return version


def game_texts_check(
    *, user, title: str | None = None, description: str | None = None
) -> list[ContentVerdict]:
    """Content-check a game's title and description (refusals raise on the field); the verdicts."""
    verdicts = []
    if title:
        verdicts.append(content_check(kind="title", text=title, field="title", user=user))
    if description:
        verdicts.append(content_check(kind="description", text=description, field="description", user=user))
    return verdicts


@transaction.atomic
def _record_version(
    *,
    creator,
    spec_data: dict,
    origin: str,
    provenance: dict,
    changelog: str,
    is_public: bool,
    game: Game | None,
    playtest: dict | None,
    stored: bundles.StoredBundle,
    scan: bundles.BundleScan,
    thumbs: tuple[str, str] | None,
    title: str | None,
    description: str | None,
    category: str | None,
    difficulty: str | None,
    tags: list[str] | None,
    hold: bool = False,
) -> GameVersion:
    status = Game.Status.MODERATED if hold else Game.Status.ACTIVE
    if game is None:
        # One publication per creator at a time, so a retry racing its original finds it.
        _user_model().objects.select_for_update().filter(pk=creator.pk).first()
        again = _existing_version(
            game=None, creator=creator, origin=origin, provenance=provenance, bundle_hash=stored.hash
        )
        if again is not None:
            return again
        game_id = uuid.uuid4()
        game = Game(
            id=game_id,
            creator=creator,
            title=(title or spec_data.get("title") or "Untitled")[: limits.TITLE_MAX_CHARS],
            slug=slug_for(title or spec_data.get("title") or "game", game_id),
            description=(description if description is not None else spec_data.get("description", ""))[
                : limits.DESCRIPTION_MAX_CHARS
            ],
            category=category or _category_for(spec_data),
            difficulty=difficulty or _difficulty_for(spec_data),
            mechanic=spec_data.get("mechanic", ""),
            spec=spec_data,
            is_public=is_public,
            status=status,
            origin=origin,
            provenance=provenance,
        )
        game.save()
        set_tags(game, clean_tags(tags) if tags is not None else _spec_tags(spec_data))
        number, parent = 1, None
    else:
        game = Game.objects.select_for_update().get(pk=game.pk)
        again = game.versions.filter(bundle_hash=stored.hash).first()
        if again is not None:
            return again
        last = game.versions.order_by("-number").first()
        number, parent = (last.number + 1 if last else 1), game.current_version
    from games.services.playtests import is_gated, playtest_passed

    # A public game keeps showing its played version until this one passes its playtest.
    waits_for_playtest = (
        game.is_public and game.current_version_id is not None and is_gated(game.origin)
    ) and not playtest_passed(playtest)

    version = GameVersion.objects.create(
        game=game,
        number=number,
        spec=spec_data,
        bundle_path=stored.path,
        bundle_hash=stored.hash,
        manifest=stored.manifest,
        bundle_size=stored.size,
        playtest=playtest or {},
        changelog=changelog or "",
        created_by=creator,
        parent=parent,
    )
    Asset.objects.bulk_create(
        [
            Asset(
                version=version,
                kind=_asset_kind(f.path),
                path=f.path,
                content_type=f.content_type,
                size=f.size,
                sha256=f.sha256,
            )
            for f in scan.files
        ]
    )
    if not waits_for_playtest:
        game.current_version = version
        game.spec = spec_data
        game.mechanic = spec_data.get("mechanic", "") or game.mechanic
    if hold and game.status == Game.Status.ACTIVE:
        game.status = Game.Status.MODERATED
    if thumbs is not None and not waits_for_playtest:
        game.thumbnail_small.name, game.thumbnail_large.name = thumbs
    game.save()
    catalogue_changed()
    return version


def game_upload(
    *,
    creator,
    upload,
    title: str | None = None,
    description: str | None = None,
    category: str | None = None,
    difficulty: str | None = None,
    tags: list[str] | None = None,
    is_public: bool = True,
    game: Game | None = None,
    changelog: str = "",
) -> GameVersion:
    """A game from an uploaded package (zip): checked, then built by the platform's own builder.

    The only uploaded code that ever runs is `logic.js`, accepted by the generator's checker
    and run inside the sandbox; uploaded assets are copied under `assets/uploads/`. The
    package's words (title, description, every player-facing string of its spec) and its
    `logic.js` (the checker's findings become moderation labels) are content-checked.
    """
    if game is not None and not game.can_edit(creator):
        raise ApplicationError("You cannot change this game.", code="permission_denied", status=403)
    work = tmp_dir("upload-")
    try:
        try:
            package = packages.package_extract(upload=upload, root=work / "package")
        except ApplicationError as exc:
            if exc.code == "logic_refused":
                _logic_refusal_record(path=work / "package" / packages.LOGIC_NAME, user=creator)
            raise
        verdicts = game_texts_check(
            user=creator,
            title=title
            if title is not None
            else (None if game is not None else package.spec_data.get("title")),
            description=description
            if description is not None
            else (None if game is not None else package.spec_data.get("description")),
        )
        verdicts.append(
            content_check(kind="upload", text=spec_words(package.spec_data), field="package", user=creator)
        )
        if package.logic_source:
            verdicts.append(
                content_check(kind="game_code", text=package.logic_source, field="logic.js", user=creator)
            )
        extra = {
            f"{limits.UPLOAD_ASSETS_DIR}/{asset.path.removeprefix('assets/')}": package.root / asset.path
            for asset in package.assets
        }
        return game_publish(
            creator=creator,
            spec=package.spec_data,
            origin=Game.Origin.UPLOAD if game is None else game.origin,
            provenance={"source": "upload", "package_sha256": package.sha256}
            if game is None
            else game.provenance,
            changelog=changelog,
            is_public=is_public,
            game=game,
            logic_source=package.logic_source,
            extra_files=extra,
            title=title,
            description=description,
            category=category,
            difficulty=difficulty,
            tags=tags,
            content_verdicts=verdicts,
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _logic_refusal_record(*, path: Path, user) -> None:
    """The checker refused the package's logic.js: record that decision, with its findings as labels."""
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return
    content_check(kind="game_code", text=source, field="logic.js", user=user, raise_on_refuse=False)
