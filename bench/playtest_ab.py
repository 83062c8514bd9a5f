#!/usr/bin/env python
"""Bench: the playtest engine of a base revision against this checkout's, interleaved on the same bundles.

    .venv/bin/python bench/playtest_ab.py --base 75e9fb9                 # 4 mechanics, 3 rounds
    .venv/bin/python bench/playtest_ab.py --base 75e9fb9 --mechanics snake,maze --rounds 5 --seconds 2

A whole factory batch on a shared machine is at the mercy of the load; this isolates the engine.
It builds one bundle per mechanic, then in each round plays every bundle once with the base
revision's generation/playtest.py (loaded from `git show BASE:generation/playtest.py`) and once
with this checkout's (through `playtest.playtest_run`, the verdict cache not involved), alternating
which goes first, and prints per mechanic the median seconds and CPU seconds (this process and its
Chromium and Playwright driver) of each, the verdicts (they must
agree: a faster engine that passes what the old one failed is a weaker gate), this checkout's phase
medians, and the load average at start and end. Runs one playtest at a time, in this process.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchlib import tree_cpu

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gamefactory.settings")


def load_base(rev: str):
    """The base revision's playtest module, sharing this checkout's Bot (the bots subclass it)."""
    source = subprocess.run(
        ["git", "show", f"{rev}:generation/playtest.py"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    path = Path(tempfile.mkdtemp(prefix="gf-ab-")) / "playtest_base.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("playtest_base", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["playtest_base"] = module
    spec.loader.exec_module(module)
    from generation import playtest

    module.Bot = playtest.Bot
    return module


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base", required=True, help="the git revision to compare with")
    parser.add_argument("--mechanics", default="snake,maze,breakout,memory")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=None, help="cap the bots' play (default: theirs)")
    args = parser.parse_args()

    import django

    django.setup()
    from generation import playtest
    from generation.bundle import bundle_build
    from generation.designer import spec_from_prompt

    base = load_base(args.base)
    work = Path(tempfile.mkdtemp(prefix="gf-ab-bundles-"))
    bundles = {}
    for slug in [m.strip() for m in args.mechanics.split(",") if m.strip()]:
        spec = spec_from_prompt(prompt=f"a {slug} game", mechanic=slug)
        bundles[slug] = bundle_build(spec=spec, out_dir=work / slug, include_phaser=True).path
    start_load = os.getloadavg()
    times: dict[tuple[str, str], list[float]] = {}
    cpus: dict[tuple[str, str], list[float]] = {}
    me = [os.getpid()]
    verdicts: dict[tuple[str, str], list[bool]] = {}
    phases: dict[str, list[dict]] = {}
    engines = {"base": base.playtest_run, "this": playtest.playtest_run}
    for n in range(args.rounds):
        for slug, bundle in bundles.items():
            order = ["base", "this"] if n % 2 == 0 else ["this", "base"]
            for name in order:
                started, cpu_started = time.monotonic(), tree_cpu(me)
                report = engines[name](bundle_dir=bundle, seconds=args.seconds)
                elapsed = time.monotonic() - started
                # A closed page's renderer is counted once it exits: let it.
                time.sleep(0.3)
                cpu = tree_cpu(me) - cpu_started
                times.setdefault((slug, name), []).append(elapsed)
                cpus.setdefault((slug, name), []).append(cpu)
                verdicts.setdefault((slug, name), []).append(report.passed)
                if name == "this":
                    phases.setdefault(slug, []).append(report.timings)
                print(
                    f"  round {n + 1} {slug:<10} {name:<5} {elapsed:6.2f} s {cpu:6.2f} CPU s  passed={report.passed}",
                    flush=True,
                )
    playtest.browser_close()
    end_load = os.getloadavg()
    print()
    print(
        f"base {args.base} against this checkout; {args.rounds} rounds; bot cap {args.seconds or 'default'}"
    )
    print(
        f"load average: start {' '.join(f'{v:.2f}' for v in start_load)}  end {' '.join(f'{v:.2f}' for v in end_load)}"
    )
    print()
    names = ("browser", "boot", "checks", "play", "settle")
    print(
        f"{'mechanic':<11}{'base s':>8}{'this s':>8}{'saved':>7}{'base CPU':>10}{'this CPU':>10}{'saved':>7}"
        "  verdicts (base / this)   " + "".join(f"{p:>8}" for p in names)
    )
    total_base = total_this = cpu_base = cpu_this = 0.0
    for slug in bundles:
        b, t = statistics.median(times[(slug, "base")]), statistics.median(times[(slug, "this")])
        cb, ct = statistics.median(cpus[(slug, "base")]), statistics.median(cpus[(slug, "this")])
        total_base, total_this = total_base + b, total_this + t
        cpu_base, cpu_this = cpu_base + cb, cpu_this + ct
        med = {p: statistics.median([ph.get(p, 0.0) for ph in phases[slug]]) for p in names}
        print(
            f"{slug:<11}{b:8.2f}{t:8.2f}{100 * (b - t) / b:6.0f}%{cb:10.2f}{ct:10.2f}{100 * (cb - ct) / cb:6.0f}%  "
            f"{''.join('P' if v else 'F' for v in verdicts[(slug, 'base')]):>8} / "
            f"{''.join('P' if v else 'F' for v in verdicts[(slug, 'this')]):<12}"
            + "".join(f"{med[p]:8.2f}" for p in names)
        )
    print(
        f"{'all':<11}{total_base:8.2f}{total_this:8.2f}{100 * (total_base - total_this) / total_base:6.0f}%"
        f"{cpu_base:10.2f}{cpu_this:10.2f}{100 * (cpu_base - cpu_this) / cpu_base:6.0f}%"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
