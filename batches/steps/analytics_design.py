"""Step 4, analytics design: docs/ANALYTICS.md and the game's machine-readable event taxonomy.

The taxonomy is the platform's (analytics/taxonomy.py): the game's standard events keep their
typed params from there; the mechanic's own events become `design:<name>` custom events.
"""

from __future__ import annotations

import re

from batches import collab
from batches.steps.base import Step, StepContext

TAXONOMY_PATH = "analytics/taxonomy.json"
INT_PARAM = re.compile(r"(^|_)(level|score|count|lives|moves|combo|length|delta|index|ms|size|steps|points)$")
BOOL_PARAM = re.compile(r"^(success|won|is_\w+|has_\w+)$")

KPIS = (
    ("retention_d1", "Share of a day's new players who play again the next day.", ("session_start",), "≥ 30%"),
    ("retention_d7", "Share of a day's new players who play again a week later.", ("session_start",), "≥ 10%"),
    ("tutorial_completion", "tutorial_complete / tutorial_begin.", ("tutorial_begin", "tutorial_complete"), "≥ 80%"),
    ("level_completion", "Per level: level_end with success / level_start (the difficulty funnel).",
     ("level_start", "level_end"), "≥ 60% on level 1, falling gently"),
    ("session_length", "Median minutes between a session's first and last event.", ("session_start",), "≥ 3 min"),
    ("score_progress", "Median best score per player per day.", ("score",), "rising week on week"),
    ("error_free_sessions", "Sessions without a game_error.", ("game_error", "session_start"), "≥ 99%"),
    ("ad_impressions_per_dau", "ad_impression events per daily active player.", ("ad_impression",), "2 to 6"),
    ("arpdau", "Ad and purchase revenue per daily active player, in USD micros.", ("ad_impression",), "track"),
)  # fmt: skip


def _param_type(name: str) -> str:
    if BOOL_PARAM.match(name):
        return "bool"
    if INT_PARAM.search(name):
        return "int"
    return "string"


def taxonomy_for(spec) -> dict:
    """The game's event taxonomy: every event it emits, typed, mapped to the platform's names."""
    platform = collab.taxonomy()
    standard = {event["name"]: event for event in platform["events"]}
    prefix = platform.get("custom_event_prefix", "design:")
    events = []
    for event in spec.analytics.events:
        if event.name in standard:
            events.append(
                {
                    "name": event.name,
                    "source_name": event.name,
                    "kind": "standard",
                    "description": standard[event.name]["description"],
                    "params": standard[event.name]["params"],
                    "emitted_params": list(event.params),
                }
            )
        else:
            events.append(
                {
                    "name": f"{prefix}{event.name}",
                    "source_name": event.name,
                    "kind": "design",
                    "description": event.description or f"{event.name} (mechanic event)",
                    "params": [{"name": p, "type": _param_type(p), "required": False} for p in event.params],
                    "emitted_params": list(event.params),
                }
            )
    source_names = {e["source_name"] for e in events}
    kpis = [
        {"name": name, "description": what, "events": list(needs), "target": target}
        for name, what, needs, target in KPIS
        if set(needs) <= source_names
    ]
    return {
        "version": platform["version"],
        "game": {"title": spec.title, "slug": spec.slug, "mechanic": spec.mechanic},
        "custom_event_prefix": prefix,
        "event_fields": platform["event_fields"],
        "limits": platform["limits"],
        "events": events,
        "kpis": kpis,
    }


def analytics_markdown(taxonomy: dict) -> str:
    lines = [
        f"# {taxonomy['game']['title']}: analytics",
        "",
        f"Taxonomy version {taxonomy['version']} (machine-readable: `{TAXONOMY_PATH}`). Standard events keep the "
        f"platform's names and typed params; the mechanic's own events are custom events named "
        f"`{taxonomy['custom_event_prefix']}<name>`.",
        "",
        "## Events",
        "",
        "| Event | Kind | Params (type) | Meaning |",
        "|---|---|---|---|",
    ]
    for event in taxonomy["events"]:
        params = ", ".join(
            f"`{p['name']}` ({p['type']}{', required' if p.get('required') else ''})" for p in event["params"]
        )
        lines.append(f"| `{event['name']}` | {event['kind']} | {params or '-'} | {event['description']} |")
    lines += ["", "## KPIs", "", "| KPI | Definition | Events | Target |", "|---|---|---|---|"]
    for kpi in taxonomy["kpis"]:
        lines.append(
            f"| {kpi['name']} | {kpi['description']} | {', '.join(f'`{e}`' for e in kpi['events'])} | {kpi['target']} |"
        )
    lines += [
        "",
        "## Every event carries",
        "",
        *[f"- `{field}`: {what}" for field, what in taxonomy["event_fields"].items()],
        "",
    ]
    return "\n".join(lines)


class AnalyticsDesign(Step):
    number = 4
    slug = "analytics_design"
    title = "Analytics design"
    description = (
        "docs/ANALYTICS.md and analytics/taxonomy.json: the game's typed events and the KPIs to watch."
    )
    reads = ("game/spec.json", "docs/gdd.json")
    writes = ("docs/ANALYTICS.md", TAXONOMY_PATH)

    def run(self, ctx: StepContext) -> None:
        taxonomy = taxonomy_for(ctx.spec())
        ctx.write_json(TAXONOMY_PATH, taxonomy)
        ctx.write_text("docs/ANALYTICS.md", analytics_markdown(taxonomy))
        ctx.log(f"{len(taxonomy['events'])} events, {len(taxonomy['kpis'])} KPIs")

    def validate(self, ctx: StepContext) -> list[str]:
        problems = self.missing_outputs(ctx)
        if problems:
            return problems
        taxonomy = ctx.read_json(TAXONOMY_PATH)
        spec = ctx.spec()
        mapped = {e["source_name"] for e in taxonomy.get("events", [])}
        problems += [
            f"Event {e.name} of the spec has no taxonomy entry"
            for e in spec.analytics.events
            if e.name not in mapped
        ]
        names = {e["source_name"] for e in taxonomy.get("events", [])}
        for event in taxonomy.get("events", []):
            for param in event.get("params", []):
                if param.get("type") not in ("int", "number", "string", "bool"):
                    problems.append(f"{event['name']}.{param.get('name')} has no valid type")
        if not taxonomy.get("kpis"):
            problems.append("No KPI can be measured with these events")
        for kpi in taxonomy.get("kpis", []):
            missing = [e for e in kpi["events"] if e not in names]
            if missing:
                problems.append(
                    f"KPI {kpi['name']} needs events the game does not emit: {', '.join(missing)}"
                )
        return problems


STEP = AnalyticsDesign()
