"""Step 8, vertical slice: one level, complete with UI and audio, played from start to finish."""

from __future__ import annotations

from batches import collab
from batches.steps.base import Step, StepContext
from batches.steps.builds import build_web, event_names, playtest_problems, playtest_web, verify_web


def slice_spec(spec):
    data = spec.model_dump(mode="json")
    data["levels"] = data["levels"][:1]
    data["audio"]["enabled"] = True
    return collab.spec_validate(data)


class VerticalSlice(Step):
    number = 8
    slug = "vertical_slice"
    title = "Vertical slice"
    description = "Level 1 alone, with its UI, sounds and ads, played by the bot from start to finish."
    queue = "builds"
    reads = ("game/spec.json", "assets/sprites.png")
    writes = ("web/index.html", "web/manifest.json")

    def run(self, ctx: StepContext) -> None:
        spec = slice_spec(ctx.spec())
        build_web(ctx, spec, name="vertical-slice")
        ctx.results["playtest"] = playtest_web(ctx, label="vertical-slice")
        ctx.results["completes_level"] = collab.mechanic(spec.mechanic).bot.completes_level

    def validate(self, ctx: StepContext) -> list[str]:
        problems = self.missing_outputs(ctx) + verify_web(ctx)
        report = ctx.results.get("playtest")
        problems += playtest_problems(report, label="vertical slice")
        if report and report.get("passed"):
            seen = event_names(report)
            for needed in ("level_start",):
                if needed not in seen:
                    problems.append(f"vertical slice: the level never started ({needed} not seen)")
            if ctx.results.get("completes_level") and "level_end" not in seen:
                problems.append("vertical slice: the bot did not finish level 1 (no level_end)")
        spec = ctx.spec()
        if not spec.audio.enabled or not spec.cue_map():
            problems.append("vertical slice: the game has no audio")
        return problems


STEP = VerticalSlice()
