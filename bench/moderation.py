"""Moderation benchmark: the scanner's throughput and p95 per text, what scanning adds to a studio
request, and precision/recall on the labelled set.

    .venv/bin/python bench/moderation.py                 # defaults below; --help for the knobs

1. Scanner, in this process (no database): every text of the labelled set
   (tests/moderation/data/labelled.json: 13 languages) and a studio-prompt mix, scanned
   --rounds times as a prompt: texts/s and p50/p95/p99 per text; the same for one long
   description (2,000 characters). Then `content_scanner` (scan + the recorded decision, one
   INSERT) against PostgreSQL: what a studio request pays.
2. Studio request: POST /api/v1/ai/generate-game through Django's test client against
   PostgreSQL (its own database, made and migrated if missing), the Celery hand-off stubbed
   (generation is not what is measured), --requests requests with the scanner and as many with
   `allow_everything` (the peer), interleaved: p50/p95 of each and their difference, and the time
   the scan takes inside each request (measured there: the difference of two distributions is
   noisy when other processes share the cores).
3. Precision and recall of "flag" (hold or refuse) on the labelled set, for its tune and holdout
   parts, with the false-positive rate on borderline texts and the misses listed.

Results are also written to bench/results/moderation.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from benchlib import ensure_database

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/gf_bench_moderation"


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def summary(name: str, micros: list[float]) -> dict:
    total_s = sum(micros) / 1e6
    out = {
        "name": name,
        "n": len(micros),
        "per_second": round(len(micros) / total_s) if total_s else 0,
        "p50_ms": round(pct(micros, 50) / 1000, 3),
        "p95_ms": round(pct(micros, 95) / 1000, 3),
        "p99_ms": round(pct(micros, 99) / 1000, 3),
    }
    print(
        f"  {name:<38} {out['n']:>6} texts  {out['per_second']:>8}/s  p50 {out['p50_ms']:>7.3f} ms"
        f"  p95 {out['p95_ms']:>7.3f} ms  p99 {out['p99_ms']:>7.3f} ms"
    )
    return out


def bench_scanner(rounds: int) -> list[dict]:
    from moderation.scanner import scan_text
    from tests.moderation.labelled import labelled_items

    texts = [item.text for item in labelled_items()]
    prompts = [
        "a neon snake that gets faster in the city",
        "make a platformer with a cat who collects fish, 12 levels, hard",
        "un juego de memoria con cartas de animales del océano",
        "霓虹城市里的贪吃蛇",
        "a cozy farming game where you grow carrots and sell them at the market before winter",
    ]
    long_text = ("Steer the ship through the asteroid field, collect crystals and upgrade the engine. " * 25)[
        :2000
    ]
    scan_text(kind="prompt", text="warm up")  # loads the lists and the classifier once
    results = []
    for name, batch, kind in (
        ("labelled set (13 languages), as prompts", texts, "prompt"),
        ("studio prompts", prompts, "prompt"),
        ("a 2,000-character description", [long_text], "description"),
    ):
        micros = []
        for _ in range(rounds):
            for text in batch:
                started = time.perf_counter_ns()
                scan_text(kind=kind, text=text)
                micros.append((time.perf_counter_ns() - started) / 1000)
        results.append(summary(name, micros))
    return results


def bench_recorded(n: int) -> dict:
    from moderation.models import ContentScan
    from moderation.scanner import content_scanner

    micros = []
    for i in range(n):
        started = time.perf_counter_ns()
        content_scanner(kind="prompt", text=f"a neon snake number {i} that gets faster", field="prompt")
        micros.append((time.perf_counter_ns() - started) / 1000)
    ContentScan.objects.filter(field="prompt", text__startswith="a neon snake number").delete()
    return summary("content_scanner (scan + recorded, PG)", micros)


def bench_studio(requests: int) -> dict:
    from django.test import Client, override_settings

    from accounts.models import User
    from gamefactory.api import throttles
    from games import tasks
    from games.models import GenerationRequest

    throttles.AIGenerationThrottle.rate = "1000000/minute"
    throttles.ApiCallsUserThrottle.rate = "1000000/minute"
    tasks.game_generate_task.delay = lambda *args, **kwargs: None  # generation is not measured
    user, _ = User.objects.get_or_create(username="bench_moderation", defaults={"email": "bench@example.com"})
    client = Client(SERVER_NAME="127.0.0.1")  # a host ALLOWED_HOSTS accepts with DEBUG off
    client.force_login(user)
    prompts = ["a neon snake that gets faster", "a maze with ghosts and a key", "salta sulle piattaforme"]
    timings: dict[str, list[float]] = {"with scanning": [], "without (allow_everything)": []}
    scanners = {
        "with scanning": "__main__.timed_scanner",
        "without (allow_everything)": "gamefactory.content.allow_everything",
    }
    SCAN_TIMES.clear()
    for i in range(requests * 2 + 20):
        name = list(scanners)[i % 2]
        with override_settings(CONTENT_SCANNER=scanners[name]):
            started = time.perf_counter_ns()
            response = client.post(
                "/api/v1/ai/generate-game",
                {"prompt": prompts[i % 3], "seed": i},
                content_type="application/json",
            )
            elapsed = (time.perf_counter_ns() - started) / 1000
        assert response.status_code == 202, response.content
        if i >= 20:  # the first ones warm caches and connections
            timings[name].append(elapsed)
    GenerationRequest.objects.filter(user=user).delete()
    out = {name: summary(f"studio request {name}", values) for name, values in timings.items()}
    added_p50 = out["with scanning"]["p50_ms"] - out["without (allow_everything)"]["p50_ms"]
    added_p95 = out["with scanning"]["p95_ms"] - out["without (allow_everything)"]["p95_ms"]
    print(
        f"  difference of the two: {added_p50:.3f} ms at p50, {added_p95:.3f} ms at p95 (noisy on a busy machine)"
    )
    inside = summary("the scan inside those requests", SCAN_TIMES[-requests:])
    print(
        f"  measured inside the request, scanning (scan + recorded decision) takes {inside['p95_ms']:.3f} ms at p95"
    )
    return {
        **out,
        "difference_p50_ms": round(added_p50, 3),
        "difference_p95_ms": round(added_p95, 3),
        "scan_in_request": inside,
    }


SCAN_TIMES: list[float] = []


def timed_scanner(**kwargs):
    """The real scanner, timed from inside the studio request (what scanning adds to it)."""
    from moderation.scanner import content_scanner

    started = time.perf_counter_ns()
    try:
        return content_scanner(**kwargs)
    finally:
        SCAN_TIMES.append((time.perf_counter_ns() - started) / 1000)


def bench_quality() -> dict:
    from moderation.scanner import scan_text
    from tests.moderation.labelled import labelled_items

    items = labelled_items()
    out = {}
    for split in ("tune", "holdout", "all"):
        part = [i for i in items if split == "all" or i.split == split]
        tp = fp = fn = tn = 0
        borderline = borderline_fp = 0
        misses = []
        for item in part:
            flagged = scan_text(kind="prompt", text=item.text).action != "allow"
            bad = item.expected == "flag"
            tp += flagged and bad
            fp += flagged and not bad
            fn += (not flagged) and bad
            tn += (not flagged) and not bad
            if item.category == "borderline" and not bad:
                borderline += 1
                borderline_fp += flagged
            if flagged != bad:
                misses.append(f"{'false positive' if flagged else 'missed'} [{item.language}] {item.text}")
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        out[split] = {
            "texts": len(part),
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "tn": tn,
            "borderline_false_positive_rate": round(borderline_fp / borderline, 3) if borderline else 0.0,
            "misses": misses,
        }
        print(
            f"  {split:<8} {len(part):>4} texts  precision {precision:.3f}  recall {recall:.3f}"
            f"  (tp {tp}, fp {fp}, fn {fn}, tn {tn}; borderline flagged {borderline_fp}/{borderline})"
        )
        if split != "all":
            for miss in misses:
                print(f"           {miss}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--rounds", type=int, default=20, help="passes over the texts for the scanner figures"
    )
    parser.add_argument("--requests", type=int, default=300, help="studio requests with and without scanning")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    args = parser.parse_args()

    ensure_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["REDIS_URL"] = ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gamefactory.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    print(f"moderation bench on {os.cpu_count()} cores (load average {os.getloadavg()[0]:.2f})")
    print("1. scanner (offline engines: word lists + classifier)")
    scanner = bench_scanner(args.rounds)
    recorded = bench_recorded(max(200, args.rounds * 10))
    print("2. studio request (POST /api/v1/ai/generate-game, PostgreSQL, Celery hand-off stubbed)")
    studio = bench_studio(args.requests)
    print("3. precision and recall of flagging, labelled set (kind prompt)")
    quality = bench_quality()
    results = {"scanner": scanner, "recorded": recorded, "studio": studio, "quality": quality}
    path = ROOT / "bench" / "results" / "moderation.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
