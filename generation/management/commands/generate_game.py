"""`python manage.py generate_game "PROMPT" [--provider] [--seed N] [--out DIR] [--playtest]`.

Designs a game from the prompt (among the mechanics staff left active), builds its bundle
(with Phaser copied in, so the folder opens from disk unless --phaser-src names the platform's
shared copy; with the LLM's checked logic.js when it wrote one), prints where it is and what
it is, and with --playtest plays it in headless Chromium and prints the verdict.
"""

import json
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from gamefactory.errors import ApplicationError
from generation.designer import DEFAULT_PROVIDER, design_from_prompt
from generation.selectors import mechanic_available_slugs
from generation.services import game_build


class Command(BaseCommand):
    help = "Generate a playable game bundle from a prompt (and optionally playtest it)."

    def add_arguments(self, parser):
        parser.add_argument("prompt", help="what the game should be, in plain words")
        parser.add_argument(
            "--provider", default=DEFAULT_PROVIDER, help="local (default), openai or anthropic"
        )
        parser.add_argument("--seed", type=int, default=0, help="same prompt + seed = same game (local)")
        parser.add_argument("--mechanic", default=None, help="force a mechanic (snake, maze, ...)")
        parser.add_argument("--out", default=None, help="bundle folder (default: var/games/<slug>-<seed>)")
        parser.add_argument(
            "--phaser-src", default=None, help="load Phaser from this URL instead of copying it"
        )
        parser.add_argument(
            "--playtest", action="store_true", help="play it in headless Chromium and judge it"
        )
        parser.add_argument("--json", action="store_true", help="print one JSON document instead of text")

    def handle(
        self, *args, prompt, provider, seed, mechanic, out, phaser_src, playtest, json: bool, **options
    ):
        as_json = json
        started = time.monotonic()
        try:
            mechanics = mechanic_available_slugs()
        except DatabaseError as exc:
            # A checkout whose database is not migrated yet still makes games, from every mechanic in code.
            self.stderr.write(
                self.style.WARNING(
                    f"The mechanics table cannot be read ({exc}): offering every mechanic in code. "
                    "Run `python manage.py migrate` to honour the mechanics switched off in the admin."
                )
            )
            mechanics = None
        try:
            result = design_from_prompt(
                prompt=prompt, seed=seed, provider=provider, mechanic=mechanic, mechanics=mechanics
            )
            spec = result.spec
            out_dir = Path(out) if out else Path(settings.VAR_DIR) / "games" / f"{spec.slug}-{seed}"
            if phaser_src:
                bundle = game_build(design=result, out_dir=out_dir, phaser_src=phaser_src)
            else:
                bundle = game_build(design=result, out_dir=out_dir, include_phaser=True)
        except ApplicationError as exc:
            detail = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.fields.items())
            raise CommandError(f"{exc.message}{' (' + detail + ')' if detail else ''}") from exc
        build_s = time.monotonic() - started
        summary = {
            "bundle": str(bundle.path.resolve()),
            "index": str(bundle.index.resolve()),
            "title": spec.title,
            "slug": spec.slug,
            "mechanic": spec.mechanic,
            "genre": spec.genre,
            "theme": f"{spec.theme.setting}, {spec.theme.mood}, {spec.theme.art_style}",
            "levels": len(spec.levels),
            "difficulty": f"{spec.difficulty.start} -> {spec.difficulty.end} ({spec.difficulty.shape})",
            "params": spec.params.model_dump(mode="json"),
            "provider": result.provider,
            "reasons": spec.provenance.reasons,
            "fallback": result.fallback_reason,
            "logic_hooks": bundle.manifest.get("logic", {}).get("hooks", []),
            "game_size_bytes": bundle.manifest["game_size"],
            "build_seconds": round(build_s, 3),
        }
        report = None
        if playtest:
            from generation.playtest import playtest_run

            report = playtest_run(
                bundle_dir=bundle.path, out_dir=bundle.path.parent / f"{bundle.path.name}-playtest"
            )
            summary["playtest"] = report.as_dict()
        if as_json:
            self.stdout.write(__import__("json").dumps(summary, indent=1, ensure_ascii=False))
        else:
            self._print(summary, report)
        if report is not None and not report.passed:
            raise CommandError(f"playtest failed: {'; '.join(report.failures)}")

    def _print(self, summary, report):
        w = self.stdout.write
        w(self.style.SUCCESS(f"Bundle: {summary['bundle']}"))
        w(f"Open:   {summary['index']}")
        w(
            f"Game:   {summary['title']} ({summary['mechanic']}, {summary['genre']}), {summary['levels']} levels"
        )
        w(f"Theme:  {summary['theme']}")
        w(f"Curve:  {summary['difficulty']}")
        w(f"Params: {json.dumps(summary['params'])}")
        w(
            f"By:     {summary['provider']}"
            + (f" (fallback: {summary['fallback']})" if summary["fallback"] else "")
        )
        for reason in summary["reasons"]:
            w(f"  - {reason}")
        if summary["logic_hooks"]:
            w(f"Logic:  logic.js with {', '.join(summary['logic_hooks'])}")
        w(f"Size:   {summary['game_size_bytes']} bytes of game files; built in {summary['build_seconds']} s")
        if report is None:
            return
        verdict = self.style.SUCCESS("PASSED") if report.passed else self.style.ERROR("FAILED")
        w(f"Playtest: {verdict} in {report.duration_s} s, {report.fps} fps, score {report.final_score}, "
          f"level 1 {'completed' if report.level_completed else 'not completed'}")  # fmt: skip
        w(f"  events: {', '.join(f'{k}x{v}' for k, v in report.events_seen.items())}")
        for failure in report.failures:
            w(self.style.ERROR(f"  ! {failure}"))
        w(f"  report: {summary['bundle']}-playtest/playtest.json")
