"""Studio quality-gate benchmark: prompt -> playtested verdict, as a creator lives it.

    .venv/bin/python bench/studio_gate.py                 # 12 prompts
    .venv/bin/python bench/studio_gate.py --limit 4

For each prompt: `generation_request_create` (the checks, the routing, the quota reservation),
then `generation_run` as the Celery task runs it: design, build, store the draft, then the
headless playtest of the stored bundle (retries with another seed up to STUDIO_PLAYTEST_ATTEMPTS).
Timed from the request to the verdict; also to the moment the game is shown ("checking").
Prints p50/p95/max, the pass rate and attempts, against the seed's target (30 s), and one JSON
line (`RESULT {...}`), also written to bench/results/studio_gate.json.

Needs a migrated database: DATABASE_URL (PostgreSQL, as in production) or the SQLite default.
Bundles go to a temporary media folder. Runs one generation at a time, like one worker; the
machine's load average is printed beside the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_TARGET_S = 30.0

# Studio prompts as creators type them (kept out of any tuning of the designer).
PROMPTS = [
    "a neon snake that gets faster",
    "match three candies before time runs out",
    "a spooky maze with ghosts",
    "a platformer in a jungle with coins",
    "flappy bird but with a bat in a cave",
    "memory cards with animals for kids",
    "a math quiz for 8 year olds",
    "push crates onto targets in a warehouse",
    "dodge falling rocks in space",
    "an endless runner on a rooftop at night",
    "merge numbers to reach 2048 with cats",
    "break bricks with a ball in an underwater world",
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--limit", type=int, default=len(PROMPTS))
    args = parser.parse_args()

    sys.path[:0] = [str(ROOT)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gamefactory.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from accounts.models import User
    from games import services, tasks
    from games.models import GenerationRequest

    call_command("migrate", verbosity=0)
    media = Path(tempfile.mkdtemp(prefix="bench-studio-"))
    settings.MEDIA_ROOT = media / "media"
    original_var = Path(settings.VAR_DIR)
    settings.VAR_DIR = media / "var"
    settings.VAR_DIR.mkdir(parents=True)
    for table in original_var.glob("cast-*.json"):  # the cast's tables, as `make run` caches them
        shutil.copy(table, settings.VAR_DIR / table.name)
    tasks.game_generate_task.delay = lambda *a, **k: None  # the bench runs the task itself, timed
    # What a worker has before its first request (gamefactory/celery.py): not timed.
    from generation.services import generation_warm_up

    print(f"warm-up (not timed): {generation_warm_up()}")
    user, _ = User.objects.get_or_create(
        username="bench-studio", defaults={"email": "bench-studio@example.com"}
    )

    rows = []
    for n, prompt in enumerate(PROMPTS[: args.limit]):
        started = time.perf_counter()
        request = services.generation_request_create(user=user, prompt=prompt, seed=1000 + n)
        shown: list[float] = []
        original = services.studio._progress

        def spy(req, *, progress, stage, _shown=shown, _orig=original, _started=started, **fields):
            if stage == "checking" and not _shown:
                _shown.append(time.perf_counter() - _started)
            return _orig(req, progress=progress, stage=stage, **fields)

        services.studio._progress = spy
        try:
            services.generation_run(request_id=request.pk)
        finally:
            services.studio._progress = original
        total = time.perf_counter() - started
        request = GenerationRequest.objects.get(pk=request.pk)
        rows.append(
            {"prompt": prompt, "seconds": round(total, 2), "shown_s": round(shown[0], 2) if shown else None,
             "verdict": request.playtest_status or request.status, "attempts": request.playtest_attempts,
             "reason": request.playtest_reason or request.error_message}
        )  # fmt: skip
        print(
            f"{total:6.1f} s  shown at {rows[-1]['shown_s']} s  {rows[-1]['verdict']:7} x{request.playtest_attempts}  {prompt}"
        )

    times = [r["seconds"] for r in rows]
    shown_times = [r["shown_s"] for r in rows if r["shown_s"] is not None]
    passed = [r for r in rows if r["verdict"] == "passed"]
    result = {
        "games": len(rows),
        "verdict_p50_s": round(percentile(times, 0.5), 2),
        "verdict_p95_s": round(percentile(times, 0.95), 2),
        "verdict_max_s": round(max(times), 2) if times else 0.0,
        "shown_p95_s": round(percentile(shown_times, 0.95), 2),
        "pass_rate": round(len(passed) / len(rows), 3) if rows else 0.0,
        "first_try_rate": round(sum(1 for r in passed if r["attempts"] == 1) / len(rows), 3) if rows else 0.0,
        "mean_attempts": round(statistics.mean(r["attempts"] for r in rows), 2) if rows else 0.0,
        "seed_target_s": SEED_TARGET_S,
        "meets_target": percentile(times, 0.95) <= SEED_TARGET_S,
        "failures": [r for r in rows if r["verdict"] != "passed"],
        "loadavg": [round(x, 2) for x in os.getloadavg()],
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
    }
    print(
        f"prompt -> playtested verdict: p50 {result['verdict_p50_s']} s, p95 {result['verdict_p95_s']} s, "
        f"max {result['verdict_max_s']} s (target {SEED_TARGET_S:.0f} s: {'met' if result['meets_target'] else 'MISSED'})"
    )
    print(
        f"game shown (checking it plays…) p95 {result['shown_p95_s']} s; passed {len(passed)}/{len(rows)}, "
        f"first try {result['first_try_rate']:.0%}; load average {result['loadavg']}"
    )
    print("RESULT " + json.dumps(result, sort_keys=True))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "studio_gate.json").write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
