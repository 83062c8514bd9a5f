"""Step 3, architecture: docs/ARCHITECTURE.md, scenes, entities, state and the module map."""

from __future__ import annotations

from batches import collab
from batches.steps.base import Step, StepContext
from batches.steps.project_setup import package_of

SCENES = (
    ("Boot", "loads spec.json, the sprite sheet, background and sounds; reports `session_start`"),
    ("Title", "title, tutorial lines and the title ad slot; `tutorial_begin` / `tutorial_complete`"),
    ("Play", "the mechanic's scene: input, rules, score, lives, the level clock; `level_start`, `score`"),
    ("LevelComplete", "bonus, interstitial ad every N levels, next level; `level_end` (success)"),
    ("GameOver", "final score, high score, rewarded ad offering a continue; `level_end` (failure)"),
    ("Pause", "freezes the clock and input when the page or app is hidden"),
)
STATE = (
    ("score", "int", "points this run; the high score is kept per device"),
    ("lives", "int", "lives left; a lost life plays the `life_lost` cue"),
    ("level", "int", "1-based index into `levels`"),
    ("time_left_s", "int?", "the level's clock when the level has one"),
    ("audio", "bool + volume", "sound settings from the spec, muted by the player"),
    ("ad_counters", "map", "levels since the last interstitial, per placement"),
)


def architecture_markdown(spec, *, package: str) -> str:
    definition = collab.mechanic(spec.mechanic)
    entities = definition.sprites
    events = [e.name for e in spec.analytics.events]
    lines = [
        f"# {spec.title}: architecture",
        "",
        f"One GameSpec (`game/spec.json`) drives two builds: the web game (Phaser, `web/`) and the mobile "
        f"game (Flutter + Flame, `mobile/`). Mechanic: {definition.name} (`{spec.mechanic}`).",
        "",
        "## Scenes",
        "",
        "| Scene | Responsibility |",
        "|---|---|",
        *[f"| {name} | {what} |" for name, what in SCENES],
        "",
        "```mermaid",
        "stateDiagram-v2",
        "  [*] --> Boot",
        "  Boot --> Title",
        "  Title --> Play",
        "  Play --> LevelComplete: level won",
        "  LevelComplete --> Play: next level",
        "  Play --> GameOver: no lives left",
        "  GameOver --> Play: rewarded continue",
        "  GameOver --> Title",
        "  Play --> Pause",
        "  Pause --> Play",
        "```",
        "",
        "## Entities",
        "",
        "| Entity | Shape | Colour role | Size |",
        "|---|---|---|---|",
        *[f"| {s.name} | {s.shape} | {s.color} | {s.width}x{s.height} |" for s in entities],
        "",
        "## State",
        "",
        "| Field | Type | Meaning |",
        "|---|---|---|",
        *[f"| `{name}` | {kind} | {what} |" for name, kind, what in STATE],
        "",
        f"Levels: {len(spec.levels)} ({definition.Level.__name__}), parameters: "
        + ", ".join(f"`{k}`" for k in spec.params.model_dump())
        + ".",
        "",
        "## Module map: web",
        "",
        "| Module | Role |",
        "|---|---|",
        "| `web/index.html` | page; the spec and asset map inlined as JSON data blocks |",
        "| `web/runtime.js` | boot, scenes around the mechanic, score, lives, audio, ads, analytics via postMessage |",
        f"| `web/mechanics/{spec.mechanic}.js` | the {definition.name} scene: rules, input, level loading |",
        "| `web/spec.json` | the GameSpec (canonical JSON) |",
        "| `web/assets/` | sprite sheet + frames, background, palette, sounds, thumbnails |",
        "| `web/manifest.json` | sha256 and size of every file |",
        "",
        "## Module map: mobile",
        "",
        "| Module | Role |",
        "|---|---|",
        "| `mobile/lib/main.dart` | entry point: the GfGame in a GameWidget, analytics and ads wired |",
        "| `mobile/lib/gf_runtime.dart` | the Flame runtime: spec, scenes as overlays, score, lives, HUD, audio |",
        f"| `mobile/lib/mechanics/{spec.mechanic}.dart` | the {definition.name} component: rules, input, level loading |",
        "| `mobile/lib/analytics_wiring.dart` | drains the game's events into the analytics service, reports errors |",
        "| `mobile/lib/services/analytics_service.dart` | typed analytics events (Firebase + GameFactory ingest) |",
        "| `mobile/lib/services/ads_service.dart` | the spec's ad placements with google_mobile_ads |",
        "| `mobile/assets/` | spec.json, images/ (sprite sheet, background), audio/sfx/, the app icon |",
        f"| package | `{package}` |",
        "",
        "## Analytics",
        "",
        "Events the builds emit: "
        + ", ".join(f"`{e}`" for e in events)
        + ". Designed at step 4 (docs/ANALYTICS.md).",
        "",
    ]
    return "\n".join(lines)


class Architecture(Step):
    number = 3
    slug = "architecture"
    title = "Architecture"
    description = "docs/ARCHITECTURE.md: scenes, entities, state, and the module map for web and mobile."
    reads = ("game/spec.json", "docs/gdd.json", "mobile/pubspec.yaml")
    writes = ("docs/ARCHITECTURE.md",)

    def run(self, ctx: StepContext) -> None:
        spec = ctx.spec()
        ctx.write_text("docs/ARCHITECTURE.md", architecture_markdown(spec, package=package_of(ctx)))

    def validate(self, ctx: StepContext) -> list[str]:
        problems = self.missing_outputs(ctx)
        if problems:
            return problems
        text = ctx.read_text("docs/ARCHITECTURE.md")
        for section in (
            "## Scenes",
            "## Entities",
            "## State",
            "## Module map: web",
            "## Module map: mobile",
        ):
            if section not in text:
                problems.append(f"ARCHITECTURE.md lacks the section {section[3:]}")
        spec = ctx.spec()
        for sprite in collab.mechanic(spec.mechanic).sprites:
            if f"| {sprite.name} |" not in text:
                problems.append(f"Entity {sprite.name} is not described")
        for name, _ in SCENES:
            if f"| {name} |" not in text:
                problems.append(f"Scene {name} is not described")
        return problems


STEP = Architecture()
