"""Shared by the build steps (6, 8, 10): build a bundle into web/, playtest it, keep the evidence."""

from __future__ import annotations

import json
from pathlib import Path

from batches import collab
from batches.steps.base import StepContext, StepError

WEB = "web"


def build_web(ctx: StepContext, spec, *, name: str) -> Path:
    """Build `spec` as a standalone bundle (Phaser included: it opens from a clone) into web/."""
    out = ctx.scratch / name
    collab.bundle_build(spec=spec, out_dir=out, include_phaser=True, logic_js=ctx.logic_js())
    ctx.replace_tree(WEB, out)
    manifest = json.loads((out / "manifest.json").read_text())
    ctx.log(f"built {name}: {len(manifest['files'])} files, game {manifest['game_size']} bytes")
    return ctx.path(WEB)


def playtest_web(ctx: StepContext, *, label: str, seconds: float | None = None) -> dict:
    """Playtest web/ headless; the report is stored, the screenshot kept as an artifact."""
    report = collab.playtest(bundle_dir=ctx.path(WEB), seconds=seconds)
    screenshot = report.get("screenshot")
    if isinstance(screenshot, str | Path) and Path(screenshot).is_file():
        ctx.store(f"{label}-screenshot.png", Path(screenshot), kind="screenshot")
    elif isinstance(screenshot, bytes | bytearray):
        ctx.store(f"{label}-screenshot.png", bytes(screenshot), kind="screenshot")
    summary = {k: v for k, v in report.items() if not isinstance(v, bytes | bytearray)}
    ctx.store(f"{label}-playtest.json", json.dumps(summary, indent=2, default=str).encode(), kind="report")
    ctx.log(
        f"playtest {label}: passed={report.get('passed')} errors={len(report.get('errors') or [])} "
        f"events={len(report.get('events') or [])}"
    )
    return report


def verify_web(ctx: StepContext) -> list[str]:
    if not ctx.exists(f"{WEB}/manifest.json"):
        return ["web/ holds no built bundle (manifest.json missing)"]
    return [f"web/{p}" for p in collab.bundle_verify(path=ctx.path(WEB))]


def playtest_problems(report: dict | None, *, label: str) -> list[str]:
    if report is None:
        return [f"{label}: the playtest did not run"]
    problems = []
    if not report.get("passed"):
        reasons = report.get("failures") or report.get("errors") or ["failed"]
        problems.append(f"{label}: the playtest failed: {'; '.join(str(r) for r in reasons[:5])}")
    return problems


def event_names(report: dict) -> set[str]:
    return set(report.get("events") or [])


def require(report: dict | None, label: str) -> dict:
    if report is None:
        raise StepError(f"{label}: no playtest report")
    return report
