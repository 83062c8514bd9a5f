"""Game bundles in the default storage (local files or S3), content-addressed.

A built bundle folder is scanned (every file hashed, types and sizes checked) and stored
under `bundles/<bundle hash>/<path>`. The bundle hash covers every file's path, size and
sha256, so the same bundle is stored once however many games or versions use it, and a
stored path never changes content (long-cache URLs). A version's row is written only after
all its files are stored: no reader ever sees half a bundle.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import stat
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage

from gamefactory.errors import ApplicationError
from games import limits

logger = logging.getLogger(__name__)

BUNDLES_PREFIX = "bundles"
CHUNK = 64 * 1024


@dataclass(frozen=True)
class BundleFile:
    path: str
    size: int
    sha256: str
    content_type: str


@dataclass
class BundleScan:
    """What a built folder holds, ready to be stored."""

    root: Path
    files: list[BundleFile]
    hash: str
    size: int

    def manifest(self) -> dict:
        return {f.path: {"size": f.size, "sha256": f.sha256, "type": f.content_type} for f in self.files}


@dataclass
class StoredBundle:
    path: str
    hash: str
    size: int
    manifest: dict
    written: list[str] = field(default_factory=list)


def content_type_for(path: str) -> str | None:
    return limits.BUNDLE_CONTENT_TYPES.get(PurePosixPath(path).suffix.lower())


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def bundle_hash_of(files: list[BundleFile]) -> str:
    digest = hashlib.sha256()
    for f in sorted(files, key=lambda item: item.path):
        digest.update(f"{f.path}\0{f.size}\0{f.sha256}\n".encode())
    return digest.hexdigest()


def bundle_scan(*, directory: Path | str) -> BundleScan:
    """Hash every file of a built bundle; refuse links, unknown types, and oversized bundles."""
    root = Path(directory)
    if not root.is_dir():
        raise ApplicationError.for_field(
            "bundle_dir", "The bundle folder does not exist.", code="invalid_bundle"
        )
    files: list[BundleFile] = []
    total = 0
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        for name in sorted(dirnames):
            if (here / name).is_symlink():
                raise ApplicationError.for_field(
                    "bundle_dir", f"{(here / name).relative_to(root)} is a link.", code="invalid_bundle"
                )
        for name in sorted(filenames):
            full = here / name
            rel = full.relative_to(root).as_posix()
            mode = full.lstat().st_mode
            if not stat.S_ISREG(mode):
                raise ApplicationError.for_field(
                    "bundle_dir", f"{rel} is not a regular file.", code="invalid_bundle"
                )
            content_type = content_type_for(rel)
            if content_type is None:
                raise ApplicationError.for_field(
                    "bundle_dir", f"{rel}: this file type is not served from bundles.", code="invalid_bundle"
                )
            size = full.stat().st_size
            total += size
            files.append(
                BundleFile(path=rel, size=size, sha256=_sha256_file(full), content_type=content_type)
            )
            if len(files) > limits.BUNDLE_MAX_FILES:
                raise ApplicationError.for_field(
                    "bundle_dir", f"More than {limits.BUNDLE_MAX_FILES} files.", code="invalid_bundle"
                )
    if total > limits.BUNDLE_MAX_BYTES:
        raise ApplicationError.for_field(
            "bundle_dir", f"The bundle is larger than {limits.BUNDLE_MAX_BYTES} bytes.", code="invalid_bundle"
        )
    if not any(f.path == "index.html" for f in files):
        raise ApplicationError.for_field("bundle_dir", "The bundle has no index.html.", code="invalid_bundle")
    files.sort(key=lambda f: f.path)
    return BundleScan(root=root, files=files, hash=bundle_hash_of(files), size=total)


def storage_name(bundle_path: str, path: str) -> str:
    return f"{bundle_path}/{path}"


def bundle_store(*, scan: BundleScan) -> StoredBundle:
    """Copy a scanned folder into the default storage; files already there (same hash) are kept.

    Returns the names written by this call, so a caller whose database write fails can remove them.
    """
    bundle_path = f"{BUNDLES_PREFIX}/{scan.hash}"
    written: list[str] = []
    try:
        for f in scan.files:
            name = storage_name(bundle_path, f.path)
            if default_storage.exists(name):
                if default_storage.size(name) == f.size:
                    continue
                # A write cut short earlier: its content is known (the hash), so replace it.
                default_storage.delete(name)
            with (scan.root / f.path).open("rb") as fh:
                saved = default_storage.save(name, File(fh, name=f.path))
            if saved != name:
                # Another publisher stored the same content at the same moment: keep theirs.
                default_storage.delete(saved)
            else:
                written.append(name)
    except Exception:
        bundle_remove(names=written)
        raise
    return StoredBundle(
        path=bundle_path, hash=scan.hash, size=scan.size, manifest=scan.manifest(), written=written
    )


def bundle_remove(*, names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except Exception:  # cleanup must not hide the error that caused it
            logger.exception("games: could not remove %s", name)


def bundle_open(*, bundle_path: str, path: str):
    """The stored file, opened for streaming (local file or S3 object)."""
    return default_storage.open(storage_name(bundle_path, path), "rb")


def bundle_read(*, bundle_path: str, path: str) -> bytes:
    with bundle_open(bundle_path=bundle_path, path=path) as fh:
        return fh.read()


# --- the shared Phaser --------------------------------------------------------------------


@cache
def phaser_version() -> str:
    package = Path(settings.NODE_MODULES) / "phaser" / "package.json"
    try:
        return json.loads(package.read_text())["version"]
    except (OSError, ValueError, KeyError):
        return "3"


def phaser_file() -> Path:
    return Path(settings.NODE_MODULES) / "phaser" / "dist" / "phaser.min.js"


def phaser_url() -> str:
    """Root-relative: it resolves against the bundle's own origin, the platform's or GAME_ORIGIN."""
    return f"/play/_lib/phaser-{phaser_version()}.min.js"


def bundle_url(*, version_id, bundle_hash: str, path: str = "index.html", absolute: bool = True) -> str:
    url = f"/play/{version_id}/{bundle_hash}/{path}"
    if absolute and settings.GAME_ORIGIN:
        return settings.GAME_ORIGIN + url
    return url
