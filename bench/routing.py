"""Routing benchmark: the share of the developers' prompt set the cost policy keeps on `local`, and the
LLM tokens that saves against sending every prompt to the LLM.

    .venv/bin/python bench/routing.py
    .venv/bin/python bench/routing.py --confidence 0.5 --small-change-words 12

1. takes the 100 prompts of bench/generation.py (the developers' set: every mechanic in many
   phrasings, other languages, prompts that name no mechanic) plus 20 change requests;
2. routes each through `generation.routing.provider_route` with the policy of the settings
   (`STUDIO_ROUTING=cost`, an `openai` LLM configured, no budget limit);
3. sends EVERY prompt to the real `openai` provider (the official SDK) pointed at the local fake
   OpenAI server the tests use (tests/generation/fake_llm_server.py), which answers each with a
   valid spec. The fake server does not tokenize, so each call's tokens are estimated from what
   crossed the wire: request and answer characters / 4 (OpenAI's rule of thumb for English);
4. prints the share routed to `local`, the estimated tokens of all-LLM vs the policy, the
   saving, and one JSON line (`RESULT {...}`), also written to bench/results/routing.json.

Uses no database (the routing decision is pure; mechanics in code are all available).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHARS_PER_TOKEN = 4

CHANGES = [
    "make it faster", "more levels", "make the hero a cat", "darker colours", "easier please",
    "add a timer", "no ads", "make it harder", "make it spooky", "bigger snake",
    "turn it into a space game with asteroids, a boss at the end of every world and a shop for upgrades",
    "let two friends play it together and keep the best score of each round on a leaderboard",
    "change everything so that it becomes a cooking game where customers order burgers and fries",
    "replace the gems with golden coins", "slower enemies", "a night version",
    "make the levels longer and add checkpoints, moving platforms and a double jump power-up",
    "pastel colours", "ten levels", "make the music calmer",
]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--confidence", type=float, default=None, help="STUDIO_ROUTING_LOCAL_CONFIDENCE")
    parser.add_argument("--small-change-words", type=int, default=None)
    args = parser.parse_args()

    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gamefactory.settings")
    import django

    django.setup()
    import importlib.util

    from django.conf import settings

    from generation import routing
    from generation.designer import spec_from_prompt
    from generation.providers import DesignRequest, provider_get
    from tests.generation.fake_llm_server import FakeLLMServer, answer

    # bench/generation.py (its name is the app's: loaded from its file)
    spec = importlib.util.spec_from_file_location("bench_generation", ROOT / "bench" / "generation.py")
    assert spec is not None and spec.loader is not None
    bench_generation = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench_generation)
    PROMPTS = bench_generation.PROMPTS  # noqa: N806 - the other bench's constant

    server = FakeLLMServer().start()
    settings.STUDIO_PROVIDER = "openai"
    settings.STUDIO_ROUTING = "cost"
    settings.OPENAI_API_KEY = "sk-bench"
    settings.OPENAI_BASE_URL = f"{server.url}/v1"
    settings.LLM_MAX_RETRIES = 0
    settings.LLM_MAX_REPAIRS = 0
    if args.confidence is not None:
        settings.STUDIO_ROUTING_LOCAL_CONFIDENCE = args.confidence
    if args.small_change_words is not None:
        settings.STUDIO_ROUTING_SMALL_CHANGE_WORDS = args.small_change_words

    cases = [(p, None) for p in PROMPTS] + [
        (f"{PROMPTS[i % len(PROMPTS)]}\n{c}", c) for i, c in enumerate(CHANGES)
    ]
    llm = provider_get("openai")
    rows = []
    started = time.perf_counter()
    try:
        for n, (prompt, change) in enumerate(cases):
            route = routing.provider_route(prompt=prompt, change=change)
            # What the LLM would have spent on it: the real SDK call, answered by the fake server.
            data = spec_from_prompt(prompt=prompt, seed=n).model_dump(mode="json")
            data.pop("provenance", None)
            # The provider's two calls: choose the mechanic, then write the spec.
            choice = {"mechanic": data["mechanic"], "reason": "the prompt's words point at it"}
            server.queue(answer(choice, tokens=(0, 0)), answer(data, tokens=(0, 0)))
            before = len(server.requests)
            result = llm.design(DesignRequest(prompt=prompt, seed=n))
            sent = sum(len(json.dumps(r.body)) for r in server.requests[before:])
            received = len(json.dumps(choice)) + len(json.dumps(data))
            tokens = (sent + received) // CHARS_PER_TOKEN
            rows.append(
                {"kind": "change" if change else "prompt", "provider": route.provider, "code": route.code,
                 "tokens": tokens, "llm_ok": result.provider == "openai"}
            )  # fmt: skip
    finally:
        server.stop()
    elapsed = time.perf_counter() - started

    total = len(rows)
    local = [r for r in rows if r["provider"] == "local"]
    all_llm = sum(r["tokens"] for r in rows)
    policy = sum(r["tokens"] for r in rows if r["provider"] != "local")
    by_kind = {
        kind: {
            "n": sum(1 for r in rows if r["kind"] == kind),
            "local": sum(1 for r in rows if r["kind"] == kind and r["provider"] == "local"),
        }
        for kind in ("prompt", "change")
    }
    result = {
        "prompts": total,
        "routed_local": len(local),
        "share_local": round(len(local) / total, 3),
        "by_kind": by_kind,
        "reasons": dict(Counter(r["code"] for r in rows)),
        "tokens_all_llm_est": all_llm,
        "tokens_policy_est": policy,
        "tokens_saved_est": all_llm - policy,
        "share_tokens_saved": round((all_llm - policy) / all_llm, 3) if all_llm else 0.0,
        "llm_calls_ok": sum(1 for r in rows if r["llm_ok"]),
        "confidence_threshold": settings.STUDIO_ROUTING_LOCAL_CONFIDENCE,
        "small_change_words": settings.STUDIO_ROUTING_SMALL_CHANGE_WORDS,
        "seconds": round(elapsed, 1),
    }
    print(f"{total} studio prompts ({by_kind['prompt']['n']} new, {by_kind['change']['n']} changes)")
    print(f"routed to local: {len(local)} ({result['share_local']:.0%})   "
          f"new prompts {by_kind['prompt']['local']}/{by_kind['prompt']['n']}, "
          f"changes {by_kind['change']['local']}/{by_kind['change']['n']}")  # fmt: skip
    print(f"reasons: {result['reasons']}")
    print(f"LLM tokens (estimated, chars/{CHARS_PER_TOKEN}): all-LLM {all_llm:,}  policy {policy:,}  "
          f"saved {all_llm - policy:,} ({result['share_tokens_saved']:.0%})")  # fmt: skip
    print("RESULT " + json.dumps(result, sort_keys=True))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "routing.json").write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
