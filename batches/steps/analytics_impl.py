"""Step 5, analytics implementation: the taxonomy wired into the web runtime and the Flutter app.

The game gets its catalogue identity here (a private draft, published at step 11) so its ingest
key can be issued: the public key goes into the runtime config, the secret never into the
repository (CI secret GF_INGEST_SECRET).

Mobile: the generator's Flame runtime queues its events in `GfAnalytics.queue` with the web
runtime's names; `analytics_wiring.dart` drains that queue into the typed `AnalyticsService`
(Firebase Analytics + the GameFactory ingest API), reports uncaught errors as `game_error`, and
drives the ad placements, whose impressions are `ad_impression`.

Validation proves statically that every designed event has an emitter: a `track("<name>")` in the
web runtime or mechanic; in the Flame code (rendered from the generator's templates) a
`track('<name>')` routed by `logByName`, or a direct call of the event's typed method.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from batches import collab
from batches.steps.analytics_design import TAXONOMY_PATH
from batches.steps.base import Step, StepContext, StepError
from batches.steps.project_setup import pubspec_with

CONFIG_PATH = "game/analytics.json"
SERVICE_PATH = "mobile/lib/services/analytics_service.dart"
ADS_PATH = "mobile/lib/services/ads_service.dart"
WIRING_PATH = "mobile/lib/analytics_wiring.dart"
EXTRA_DEPENDENCIES = {"http": "^1.2.2", "crypto": "^3.0.5"}
DART_TYPES = {"int": "int", "number": "double", "string": "String", "bool": "bool"}
RUNTIME_JS = "runtime.js"
# Google's published test ad units: real ones come from the AdMob account, set at build time.
TEST_AD_UNITS = {
    "banner": "ca-app-pub-3940256099942544/6300978111",
    "interstitial": "ca-app-pub-3940256099942544/1033173712",
    "rewarded": "ca-app-pub-3940256099942544/5224354917",
}


def camel(name: str) -> str:
    parts = [p for p in re.split(r"[^A-Za-z0-9]+", name) if p]
    if not parts:
        return "event"
    return parts[0].lower() + "".join(p[:1].upper() + p[1:] for p in parts[1:])


def method_name(event: dict) -> str:
    """The Dart method that logs an event: `levelStart`, `designFoodEaten`."""
    return camel(event["name"].replace(":", "_"))


def _dart_signature(event: dict) -> str:
    """The typed method's named parameters: identifiers and types only (names pass through `camel`)."""
    params = event["params"]
    if not params:
        return ""
    out = []
    for p in params:
        dart_type = DART_TYPES.get(p["type"], "Object")
        name = camel(p["name"])
        out.append(f"required {dart_type} {name}" if p.get("required") else f"{dart_type}? {name}")
    return "{" + ", ".join(out) + "}"


# The runtime's name for a taxonomy param where they differ (the score event's `value` is its `score`).
PARAM_ALIASES = {"value": ("score",)}


def _dart_cast(param: dict) -> str:
    kind = DART_TYPES.get(param["type"], "Object")
    source = " ?? ".join(
        f"p[{collab.dart_string(name)}]" for name in (param["name"], *PARAM_ALIASES.get(param["name"], ()))
    )
    source = f"({source})" if " ?? " in source else source
    if kind == "int":
        return f"({source} as num?)?.toInt()" + ("!" if param.get("required") else "")
    if kind == "double":
        return f"({source} as num?)?.toDouble()" + ("!" if param.get("required") else "")
    if kind == "String":
        return f"{source}?.toString()" + ("!" if param.get("required") else "")
    if kind == "bool":
        return f"{source} as bool" + ("" if param.get("required") else "?")
    return source


def analytics_service_dart(taxonomy: dict, *, ingest_url: str, public_key: str) -> str:
    """`dart/analytics_service.dart`: one typed method per event of the taxonomy, and the router
    from the runtime's names to them."""
    events = [
        {
            "name": event["name"],
            "source_name": event["source_name"],
            "description": event["description"],
            "method": method_name(event),
            "signature": _dart_signature(event),
            "params": [
                {"name": p["name"], "var": camel(p["name"]), "cast": _dart_cast(p)} for p in event["params"]
            ],
        }
        for event in taxonomy["events"]
    ]
    return collab.dart_render(
        "analytics_service.dart",
        events=events,
        ingest_url=ingest_url,
        public_key=public_key,
        version=int(taxonomy["version"]),
    )


def ads_service_dart(spec) -> str:
    """`dart/ads_service.dart`: the spec's ad placements and Google's test units."""
    placements = [ad.model_dump(mode="json") for ad in spec.ads]
    return collab.dart_render("ads_service.dart", placements=placements, units=TEST_AD_UNITS)


def tracked_names(sources: list[str]) -> set[str]:
    """Event names a source emits with `track("name")` (JavaScript) or `track('name')` (Dart)."""
    names = set()
    for source in sources:
        names |= set(re.findall(r"track\(\s*[\"']([a-z][a-z0-9_]*)[\"']", source))
    return names


def routed_names(service_source: str) -> set[str]:
    return set(re.findall(r"case '([a-z][a-z0-9_]*)':", service_source))


def called_methods(sources: list[str]) -> set[str]:
    names = set()
    for source in sources:
        names |= set(re.findall(r"_?analytics\.([a-zA-Z0-9_]+)\(", source))
    return names


def defined_methods(source: str) -> set[str]:
    return set(re.findall(r"Future<void> ([a-zA-Z0-9_]+)\(", source))


def mobile_emission_problems(
    taxonomy: dict, *, game_sources: list[str], service: str, glue: list[str]
) -> list[str]:
    """Every designed event: a typed method, and either the game tracks it (and it is routed) or glue calls it."""
    problems = []
    defined = defined_methods(service)
    tracked = tracked_names(game_sources)
    routed = routed_names(service)
    called = called_methods(glue)
    for event in taxonomy["events"]:
        method = method_name(event)
        if method not in defined:
            problems.append(f"mobile: AnalyticsService has no {method}() for {event['name']}")
        elif not ((event["source_name"] in tracked and event["source_name"] in routed) or method in called):
            problems.append(f"mobile: nothing emits {event['name']}")
    return problems


def ingest_url() -> str:
    try:
        path = reverse("analytics-events")
    except NoReverseMatch:
        path = "/api/v1/events"
    return settings.SITE_URL + path


def provenance_of(production) -> dict:
    """The catalogue provenance of a factory game: stable across retries (publishing is idempotent)."""
    return {
        "batch_id": str(production.batch_id),
        "production_id": str(production.pk),
        "batch": production.batch.name,
        "index": production.index,
    }


def require_game(ctx: StepContext):
    game = collab.game_for_production(production=ctx.production)
    if game is None:
        raise StepError("The production has no catalogue game yet (step 5 makes it).")
    return game


class AnalyticsImplementation(Step):
    number = 5
    slug = "analytics_impl"
    title = "Analytics implementation"
    description = "The taxonomy wired into the web runtime config and the Flutter app; ingest key issued."
    reads = (TAXONOMY_PATH, "game/spec.json", "mobile/pubspec.yaml")
    writes = (CONFIG_PATH, SERVICE_PATH, ADS_PATH, WIRING_PATH)

    def run(self, ctx: StepContext) -> None:
        spec = ctx.spec()
        taxonomy = ctx.read_json(TAXONOMY_PATH)
        production = ctx.production
        game = collab.game_for_production(production=production)
        if game is None:
            version = collab.game_publish(
                creator=production.batch.created_by,
                spec=spec.model_dump(mode="json"),
                origin="factory",
                provenance=provenance_of(production),
                changelog="Draft made by the factory to issue the game's analytics key.",
                is_public=False,
            )
            game = version.game
            ctx.log(f"draft catalogue game {game.pk} made")
        ctx.updates["game_id"] = game.pk
        public_key, _secret = collab.ingest_key_issue(game=game)
        ctx.log(f"ingest key {public_key[:12]}… issued (the secret is a CI secret, never committed)")
        # The web runtime's config: the spec's analytics block and this file, read by the player page.
        ctx.write_json(
            CONFIG_PATH,
            {
                "taxonomy_version": taxonomy["version"],
                "ingest_url": ingest_url(),
                "public_key": public_key,
                "game_id": str(game.pk),
                "events": {e["source_name"]: e["name"] for e in taxonomy["events"]},
                "flush": {"max_events": 20, "max_seconds": 5},
            },
        )
        ctx.write_text(
            SERVICE_PATH, analytics_service_dart(taxonomy, ingest_url=ingest_url(), public_key=public_key)
        )
        ctx.write_text(ADS_PATH, ads_service_dart(spec))
        ctx.write_text(WIRING_PATH, collab.dart_render("analytics_wiring.dart"))
        ctx.write_text(
            "mobile/pubspec.yaml", pubspec_with(ctx.read_text("mobile/pubspec.yaml"), EXTRA_DEPENDENCIES)
        )

    def validate(self, ctx: StepContext) -> list[str]:
        problems = self.missing_outputs(ctx)
        if problems:
            return problems
        taxonomy = ctx.read_json(TAXONOMY_PATH)
        spec = ctx.spec()
        # Web: every designed event has an emitter in the runtime or the mechanic's scene.
        definition = collab.mechanic(spec.mechanic)
        from generation.selectors import static_dir

        emitted = tracked_names([(static_dir() / RUNTIME_JS).read_text(), definition.js_path.read_text()])
        problems += [
            f"web: nothing emits {e['source_name']}"
            for e in taxonomy["events"]
            if e["source_name"] not in emitted
        ]
        # Mobile: the Flame code the core prototype will commit, rendered from the generator's templates.
        project = collab.mobile_project(spec=spec)
        game_sources = [data.decode() for path, data in project.items() if path.endswith(".dart")]
        problems += mobile_emission_problems(
            taxonomy,
            game_sources=game_sources,
            service=ctx.read_text(SERVICE_PATH),
            glue=[ctx.read_text(WIRING_PATH), ctx.read_text(ADS_PATH)],
        )
        config = ctx.read_json(CONFIG_PATH)
        if not str(config.get("public_key", "")).startswith("gfk_"):
            problems.append("game/analytics.json has no ingest key")
        if any("gfs_" in ctx.read_text(path) for path in (SERVICE_PATH, CONFIG_PATH, ADS_PATH)):
            problems.append("The ingest secret must never be committed")
        if set(config.get("events", {})) != {e.name for e in spec.analytics.events}:
            problems.append("game/analytics.json does not list exactly the spec's events")
        return problems


STEP = AnalyticsImplementation()
