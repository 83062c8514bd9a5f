"""Step 1, pre-production: the game design document, from the batch brief and this game's concept.

The batch planner gave each production its own mechanic + setting (batches/planning.py); the
designer turns the concept's prompt into a GameSpec with that mechanic, and the factory keeps the
planned setting so no two games of a batch look alike (unless the batch allows repeats).
"""

from __future__ import annotations

from batches import collab
from batches.planning import setting_get, theme_for
from batches.steps.base import LOGIC_JS, Step, StepContext, StepError

GDD_SECTIONS = (
    "Overview",
    "Core loop",
    "Controls",
    "Progression",
    "Scoring and rules",
    "Look and sound",
    "Monetisation",
    "Analytics",
    "Platforms",
)


def gdd_data(spec, *, batch, concept: dict) -> dict:
    definition = collab.mechanic(spec.mechanic)
    curve = spec.difficulty.values(len(spec.levels))
    return {
        "title": spec.title,
        "slug": spec.slug,
        "logline": spec.description,
        "brief": batch.brief,
        "audience": batch.audience or "everyone",
        "genre": spec.genre,
        "mechanic": {"slug": definition.slug, "name": definition.name, "description": definition.description},
        "setting": concept.get("setting", ""),
        "theme": spec.theme.model_dump(mode="json"),
        "core_loop": list(definition.tutorial) or [definition.description],
        "controls": spec.controls.model_dump(mode="json"),
        "progression": {
            "levels": len(spec.levels),
            "difficulty": spec.difficulty.model_dump(mode="json"),
            "curve": curve,
        },
        "scoring": spec.scoring.model_dump(mode="json"),
        "rules": spec.rules.model_dump(mode="json"),
        "tutorial": list(spec.tutorial),
        "audio": [cue.model_dump(mode="json") for cue in spec.audio.cues],
        "monetisation": {"ads": [ad.model_dump(mode="json") for ad in spec.ads]},
        "analytics": {"events": [event.name for event in spec.analytics.events]},
        "platforms": ["web", "android", "ios"],
        "multiplayer": spec.multiplayer,
        "distinct_key": f"{spec.mechanic}+{concept.get('setting', '')}",
    }


def gdd_markdown(gdd: dict) -> str:
    rules = gdd["rules"]
    scoring = gdd["scoring"]
    lines = [
        f"# {gdd['title']}: game design document",
        "",
        f"> {gdd['logline']}",
        "",
        "## Overview",
        "",
        f"- Genre: {gdd['genre']}",
        f"- Mechanic: {gdd['mechanic']['name']} (`{gdd['mechanic']['slug']}`)",
        f"- Setting: {gdd['theme']['setting']}, mood {gdd['theme']['mood']}, {gdd['theme']['art_style']} art",
        f"- Audience: {gdd['audience']}",
        f"- Batch brief: {gdd['brief']}",
        "",
        "## Core loop",
        "",
        *[f"{i}. {line}" for i, line in enumerate(gdd["core_loop"], 1)],
        "",
        "## Controls",
        "",
        f"- Keyboard: {'yes' if gdd['controls']['keyboard'] else 'no'}",
        f"- Pointer: {'yes' if gdd['controls']['pointer'] else 'no'}",
        f"- Touch: {'yes' if gdd['controls']['touch'] else 'no'} ({gdd['controls']['touch_layout']})",
        "",
        "## Progression",
        "",
        f"{gdd['progression']['levels']} levels, difficulty {gdd['progression']['difficulty']['start']} to "
        f"{gdd['progression']['difficulty']['end']} ({gdd['progression']['difficulty']['shape']}).",
        "",
        "| Level | Difficulty |",
        "|---|---|",
        *[f"| {i} | {value:.2f} |" for i, value in enumerate(gdd["progression"]["curve"], 1)],
        "",
        "## Scoring and rules",
        "",
        f"- {scoring['base_points']} points per action, {scoring['level_bonus']} per level cleared"
        + (f", {scoring['time_bonus_per_second']} per second left" if scoring["time_bonus_per_second"] else ""),
        f"- Lives: {rules['lives']}",
        f"- Win: {rules['win']}",
        f"- Lose: {rules['lose']}",
        "",
        "## Look and sound",
        "",
        f"Palette: {', '.join(str(v) for k, v in gdd['theme']['palette'].items() if k != 'extra')}.",
        "",
        *[f"- `{cue['cue']}` plays `{cue['sound']}`" for cue in gdd["audio"]],
        "",
        "## Monetisation",
        "",
        *([f"- {ad['format']} ad `{ad['id']}` on {ad['trigger']}, every {ad['every']}" for ad in gdd["monetisation"]["ads"]]
          or ["- No ads."]),
        "",
        "## Analytics",
        "",
        ", ".join(f"`{name}`" for name in gdd["analytics"]["events"]) + ".",
        "",
        "## Platforms",
        "",
        "Web (Phaser bundle, played in the GameFactory catalogue) and mobile (Flutter + Flame: Android, iOS).",
        "",
    ]  # fmt: skip
    return "\n".join(lines)


class PreProduction(Step):
    number = 1
    slug = "pre_production"
    title = "Pre-production"
    description = (
        "The game design document (docs/GDD.md, docs/gdd.json) and the game's spec (game/spec.json)."
    )
    writes = ("docs/GDD.md", "docs/gdd.json", "game/spec.json")

    def run(self, ctx: StepContext) -> None:
        production, batch = ctx.production, ctx.batch
        concept = dict(production.concept)
        if not concept.get("mechanic") or not concept.get("setting"):
            raise StepError("The production has no concept (mechanic and setting): plan the batch first.")
        result = collab.design(
            prompt=concept["prompt"],
            seed=int(concept.get("seed", 0)),
            provider=batch.provider,
            mechanic=concept["mechanic"],
            params=concept.get("params") or None,
        )
        ctx.tokens_in += result.usage.input_tokens
        ctx.tokens_out += result.usage.output_tokens
        ctx.cost += result.usage.cost_usd
        if result.fallback_reason:
            ctx.log(f"designer fell back: {result.fallback_reason}")
        spec = result.spec
        data = spec.model_dump(mode="json")
        setting = setting_get(concept["setting"])
        if spec.theme.setting != setting.label:
            ctx.log(
                f"designer chose '{spec.theme.setting}', the batch plan says '{setting.label}': keeping the plan"
            )
            data["theme"] = theme_for(setting, mood=spec.theme.mood)
        if concept.get("title"):
            data["title"] = concept["title"]
        spec = collab.spec_validate(data)
        ctx.set_spec(spec)
        # Re-running replaces the logic too: a design without custom logic leaves none behind.
        if result.logic_js:
            ctx.write_text(LOGIC_JS, result.logic_js)
            ctx.log(f"the designer wrote custom logic ({len(result.logic_js)} characters, checked)")
        elif ctx.exists(LOGIC_JS):
            ctx.path(LOGIC_JS).unlink()
        gdd = gdd_data(spec, batch=batch, concept=concept)
        ctx.write_json("docs/gdd.json", gdd)
        ctx.write_text("docs/GDD.md", gdd_markdown(gdd))
        ctx.updates["title"] = spec.title
        # `title` in the concept is a staff override only; the designed title lives on the production.
        # How long level 1 plays at its own pace, for the factory's priorities (batches/execution.py).
        ctx.updates["concept"] = {
            **concept,
            "slug": spec.slug,
            "level_seconds": collab.level_seconds(spec=spec),
        }
        ctx.log(
            f"designed '{spec.title}': {spec.mechanic} in {spec.theme.setting}, {len(spec.levels)} levels"
        )

    def validate(self, ctx: StepContext) -> list[str]:
        problems = self.missing_outputs(ctx)
        if problems:
            return problems
        try:
            spec = ctx.spec()
        except Exception as exc:  # the spec's own validation message is the problem to show
            return [f"game/spec.json does not validate: {exc}"]
        gdd = ctx.read_json("docs/gdd.json")
        markdown = ctx.read_text("docs/GDD.md")
        problems += [f"GDD section missing: {name}" for name in GDD_SECTIONS if f"## {name}" not in markdown]
        concept = ctx.production.concept
        if spec.mechanic != concept.get("mechanic"):
            problems.append(
                f"The spec's mechanic {spec.mechanic} is not the planned {concept.get('mechanic')}."
            )
        if gdd.get("distinct_key") != f"{spec.mechanic}+{concept.get('setting')}":
            problems.append("docs/gdd.json does not record the game's mechanic + setting.")
        if not ctx.batch.allow_repeats:
            from batches.selectors import batch_concept_clashes

            clash = batch_concept_clashes(
                production=ctx.production, mechanic=spec.mechanic, setting=concept.get("setting")
            )
            if clash:
                problems.append(
                    f"Another game of the batch ({clash}) already has mechanic {spec.mechanic} "
                    f"with setting {concept.get('setting')}."
                )
        return problems


STEP = PreProduction()
