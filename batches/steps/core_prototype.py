"""Step 6, core prototype: the spec's mechanic built (web and Flame) and smoke-played headless."""

from __future__ import annotations

from batches import collab
from batches.steps.analytics_design import TAXONOMY_PATH
from batches.steps.analytics_impl import ADS_PATH, SERVICE_PATH, WIRING_PATH, mobile_emission_problems
from batches.steps.base import Step, StepContext, StepError
from batches.steps.builds import build_web, playtest_web, verify_web
from batches.steps.project_setup import package_of

# A smoke test: boot, draw, react to input, start a level. Finishing one is the vertical slice's job.
SMOKE_SECONDS = 2.0
MAIN = "mobile/lib/main.dart"
WIRING_IMPORTS = "import 'analytics_wiring.dart';\nimport 'services/ads_service.dart';\nimport 'services/analytics_service.dart';\n"
WIRING_CALL = (
    "  final analytics = AnalyticsService();\n"
    "  final ads = AdsService(analytics)..start();\n"
    "  wireAnalytics(queue: game.analytics.queue, analytics: analytics, ads: ads);\n"
)
SPEC_TEST = """import 'dart:convert';
import 'dart:io';

import 'package:flutter_test/flutter_test.dart';
import 'package:{package}/gf_runtime.dart';

void main() {{
  test('the game spec loads with its levels', () {{
    final raw = jsonDecode(File('assets/spec.json').readAsStringSync()) as Map<String, dynamic>;
    final spec = GameSpec(raw);
    expect(spec.mechanic, '{mechanic}');
    expect(spec.levels, hasLength({levels}));
  }});
}}
"""


def mechanic_path(spec) -> str:
    return f"mobile/lib/mechanics/{spec.mechanic}.dart"


def main_with_wiring(main: str) -> str:
    """The generator's main.dart with the analytics and ads of step 5 wired in."""
    if "import 'gf_runtime.dart';\n" not in main or "  runApp(" not in main:
        raise StepError("The generator's main.dart changed shape: cannot wire analytics into it.")
    main = main.replace("import 'gf_runtime.dart';\n", WIRING_IMPORTS + "import 'gf_runtime.dart';\n", 1)
    return main.replace("  runApp(", WIRING_CALL + "  runApp(", 1)


class CorePrototype(Step):
    number = 6
    slug = "core_prototype"
    title = "Core prototype"
    description = (
        "The mechanic built from the spec (web/ with Phaser, the Flame game in mobile/) and smoke-played."
    )
    queue = "builds"
    reads = ("game/spec.json", "game/analytics.json", SERVICE_PATH, WIRING_PATH)
    writes = (
        "web/index.html",
        "web/manifest.json",
        "mobile/assets/spec.json",
        "mobile/lib/gf_runtime.dart",
        MAIN,
    )

    def run(self, ctx: StepContext) -> None:
        spec = ctx.spec()
        build_web(ctx, spec, name="prototype")
        project = collab.mobile_project(spec=spec)
        for rel, data in project.items():
            if rel == "pubspec.yaml":
                continue  # ours: the generator's plus the platform services (steps 2 and 5)
            if rel == "lib/main.dart":
                ctx.write_text(MAIN, main_with_wiring(data.decode()))
            else:
                ctx.write_bytes(f"mobile/{rel}", data)
        if ctx.exists("mobile/lib/app.dart"):
            ctx.path("mobile/lib/app.dart").unlink()  # the setup's placeholder shell
        ctx.write_text(
            "mobile/test/widget_test.dart",
            SPEC_TEST.format(package=package_of(ctx), mechanic=spec.mechanic, levels=len(spec.levels)),
        )
        ctx.results["playtest"] = playtest_web(ctx, label="prototype", seconds=SMOKE_SECONDS)

    def validate(self, ctx: StepContext) -> list[str]:
        spec = ctx.spec()
        problems = self.missing_outputs(ctx) + verify_web(ctx)
        if not ctx.exists(mechanic_path(spec)):
            problems.append(f"{mechanic_path(spec)} was not written")
            return problems
        if "wireAnalytics(" not in ctx.read_text(MAIN):
            problems.append("mobile/lib/main.dart does not wire analytics")
        game_sources = [ctx.read_text("mobile/lib/gf_runtime.dart"), ctx.read_text(mechanic_path(spec))]
        problems += mobile_emission_problems(
            ctx.read_json(TAXONOMY_PATH),
            game_sources=game_sources,
            service=ctx.read_text(SERVICE_PATH),
            glue=[ctx.read_text(WIRING_PATH), ctx.read_text(ADS_PATH)],
        )
        return problems + smoke_problems(ctx.results.get("playtest"))


def smoke_problems(report: dict | None) -> list[str]:
    if report is None:
        return ["smoke test: the playtest did not run"]
    errors = report.get("errors") or []
    checks = (
        (report.get("booted"), "the game did not boot"),
        (not errors, f"{len(errors)} console error(s): {errors[0] if errors else ''}"),
        (report.get("canvas_nonblank"), "the canvas stayed blank"),
        (report.get("input_reacts"), "input does not change the game"),
        (report.get("level_started"), "no level started"),
    )
    return [f"smoke test: {message}" for ok, message in checks if not ok]


STEP = CorePrototype()
