"""Step 9, content production: the full level set along the difficulty curve, every level validated."""

from __future__ import annotations

import json
import random

from batches import collab
from batches.steps.base import Step, StepContext

LEVELS_DIR = "game/levels"


class ContentProduction(Step):
    number = 9
    slug = "content_production"
    title = "Content production"
    description = "Every level of the game, generated along the difficulty curve and checked (solvable where it can be)."
    reads = ("game/spec.json",)
    writes = ("docs/LEVELS.md", f"{LEVELS_DIR}/index.json")

    def run(self, ctx: StepContext) -> None:
        spec = ctx.spec()
        definition = collab.mechanic(spec.mechanic)
        count = max(len(spec.levels), definition.default_level_count)
        curve = spec.difficulty.values(count)
        if count != len(spec.levels):
            designed = len(spec.levels)
            rng = random.Random(f"content:{spec.content_hash()}")
            levels = definition.levels_for(rng=rng, difficulty=curve, params=spec.params)
            data = spec.model_dump(mode="json")
            data["levels"] = [level.model_dump(mode="json") for level in levels]
            spec = collab.spec_validate(data)
            ctx.set_spec(spec)
            ctx.log(f"grew the level set from {designed} to {count} levels")
        index = []
        for number, (level, difficulty) in enumerate(zip(spec.levels, curve, strict=True), 1):
            rel = f"{LEVELS_DIR}/level-{number:02d}.json"
            ctx.write_text(rel, json.dumps(level.model_dump(mode="json"), indent=1, sort_keys=True))
            index.append({"level": number, "file": rel, "difficulty": difficulty})
        ctx.write_json(f"{LEVELS_DIR}/index.json", {"mechanic": spec.mechanic, "levels": index})
        rows = "\n".join(f"| {row['level']} | {row['difficulty']:.2f} | `{row['file']}` |" for row in index)
        ctx.write_text(
            "docs/LEVELS.md",
            f"# {spec.title}: levels\n\n{len(index)} levels, difficulty {spec.difficulty.start} to "
            f"{spec.difficulty.end} ({spec.difficulty.shape}); every level passed the {definition.name} "
            f"validator.\n\n| Level | Difficulty | File |\n|---|---|---|\n{rows}\n",
        )

    def validate(self, ctx: StepContext) -> list[str]:
        problems = self.missing_outputs(ctx)
        if problems:
            return problems
        spec = ctx.spec()
        definition = collab.mechanic(spec.mechanic)
        index = ctx.read_json(f"{LEVELS_DIR}/index.json")["levels"]
        if len(index) != len(spec.levels):
            problems.append(f"{len(index)} level files for {len(spec.levels)} levels in the spec")
        for row, level in zip(index, spec.levels, strict=False):
            data = ctx.read_json(row["file"])
            if data != level.model_dump(mode="json"):
                problems.append(f"{row['file']} differs from the spec")
            for problem in definition.validate_level(level, spec.params):
                problems.append(f"level {row['level']}: {problem}")
        values = [row["difficulty"] for row in index]
        rising = spec.difficulty.end >= spec.difficulty.start
        if any((b < a) if rising else (b > a) for a, b in zip(values, values[1:], strict=False)):
            problems.append("The difficulty does not follow the curve")
        return problems


STEP = ContentProduction()
