"""The playtest's verdict cache: a verdict is reused when nothing that decided it changed.

What decides a verdict, and so goes into its key:
- the bundle's content: every file under the bundle folder (path and bytes), and the platform's
  Phaser, which the playtest server also serves;
- the engine: the sources of generation/playtest.py, generation/limits.py, the mechanics' base
  and the mechanic's own package (its bot and its hints), `PLAYTEST_VERSION`, and Chromium's version;
- the bot's time cap (`seconds`).

What is kept: passes, and the smoke runs a caller capped with `seconds` whose game booted, drew,
reacted to input and started a level without any error, failing only what the cap cut short (a level
not finished in 2 s): that report comes back as it was, failed, with the same failures, so its
reader decides as before. Any other failure (an error, no boot, a blank canvas, dead input) is never
stored, so a broken game is always played again: a retry gets a real second chance, and no failure
can come back as a pass. A verdict is reused only for the very bytes and engine that earned it,
so the gate is as strong as the run it copies.

Rows live in the database (`PlaytestVerdict`, unique key): safe across processes and hosts; two
processes that play the same bundle at once both store, the second finds the first's row. Entries
older than PLAYTEST_VERDICT_CACHE_DAYS are not used, and are deleted when a new verdict is stored.
A cache that cannot be read or written is a miss, never an error.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import logging
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError
from django.db.models import F
from django.utils import timezone

from generation import playtest
from generation.bundle import MANIFEST, phaser_path
from generation.mechanics import mechanic_get
from generation.models import PlaytestVerdict

log = logging.getLogger(__name__)
GENERATION = Path(__file__).resolve().parent
ENGINE_SOURCES = ("playtest.py", "limits.py", "mechanics/base.py")


def cache_enabled() -> bool:
    return bool(getattr(settings, "PLAYTEST_VERDICT_CACHE", True))


def _sha_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@functools.lru_cache(maxsize=8)
def _phaser_sha(path: str, mtime_ns: int, size: int) -> str:
    return _sha_file(Path(path))


def bundle_content_hash(bundle_dir: Path | str) -> str:
    """sha256 over every file of the bundle (relative path and bytes, in path order) and Phaser."""
    root = Path(bundle_dir)
    digest = hashlib.sha256(b"gf-bundle-content/1\n")
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        digest.update(f"{rel}\0{_sha_file(path)}\n".encode())
    phaser = phaser_path()
    if phaser.is_file():
        stat = phaser.stat()
        digest.update(
            f"platform-phaser\0{_phaser_sha(str(phaser), stat.st_mtime_ns, stat.st_size)}\n".encode()
        )
    return digest.hexdigest()


@functools.lru_cache(maxsize=1)
def chromium_version() -> str:
    """The playtest browser's `--version` (once per process), or its path when it cannot be asked."""
    path = playtest.playtest_chromium_path()
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return path
    return out.stdout.strip() or path


def engine_fingerprint(mechanic: str) -> str:
    """sha256 of what judges a bundle of `mechanic`: the playtest, limits, the mechanic's package, Chromium."""
    digest = hashlib.sha256(f"gf-playtest-engine/{playtest.PLAYTEST_VERSION}\n".encode())
    sources = [GENERATION / rel for rel in ENGINE_SOURCES]
    definition = mechanic_get(mechanic)
    if definition is not None:
        package = definition.bot_path.parent
        sources += sorted(package.glob("*.py"))
    for path in sources:
        digest.update(f"{path.relative_to(GENERATION).as_posix()}\0{_sha_file(path)}\n".encode())
    digest.update(f"chromium\0{chromium_version()}\n".encode())
    return digest.hexdigest()


def verdict_key(*, bundle_dir: Path | str, seconds: float | None) -> tuple[str, str, str, str] | None:
    """(key, content hash, engine fingerprint, mechanic) of a playtest, or None when the bundle has no
    readable manifest or an unknown mechanic (the engine then fails it: nothing to cache)."""
    try:
        manifest = json.loads((Path(bundle_dir) / MANIFEST).read_text())
    except (OSError, ValueError):
        return None
    mechanic = manifest.get("mechanic") if isinstance(manifest, dict) else None
    if not isinstance(mechanic, str) or mechanic_get(mechanic) is None:
        return None
    try:
        content = bundle_content_hash(bundle_dir)
    except OSError:
        return None
    engine = engine_fingerprint(mechanic)
    cap = "default" if seconds is None else repr(float(seconds))
    key = hashlib.sha256(f"{content}\n{engine}\n{cap}\n".encode()).hexdigest()
    return key, content, engine, mechanic


def _fresh_since() -> dt.datetime:
    return timezone.now() - dt.timedelta(days=int(getattr(settings, "PLAYTEST_VERDICT_CACHE_DAYS", 30)))


def verdict_get(key: str, *, bundle_dir: Path | str) -> playtest.PlaytestReport | None:
    """The stored verdict under `key` as a report (its `cached_from` set), or None."""
    try:
        row = PlaytestVerdict.objects.filter(key=key, created_at__gte=_fresh_since()).first()
        if row is None:
            return None
        PlaytestVerdict.objects.filter(pk=row.pk).update(hits=F("hits") + 1, last_hit_at=timezone.now())
    except DatabaseError as exc:
        log.warning("playtest verdict cache unreadable: %s", exc)
        return None
    report = _report_from(row.report, screenshot=bytes(row.screenshot_png), final=bytes(row.final_png))
    if report is None or not storable(report, seconds=row.seconds):
        return None  # not something this module stores: not trusted
    report.bundle = str(bundle_dir)
    report.cached_from = row.created_at.isoformat()
    report.timings = {**report.timings, "cached": 0.0}
    return report


def _report_from(data: dict, *, screenshot: bytes, final: bytes) -> playtest.PlaytestReport | None:
    fields = set(playtest.PlaytestReport.__dataclass_fields__) - {"screenshot_png", "final_png"}
    try:
        return playtest.PlaytestReport(
            **{k: v for k, v in data.items() if k in fields}, screenshot_png=screenshot, final_png=final
        )
    except TypeError:
        return None


def storable(report, *, seconds: float | None) -> bool:
    """A pass, or a capped smoke run that failed only what the cap cut short (see the module's doc)."""
    if report.passed:
        return True
    return (
        seconds is not None
        and report.booted
        and not report.console_errors
        and report.canvas_nonblank
        and report.input_reacts
        and report.level_started
    )


def verdict_put(
    key: str, *, content_hash: str, engine: str, mechanic: str, seconds: float | None, report
) -> bool:
    """Store a report under `key` if `storable` (any other failure is refused); True when a row was written."""
    if report.cached_from or not storable(report, seconds=seconds):
        return False
    data = report.as_dict()
    data.pop("screenshot_bytes", None)
    try:
        # Expired rows first: one under this key would otherwise block the fresh one.
        PlaytestVerdict.objects.filter(created_at__lt=_fresh_since()).delete()
        # Two processes storing the same verdict: the second finds the first's row (same key, same pass).
        _, created = PlaytestVerdict.objects.get_or_create(
            key=key,
            defaults={
                "content_hash": content_hash,
                "engine": engine,
                "mechanic": mechanic,
                "seconds": seconds,
                "report": data,
                "screenshot_png": report.screenshot_png,
                "final_png": report.final_png,
            },
        )
    except DatabaseError as exc:
        log.warning("playtest verdict cache unwritable: %s", exc)
        return False
    return created


def playtest_cached(
    *, bundle_dir: Path | str, out_dir: Path | str | None = None, seconds: float | None = None
) -> playtest.PlaytestReport:
    """`playtest.playtest_run`, with a stored verdict reused for the same content, engine and cap."""
    keyed = verdict_key(bundle_dir=bundle_dir, seconds=seconds) if cache_enabled() else None
    if keyed is not None:
        report = verdict_get(keyed[0], bundle_dir=bundle_dir)
        if report is not None:
            if out_dir is not None:
                playtest.report_save(report, out_dir)
            return report
    report = playtest.playtest_run(bundle_dir=bundle_dir, out_dir=out_dir, seconds=seconds)
    if keyed is not None and storable(report, seconds=seconds):
        key, content, engine, mechanic = keyed
        # Stored only if the bundle did not change while it was played.
        if bundle_content_hash(bundle_dir) == content:
            verdict_put(
                key, content_hash=content, engine=engine, mechanic=mechanic, seconds=seconds, report=report
            )
    return report
