"""Uploaded game packages: a zip holding `spec.json`, an optional `logic.js` and `assets/...`.

Everything is checked before anything is kept. The central directory is read first (entry
count, names, links, declared sizes and compression ratios), then each accepted entry is
inflated into a fresh folder while its bytes are counted again, because a zip can lie about
its sizes. Images are opened with Pillow (their format must be what the extension says) and
sounds are recognised by their magic bytes. The spec goes through the generator's schema and
`logic.js` through its checker. The caller owns the folder and removes it.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings
from PIL import Image, UnidentifiedImageError

from gamefactory.errors import ApplicationError
from games import limits

FIELD = "package"
CHUNK = 64 * 1024
SPEC_NAME = "spec.json"
LOGIC_NAME = "logic.js"
# Folders and files that archivers add on their own: never extracted, never refused.
IGNORED_PREFIXES = ("__MACOSX/",)
IGNORED_NAMES = {".DS_Store", "Thumbs.db"}


@dataclass
class PackageAsset:
    path: str  # inside the package, e.g. assets/hero.png
    kind: str  # image | sound
    content_type: str
    size: int
    sha256: str


@dataclass
class Package:
    root: Path
    spec_data: dict
    logic_source: str | None
    sha256: str
    assets: list[PackageAsset] = field(default_factory=list)


def _refuse(
    message: str, *, code: str = "invalid_package", status: int | None = None, name: str | None = None
):
    fields = {FIELD: [message]}
    if name:
        fields[f"{FIELD}.{name}"] = [message]
    return ApplicationError(message, code=code, fields=fields, status=status)


def _check_name(name: str) -> str:
    if len(name) > limits.UPLOAD_MAX_PATH_CHARS:
        raise _refuse(f"{name[:60]}...: the path is too long.", code="bad_path")
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name):
        raise _refuse("A path holds control characters.", code="bad_path")
    if "\\" in name:
        raise _refuse(f"{name}: backslashes are not allowed in paths.", code="bad_path", name=name)
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise _refuse(f"{name}: absolute paths are not allowed.", code="bad_path", name=name)
    parts = name.rstrip("/").split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise _refuse(f"{name}: '..', '.' and empty path parts are not allowed.", code="bad_path", name=name)
    if len(parts) > limits.UPLOAD_MAX_PATH_DEPTH:
        raise _refuse(f"{name}: folders nest too deep.", code="bad_path", name=name)
    return name


def _kind_of(name: str) -> str:
    """What an accepted entry is: spec, logic, image or sound; anything else is refused."""
    if name == SPEC_NAME:
        return "spec"
    if name == LOGIC_NAME:
        return "logic"
    suffix = PurePosixPath(name).suffix.lower()
    if name.startswith("assets/"):
        if suffix in limits.UPLOAD_IMAGE_EXTENSIONS:
            return "image"
        if suffix in limits.UPLOAD_AUDIO_EXTENSIONS:
            return "sound"
        raise _refuse(
            f"{name}: only images (PNG, JPEG, GIF, WebP) and sounds (WAV, OGG, MP3) may be assets.",
            code="bad_type",
            name=name,
        )
    raise _refuse(
        f"{name}: a package holds spec.json, an optional logic.js and assets/ only.",
        code="unexpected_file",
        name=name,
    )


def _entry_mode(info: zipfile.ZipInfo) -> int:
    # Unix permissions and file type live in the high 16 bits when the zip was made on Unix.
    return (info.external_attr >> 16) & 0xFFFF if info.create_system == 3 else 0


def _check_directory(zf: zipfile.ZipFile) -> list[tuple[zipfile.ZipInfo, str]]:
    """Everything the central directory says, checked before a byte is inflated."""
    infos = zf.infolist()
    if len(infos) > limits.UPLOAD_MAX_FILES:
        raise _refuse(
            f"The package has {len(infos)} entries; at most {limits.UPLOAD_MAX_FILES}.", code="too_many_files"
        )
    accepted: list[tuple[zipfile.ZipInfo, str]] = []
    seen: set[str] = set()
    declared_total = 0
    compressed_total = 0
    for info in infos:
        name = _check_name(info.filename)
        mode = _entry_mode(info)
        if stat.S_ISLNK(mode):
            raise _refuse(f"{name}: links are not allowed.", code="symlink", name=name)
        kind_bits = stat.S_IFMT(mode)
        # No type bits (many zip writers set permissions only) means a plain file.
        if kind_bits and kind_bits not in (stat.S_IFREG, stat.S_IFDIR):
            raise _refuse(f"{name}: only files and folders are allowed.", code="bad_path", name=name)
        if info.flag_bits & 0x1:
            raise _refuse(f"{name}: encrypted entries are not accepted.", code="encrypted", name=name)
        key = name.rstrip("/").casefold()
        if key in seen:
            raise _refuse(f"{name} appears twice.", code="duplicate_entry", name=name)
        seen.add(key)
        if info.is_dir():
            continue
        if name.startswith(IGNORED_PREFIXES) or PurePosixPath(name).name in IGNORED_NAMES:
            continue
        kind = _kind_of(name)
        if info.file_size > limits.UPLOAD_MAX_FILE_BYTES:
            raise _refuse(
                f"{name} inflates to {info.file_size} bytes; one file may be {limits.UPLOAD_MAX_FILE_BYTES}.",
                code="file_too_large",
                status=413,
                name=name,
            )
        if (
            info.file_size > limits.UPLOAD_RATIO_FLOOR_BYTES
            and info.file_size > limits.UPLOAD_MAX_RATIO * max(info.compress_size, 1)
        ):
            raise _refuse(
                f"{name} is compressed suspiciously well (a zip bomb?).", code="zip_bomb", name=name
            )
        declared_total += info.file_size
        compressed_total += info.compress_size
        accepted.append((info, kind))
    if declared_total > limits.UPLOAD_MAX_UNCOMPRESSED_BYTES:
        raise _refuse(
            f"The package inflates to {declared_total} bytes; at most {limits.UPLOAD_MAX_UNCOMPRESSED_BYTES}.",
            code="zip_bomb",
            status=413,
        )
    if declared_total > limits.UPLOAD_RATIO_FLOOR_BYTES and declared_total > limits.UPLOAD_MAX_RATIO * max(
        compressed_total, 1
    ):
        raise _refuse("The package is compressed suspiciously well (a zip bomb?).", code="zip_bomb")
    if not any(kind == "spec" for _, kind in accepted):
        raise _refuse("The package has no spec.json at its root.", code="missing_spec")
    return accepted


def _extract(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, root: Path, budget: list[int]
) -> tuple[Path, str, int]:
    """Inflate one entry, counting bytes as they come: a lying header stops here."""
    target = root.joinpath(*info.filename.split("/"))
    if root.resolve() not in target.resolve().parents:
        raise _refuse(f"{info.filename}: the path leaves the package.", code="bad_path", name=info.filename)
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    written = 0
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o640)
    try:
        with os.fdopen(fd, "wb") as out, zf.open(info) as src:
            while True:
                chunk = src.read(CHUNK)
                if not chunk:
                    break
                written += len(chunk)
                budget[0] -= len(chunk)
                if written > info.file_size or written > limits.UPLOAD_MAX_FILE_BYTES or budget[0] < 0:
                    raise _refuse(
                        f"{info.filename} inflates past what the package declares (a zip bomb?).",
                        code="zip_bomb",
                        status=413,
                        name=info.filename,
                    )
                digest.update(chunk)
                out.write(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise _refuse(f"{info.filename} is damaged: {exc}", name=info.filename) from exc
    return target, digest.hexdigest(), written


def _sniff_image(path: Path, name: str) -> str:
    expected = limits.UPLOAD_IMAGE_EXTENSIONS[PurePosixPath(name).suffix.lower()]
    not_image = _refuse(f"{name} is not a {expected} image.", code="bad_type", name=name)
    try:
        with Image.open(path) as image:
            if image.format != expected:
                raise not_image
            width, height = image.size
            if width * height > limits.UPLOAD_MAX_IMAGE_PIXELS:
                raise _refuse(f"{name} has more pixels than accepted.", code="too_many_pixels", name=name)
            image.load()
    except ApplicationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError, SyntaxError) as exc:
        raise not_image from exc
    return Image.MIME[expected]


def _sniff_sound(path: Path, name: str) -> str:
    with path.open("rb") as fh:
        head = fh.read(12)
    suffix = PurePosixPath(name).suffix.lower()
    if suffix == ".wav" and head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "audio/wav"
    if suffix == ".ogg" and head[:4] == b"OggS":
        return "audio/ogg"
    if suffix == ".mp3" and (
        head[:3] == b"ID3" or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)
    ):
        return "audio/mpeg"
    raise _refuse(f"{name} is not a {suffix[1:].upper()} sound.", code="bad_type", name=name)


def _spec_data(path: Path) -> dict:
    from generation.spec import spec_validate

    raw = path.read_bytes()
    if len(raw) > limits.UPLOAD_SPEC_MAX_BYTES:
        raise ApplicationError.for_field("spec", "spec.json is too large.", code="invalid_spec", status=413)
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise ApplicationError.for_field(
            "spec", f"spec.json is not valid JSON: {exc}"[:300], code="invalid_spec"
        ) from None
    try:
        spec = spec_validate(data)
    except ApplicationError as exc:
        fields = {("spec" if k == "spec" else f"spec.{k}"): v for k, v in exc.fields.items()} or {
            "spec": [exc.message]
        }
        raise ApplicationError(exc.message, code=exc.code, fields=fields) from exc
    return spec.model_dump(mode="json")


def _logic_source(path: Path) -> str:
    from generation.services import logic_validate

    try:
        source = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise ApplicationError.for_field(
            "logic.js", "logic.js is not UTF-8 text.", code="logic_refused"
        ) from None
    logic_validate(source=source)
    return source


def package_extract(*, upload, root: Path) -> Package:
    """Check and unpack an uploaded zip into `root` (an empty folder the caller removes).

    Raises ApplicationError (field `package`, or `spec.<path>` / `logic.js`) on anything refused.
    """
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size > settings.GAMES_UPLOAD_MAX_BYTES:
        raise _refuse(
            f"The package is {size} bytes; at most {settings.GAMES_UPLOAD_MAX_BYTES}.",
            code="package_too_large",
            status=413,
        )
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: upload.read(CHUNK), b""):
        digest.update(chunk)
    upload.seek(0)
    try:
        zf = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _refuse(f"The package is not a zip file: {exc}", code="not_a_zip") from None
    with zf:
        accepted = _check_directory(zf)
        budget = [limits.UPLOAD_MAX_UNCOMPRESSED_BYTES]
        spec_data: dict | None = None
        logic: str | None = None
        assets: list[PackageAsset] = []
        for info, kind in accepted:
            path, sha, written = _extract(zf, info, root, budget)
            if kind == "spec":
                spec_data = _spec_data(path)
            elif kind == "logic":
                logic = _logic_source(path)
            elif kind == "image":
                content_type = _sniff_image(path, info.filename)
                assets.append(PackageAsset(info.filename, "image", content_type, written, sha))
            else:
                content_type = _sniff_sound(path, info.filename)
                assets.append(PackageAsset(info.filename, "sound", content_type, written, sha))
    assert spec_data is not None  # _check_directory insists on spec.json
    return Package(
        root=root, spec_data=spec_data, logic_source=logic, sha256=digest.hexdigest(), assets=assets
    )
