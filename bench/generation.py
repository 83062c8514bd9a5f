"""Generator benchmark: 100 varied prompts -> validated spec -> built bundle (-> playtest).

    .venv/bin/python bench/generation.py                      # design + build the 100 games
    .venv/bin/python bench/generation.py --playtest           # ... and playtest them, 2 at a time
    .venv/bin/python bench/generation.py --playtest --jobs 1 --limit 20

1. designs each prompt with the `local` provider (offline, deterministic; seed = the prompt's
   number) through `design_from_prompt`, which validates the spec, then builds its bundle with
   `bundle_build` (assets, manifest, budget check) into a temporary folder; one warm-up game
   first, not counted (imports, parser and font caches). Prints p50/p95/max seconds per game and
   the share of the library's mechanics the 100 prompts reached;
2. with --playtest, plays every bundle in headless Chromium with `playtest_run` (the quality
   gate: the player page's sandbox and CSP, boot, non-blank canvas, input, the mechanic's bot,
   expected events, level 1 where the bot completes it), --jobs at a time (threads, each with
   its own browser), and prints seconds per game and the share that pass, with every failure;
3. compares both with the seed's target (a simple game in 30 s), prints a table and one JSON
   line (`RESULT {...}`), also written to bench/results/generation.json.

Bounded: each playtest stops itself (limits.PLAYTEST_MAX_SECONDS of play, a boot timeout), and
the playtest phase stops starting new games after --deadline seconds (those are reported as
not run). Uses no database and no network. The machine's load average is printed beside the
figures: on a busy machine they are slower than the code.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_TARGET_S = 30.0  # the seed's target for a simple game
BUILD_TARGET_P95_S = 1.0  # the issue's aim for prompt -> bundle

# 100 prompts: named mechanics in many phrasings, genres and moods, kids and hard, other
# languages, prompts that name no mechanic, very short and long ones, options (levels, ads, friends).
PROMPTS: list[str] = [
    # -- a mechanic named or described, plainly (24)
    "a neon snake that gets faster",
    "classic nokia snake in a garden",
    "smash candy bricks with a bouncing ball",
    "an arkanoid clone in outer space",
    "a spooky maze with ghosts",
    "escape the labyrinth before time runs out",
    "match three candies before the moves run out",
    "swap glowing gems in an ancient temple",
    "an endless runner on neon rooftops",
    "a dinosaur that jumps over cactus in the desert",
    "a platformer where a fox jumps between floating islands",
    "jump on enemies and collect gems in a mushroom kingdom",
    "a flappy bird clone with a tiny dragon",
    "tap to keep the paper plane flying through the pipes",
    "dodge falling asteroids in a spaceship",
    "avoid the raindrops with your umbrella",
    "push crates onto targets in a warehouse",
    "a sokoban puzzle in an ice palace",
    "memory cards with cute animals",
    "flip the cards and find the pairs",
    "merge numbers to reach 2048",
    "slide tiles and combine them, like 2048 with fruit",
    "a quick math quiz: additions and subtractions",
    "practise the times tables against the clock",
    # -- genres and moods, no mechanic named (16)
    "a relaxing puzzle for a rainy afternoon",
    "an intense arcade challenge with bright lights",
    "a cozy game set in a cottage in the woods",
    "something retro with pixel art and chiptune vibes",
    "a calm underwater adventure",
    "a creepy haunted house at midnight",
    "a cheerful game about a bakery",
    "a brain teaser for commuters",
    "an action game on a volcano",
    "a casual game to play while waiting for the bus",
    "a minimalist game with black and white shapes",
    "a sci-fi game on a space station",
    "a strategy-ish puzzle with robots",
    "a wild west showdown at high noon",
    "a game set in a candy factory",
    "a peaceful zen garden game",
    # -- for kids, easy (8)
    "an easy math game for kids",
    "a very simple game for a five year old about farm animals",
    "a gentle memory game for toddlers with colourful shapes",
    "easy counting practice with ducks",
    "a friendly snake for little children",
    "a beginner maze with big paths",
    "a simple jumping game for kids with a bunny",
    "learn to add numbers up to ten with cookies",
    # -- hard (8)
    "a brutally hard platformer",
    "an insane bullet dodging challenge",
    "the hardest sokoban puzzles you can make",
    "expert level match three with very few moves",
    "a punishing flappy game for pros",
    "a really difficult maze with many ghosts",
    "a hardcore speed run snake",
    "extreme mental arithmetic for experts",
    # -- other languages (14)
    "un laberinto oscuro con fantasmas",
    "jeu de casse-briques dans l'espace",
    "ein Spiel mit Schlangen im Dschungel",
    "un gioco di memoria con le carte",
    "um jogo de corrida infinita na praia",
    "змейка в космосе",
    "簡単な算数ゲーム",
    "一个关于太空的躲避游戏",
    "gra logiczna z przesuwaniem skrzyń",
    "een spel waarin je edelstenen combineert",
    "uzayda asteroitlerden kaçma oyunu",
    "لعبة متاهة مخيفة",
    "un juego de plataformas con un gato",
    "jeu de mémoire pour enfants avec des animaux",
    # -- naming no mechanic, nor a genre (12)
    "something fun",
    "a game about my grandmother's garden",
    "surprise me",
    "a game about taxes",
    "the feeling of a Tuesday morning",
    "make it purple",
    "a game for my cat",
    "lighthouses and storms",
    "a story about a lost sock",
    "coffee",
    "the moon is made of cheese",
    "clouds over a quiet town",
    # -- very short (6)
    "snake",
    "maze",
    "2048",
    "tetris",
    "go",
    "pong",
    # -- options: level counts, friends, no ads, swipe (6)
    "a short snake game with 3 levels",
    "a long maze adventure with 30 levels",
    "play breakout with friends, two players",
    "a memory game without ads please",
    "swipe to merge the tiles, 12 levels",
    "a multiplayer math race for the classroom",
    # -- long prompts (6)
    (
        "I would like a game for my niece who loves cats and the colour pink. She is seven, so it should "
        "be easy and forgiving, with lots of lives, cheerful sounds and a clear goal on every level. It "
        "could be set in a sunny garden with flowers and butterflies, and she likes collecting things."
    ),
    (
        "Design a fast, tense arcade game set in a cyberpunk city at night: neon signs, rain, flying cars. "
        "The player should constantly react, dodging obstacles that come faster and faster, and the "
        "difficulty should ramp up sharply over twenty levels. Dark palette with hot pink and cyan accents."
    ),
    (
        "A thoughtful puzzle game about a little robot tidying up a messy warehouse: it pushes boxes onto "
        "marked spots and has to think ahead so that nothing gets stuck in a corner. Calm music, muted "
        "industrial colours, and levels that slowly introduce trickier layouts."
    ),
    (
        "My students are learning multiplication and division. Please make a quiz game with a space "
        "theme where each correct answer powers up a rocket, wrong answers cost a life, and there is a "
        "timer that gives bonus points for quick answers. Ten levels, getting a bit harder each time."
    ),
    (
        "Picture an old pirate map: the player explores a twisting network of tunnels under an island, "
        "collecting gold coins and avoiding the ghosts of sailors who wander the corridors. It should feel "
        "spooky but not scary, with a parchment-and-ink look."
    ),
    (
        "Something like the classic phone games from the early 2000s: monochrome green screen, chunky "
        "pixels, simple beeps, a growing line that eats dots and must not bite itself, speeding up as it "
        "grows. Nostalgic and simple, but with proper levels and walls in the later ones."
    ),
]
assert len(PROMPTS) == 100, len(PROMPTS)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summary(values: list[float]) -> dict:
    if not values:
        return {"n": 0}
    return {
        "n": len(values),
        "p50": round(statistics.median(values), 3),
        "p95": round(percentile(values, 95), 3),
        "max": round(max(values), 3),
        "mean": round(statistics.fmean(values), 3),
    }


def load() -> dict:
    one, five, fifteen = os.getloadavg()
    return {
        "cpus": os.cpu_count(),
        "load_1m": round(one, 2),
        "load_5m": round(five, 2),
        "load_15m": round(fifteen, 2),
    }


def build_all(prompts: list[str], work: Path) -> list[dict]:
    from generation.bundle import bundle_build
    from generation.designer import design_from_prompt
    from generation.services import generation_warm_up

    # Warm-up, not counted: what a worker loads before its pool forks (generation_warm_up), then
    # first imports, the JS parser, fonts and palettes.
    generation_warm_up()
    warm = design_from_prompt(prompt="a warm-up game", seed=12345)
    bundle_build(spec=warm.spec, out_dir=work / "warm-up")
    shutil.rmtree(work / "warm-up")

    games = []
    for index, prompt in enumerate(prompts):
        started = time.perf_counter()
        result = design_from_prompt(prompt=prompt, seed=index)
        designed = time.perf_counter()
        bundle = bundle_build(
            spec=result.spec, out_dir=work / f"{index:03d}", logic_js=result.logic_js or None
        )
        finished = time.perf_counter()
        games.append(
            {
                "index": index,
                "prompt": prompt,
                "mechanic": result.spec.mechanic,
                "title": result.spec.title,
                "levels": len(result.spec.levels),
                "no_mechanic_word": result.spec.provenance.reasons[0].startswith("no word of the prompt"),
                "fallback": result.fallback_reason,
                "game_size": bundle.manifest["game_size"],
                "design_s": designed - started,
                "build_s": finished - designed,
                "total_s": finished - started,
                "bundle": str(bundle.path),
            }
        )
    return games


def cast_fit() -> dict:
    """How often the cast depicts the prompt's main subject (bench/cast_prompts.py), tuning vs held out."""
    from cast_prompts import HELD_OUT, TUNING  # beside this file

    from generation.designer import design_from_prompt

    out: dict = {}
    for name, cases in (("tuning", TUNING), ("held_out", HELD_OUT)):
        hits, misses = 0, []
        for prompt, wanted, role in cases:
            spec = design_from_prompt(prompt=prompt, seed=0).spec
            # In the role it plays in the prompt, or anywhere when the mechanic has no such role
            # (a penguin is a tile of match-3: depicted, though not a hero).
            has_role = role is not None and any(m.role == role for m in spec.cast)
            shown = [m.asset for m in spec.cast if not has_role or m.role == role]
            if any(asset in shown for asset in wanted):
                hits += 1
            else:
                misses.append({"prompt": prompt, "wanted": list(wanted), "role": role,
                               "cast": [f"{m.role}:{m.asset}" for m in spec.cast]})  # fmt: skip
        out[name] = {"prompts": len(cases), "depicted": hits, "share": round(hits / len(cases), 3),
                     "misses": misses}  # fmt: skip
    return out


def mechanic_fit() -> dict:
    """How often the designer picks a mechanic that plays what the prompt asks (bench/fit_prompts.py),
    tuning vs held out."""
    from fit_prompts import HELD_OUT, TUNING  # beside this file

    from generation.designer import design_from_prompt

    out: dict = {}
    for name, cases in (("tuning", TUNING), ("held_out", HELD_OUT)):
        misses = []
        for prompt, fits in cases:
            chosen = design_from_prompt(prompt=prompt, seed=0).spec.mechanic
            if chosen not in fits:
                misses.append({"prompt": prompt, "chosen": chosen, "fits": sorted(fits)})
        hits = len(cases) - len(misses)
        out[name] = {
            "prompts": len(cases),
            "fit": hits,
            "share": round(hits / len(cases), 3),
            "misses": misses,
        }
    return out


def playtest_all(games: list[dict], *, jobs: int, deadline_s: float) -> None:
    """Playtest each game's bundle, `jobs` at a time; fills game["playtest"] (None when not run)."""
    from generation.playtest import playtest_run

    stop_at = time.monotonic() + deadline_s

    def one(game: dict) -> dict | None:
        if time.monotonic() > stop_at:
            return None
        started = time.perf_counter()
        report = playtest_run(bundle_dir=game["bundle"])
        return {
            "passed": report.passed,
            "seconds": time.perf_counter() - started,
            "duration_s": report.duration_s,
            "failures": report.failures,
            "console_errors": report.console_errors[:5],
            "level_completed": report.level_completed,
            "final_score": report.final_score,
            "fps": report.fps,
            "bot": report.bot,
            "input_reacts": report.input_reacts,
            "events_seen": report.events_seen,
        }

    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="bench-playtest") as pool:
        futures = {pool.submit(one, game): game for game in games}
        for done, future in enumerate(concurrent.futures.as_completed(futures), start=1):
            game = futures[future]
            try:
                game["playtest"] = future.result()
            except Exception as exc:  # a crash of the harness is a failure of that game, not of the bench
                game["playtest"] = {"passed": False, "seconds": 0.0, "failures": [f"harness: {exc!r}"[:300]]}
            verdict = game["playtest"]
            mark = "not run" if verdict is None else ("pass" if verdict["passed"] else "FAIL")
            print(
                f"  playtest {done:3d}/{len(games)} #{game['index']:03d} {game['mechanic']:<10} {mark}",
                flush=True,
            )


def report(games: list[dict], *, registry: list[str], playtested: bool, started_load: dict, args) -> dict:
    totals = [g["total_s"] for g in games]
    mechanics = Counter(g["mechanic"] for g in games)
    result: dict = {
        "bench": "generation",
        "games": len(games),
        "provider": "local",
        "build": {
            "per_game_s": summary(totals),
            "design_s": summary([g["design_s"] for g in games]),
            "bundle_s": summary([g["build_s"] for g in games]),
            "aim_p95_s": BUILD_TARGET_P95_S,
            "meets_aim": percentile(totals, 95) < BUILD_TARGET_P95_S,
            "game_size_bytes": summary([g["game_size"] for g in games]),
        },
        "mechanics": {
            "distinct": len(mechanics),
            "of": len(registry),
            "share": round(len(mechanics) / len(registry), 3),
            "counts": dict(sorted(mechanics.items())),
            "never_chosen": sorted(set(registry) - set(mechanics)),
            "prompts_naming_no_mechanic": sum(g["no_mechanic_word"] for g in games),
        },
        "cast": cast_fit(),
        "fit": mechanic_fit(),
        "seed_target_s": SEED_TARGET_S,
        "load_before": started_load,
        "load_after": load(),
    }
    if playtested:
        run = [g for g in games if g.get("playtest")]
        passed = [g for g in run if g["playtest"]["passed"]]
        seconds = [g["playtest"]["seconds"] for g in run]
        end_to_end = [g["total_s"] + g["playtest"]["seconds"] for g in run]
        result["playtest"] = {
            "jobs": args.jobs,
            "run": len(run),
            "not_run": len(games) - len(run),
            "passed": len(passed),
            "share_passed": round(len(passed) / len(games), 3) if games else 0.0,
            "per_game_s": summary(seconds),
            "prompt_to_verdict_s": summary(end_to_end),
            "level_1_completed": sum(1 for g in run if g["playtest"].get("level_completed")),
            "failures": [
                {
                    "index": g["index"],
                    "prompt": g["prompt"][:80],
                    "mechanic": g["mechanic"],
                    "failures": g["playtest"]["failures"],
                    "console_errors": g["playtest"].get("console_errors", []),
                    "bot": g["playtest"].get("bot", {}),
                    "fps": g["playtest"].get("fps"),
                    "events_seen": g["playtest"].get("events_seen", {}),
                }
                for g in run
                if not g["playtest"]["passed"]
            ],
        }
    return result


def print_table(result: dict) -> None:
    build = result["build"]
    mech = result["mechanics"]
    rows = [
        ("games (local provider)", f"{result['games']}"),
        ("prompt -> spec -> bundle, p50", f"{build['per_game_s']['p50']:.3f} s"),
        ("prompt -> spec -> bundle, p95", f"{build['per_game_s']['p95']:.3f} s  (aim < {BUILD_TARGET_P95_S:g} s: "
                                          f"{'met' if build['meets_aim'] else 'NOT met'})"),
        ("prompt -> spec -> bundle, max", f"{build['per_game_s']['max']:.3f} s"),
        ("  of which design (p50 / p95)", f"{build['design_s']['p50']:.3f} / {build['design_s']['p95']:.3f} s"),
        ("  of which bundle (p50 / p95)", f"{build['bundle_s']['p50']:.3f} / {build['bundle_s']['p95']:.3f} s"),
        ("game files (p50 / max)", f"{build['game_size_bytes']['p50'] / 1024:.0f} / "
                                   f"{build['game_size_bytes']['max'] / 1024:.0f} KB"),
        ("distinct mechanics", f"{mech['distinct']} of {mech['of']} ({mech['share']:.0%})"),
        *((f"mechanic fits the prompt ({name.replace('_', ' ')})",
           f"{c['fit']} of {c['prompts']} ({c['share']:.0%})") for name, c in result["fit"].items()),
        *((f"cast depicts the main subject ({name.replace('_', ' ')})",
           f"{c['depicted']} of {c['prompts']} ({c['share']:.0%})") for name, c in result["cast"].items()),
        ("prompts naming no mechanic", f"{mech['prompts_naming_no_mechanic']}"),
        ("vs the seed's target", f"{SEED_TARGET_S:g} s per simple game: p95 is "
                                 f"{SEED_TARGET_S / max(build['per_game_s']['p95'], 1e-6):.0f}x under"),
    ]  # fmt: skip
    if "playtest" in result:
        pt = result["playtest"]
        rows += [
            (f"playtest ({pt['jobs']} at a time), p50", f"{pt['per_game_s'].get('p50', 0):.1f} s"),
            ("playtest, p95", f"{pt['per_game_s'].get('p95', 0):.1f} s"),
            ("passed", f"{pt['passed']} of {result['games']} ({pt['share_passed']:.0%}); not run: {pt['not_run']}"),
            ("level 1 completed by the bot", f"{pt['level_1_completed']}"),
            ("prompt -> verdict, p95", f"{pt['prompt_to_verdict_s'].get('p95', 0):.1f} s  (seed's target "
                                       f"{SEED_TARGET_S:g} s: {'met' if pt['prompt_to_verdict_s'].get('p95', 1e9) < SEED_TARGET_S else 'NOT met'})"),
        ]  # fmt: skip
    before, after = result["load_before"], result["load_after"]
    rows.append(
        (
            "machine load (1 min) before / after",
            f"{before['load_1m']} / {after['load_1m']} on {before['cpus']} CPUs",
        )
    )
    width = max(len(name) for name, _ in rows)
    print()
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    print()
    print("mechanics: " + ", ".join(f"{k} {v}" for k, v in mech["counts"].items()))
    if mech["never_chosen"]:
        print("never chosen: " + ", ".join(mech["never_chosen"]))
    for name, fit in result["fit"].items():
        for miss in fit["misses"]:
            print(
                f"FIT MISS ({name}) {miss['prompt']!r}: chose {miss['chosen']}, fits {'/'.join(miss['fits'])}"
            )
    for name, fit in result["cast"].items():
        for miss in fit["misses"]:
            print(
                f"CAST MISS ({name}) {miss['prompt']!r}: wanted {'/'.join(miss['wanted'])}, cast {', '.join(miss['cast'])}"
            )
    for failure in result.get("playtest", {}).get("failures", []):
        print(f"FAILED #{failure['index']:03d} {failure['mechanic']}: {'; '.join(failure['failures'])}  "
              f"<- {failure['prompt']!r}")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--playtest", action="store_true", help="also playtest every bundle in Chromium")
    parser.add_argument("--jobs", type=int, default=2, help="playtests at a time (default 2)")
    parser.add_argument("--limit", type=int, default=len(PROMPTS), help="use the first N prompts")
    parser.add_argument(
        "--deadline", type=float, default=1800, help="seconds after which no new playtest starts"
    )
    parser.add_argument("--keep", action="store_true", help="keep the bundles (prints where)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "generation.json"))
    args = parser.parse_args()
    if not 1 <= args.jobs <= 8:
        parser.error("--jobs must be between 1 and 8")

    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gamefactory.settings")
    import django

    django.setup()
    from generation.mechanics import mechanic_registry

    started_load = load()
    prompts = PROMPTS[: max(1, args.limit)]
    work = Path(tempfile.mkdtemp(prefix="gf-bench-generation-"))
    try:
        print(f"designing and building {len(prompts)} games (load {started_load['load_1m']} on "
              f"{started_load['cpus']} CPUs) in {work}", flush=True)  # fmt: skip
        games = build_all(prompts, work)
        if args.playtest:
            print(f"playtesting {len(games)} bundles, {args.jobs} at a time", flush=True)
            playtest_all(games, jobs=args.jobs, deadline_s=args.deadline)
        result = report(
            games,
            registry=list(mechanic_registry()),
            playtested=args.playtest,
            started_load=started_load,
            args=args,
        )
    finally:
        if args.keep:
            print(f"bundles kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print_table(result)
    line = json.dumps(result, sort_keys=True, ensure_ascii=False)
    print("RESULT " + line)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    if args.playtest and result["playtest"]["passed"] < len(games):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
