"""Step 10, testing: the full build played headless; docs/TEST_REPORT.md. A failed playtest fails the step."""

from __future__ import annotations

import json
from pathlib import Path

from batches.steps.analytics_design import TAXONOMY_PATH
from batches.steps.base import Step, StepContext
from batches.steps.builds import build_web, playtest_problems, playtest_web, verify_web

REPORT = "docs/TEST_REPORT.md"
# Designed events every played session must send (the web half of step 5's proof).
SESSION_EVENTS = ("session_start", "tutorial_begin", "tutorial_complete", "level_start", "score")
SCREENSHOT = "docs/test/screenshot.png"
FINAL_SCREENSHOT = "docs/test/final.png"
RESULTS = "docs/test/playtest.json"


CHECKS = (
    ("booted", "The game boots in the sandbox"),
    ("canvas_nonblank", "The canvas is drawn (not blank)"),
    ("input_reacts", "Input changes the game"),
    ("level_started", "A level starts"),
    ("score_moved", "The score moves"),
    ("level_completed", "The bot completes level 1"),
)


def report_markdown(
    spec, report: dict, *, manifest: dict, has_screenshot: bool, has_final: bool = False
) -> str:
    events = report.get("events_seen") or {}
    errors = report.get("errors") or []
    lines = [
        f"# {spec.title}: test report",
        "",
        f"Result: **{'PASSED' if report.get('passed') else 'FAILED'}** (headless Chromium, the bot "
        f"`{(report.get('bot') or {}).get('strategy', '?')}` playing the full build).",
        "",
        "## Figures",
        "",
        "| Figure | Value |",
        "|---|---|",
        f"| Levels in the build | {len(spec.levels)} |",
        f"| Files / game size | {len(manifest.get('files', {}))} / {manifest.get('game_size', 0)} bytes |",
        f"| Frames per second | {report.get('fps', 'n/a')} |",
        f"| Playtest duration | {report.get('duration_s', 'n/a')} s |",
        f"| Bot actions | {(report.get('bot') or {}).get('actions', 'n/a')} |",
        f"| Final score | {report.get('final_score', 'n/a')} |",
        f"| Canvas pixel deviation | {report.get('pixel_stddev', 'n/a')} |",
        f"| Console errors | {len(errors)} |",
        "",
        "## Checks",
        "",
        *[f"- {'✅' if report.get(key) else '❌'} {label}" for key, label in CHECKS],
        "",
        "## Events seen",
        "",
        "| Event | Count |",
        "|---|---|",
        *[f"| `{name}` | {count} |" for name, count in sorted(events.items())],
    ]
    if report.get("missing_events"):
        lines += ["", "Missing events: " + ", ".join(f"`{e}`" for e in report["missing_events"])]
    if report.get("failures"):
        lines += ["", "## Failures", "", *[f"- {f}" for f in report["failures"]]]
    if errors:
        lines += ["", "## Errors", "", *[f"- `{str(e)[:300]}`" for e in errors[:20]]]
    if has_screenshot:
        lines += [
            "",
            "## Screenshots",
            "",
            f"![The game during the playtest](test/{Path(SCREENSHOT).name})",
        ]
    if has_final:
        lines.append(f"![The game at the end of the bot's play](test/{Path(FINAL_SCREENSHOT).name})")
    lines.append("")
    return "\n".join(lines)


class Testing(Step):
    number = 10
    slug = "testing"
    title = "Testing"
    description = (
        "The full build played headless in Chromium; docs/TEST_REPORT.md with screenshots and figures."
    )
    queue = "builds"
    reads = ("game/spec.json", "game/levels/index.json", TAXONOMY_PATH)
    writes = ("web/index.html", REPORT, RESULTS)

    def run(self, ctx: StepContext) -> None:
        spec = ctx.spec()
        build_web(ctx, spec, name="release-candidate")
        report = playtest_web(ctx, label="full")
        ctx.results["playtest"] = report
        screenshot = report.get("screenshot")
        has_screenshot = False
        if isinstance(screenshot, str | Path) and Path(screenshot).is_file():
            ctx.write_bytes(SCREENSHOT, Path(screenshot).read_bytes())
            has_screenshot = True
        elif isinstance(screenshot, bytes | bytearray):
            ctx.write_bytes(SCREENSHOT, bytes(screenshot))
            has_screenshot = True
        final = report.get("final_screenshot")
        has_final = isinstance(final, bytes | bytearray) and bool(final)
        if has_final:
            ctx.write_bytes(FINAL_SCREENSHOT, bytes(final))
        summary = {k: v for k, v in report.items() if not isinstance(v, bytes | bytearray)}
        ctx.write_text(RESULTS, json.dumps(summary, indent=2, sort_keys=True, default=str))
        manifest = json.loads(ctx.read_text("web/manifest.json"))
        ctx.write_text(
            REPORT,
            report_markdown(
                spec, report, manifest=manifest, has_screenshot=has_screenshot, has_final=has_final
            ),
        )

    def validate(self, ctx: StepContext) -> list[str]:
        problems = self.missing_outputs(ctx) + verify_web(ctx)
        report = ctx.results.get("playtest")
        problems += playtest_problems(report, label="full playtest")
        if report and report.get("errors"):
            problems.append(f"full playtest: {len(report['errors'])} console error(s)")
        if report and report.get("booted"):
            designed = {e["source_name"] for e in ctx.read_json(TAXONOMY_PATH)["events"]}
            seen = set(report.get("events") or [])
            unseen = [name for name in SESSION_EVENTS if name in designed and name not in seen]
            if unseen:
                problems.append(f"full playtest: designed events never sent: {', '.join(unseen)}")
        return problems


STEP = Testing()
