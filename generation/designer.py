"""The designer: a prompt becomes a validated GameSpec, through a pluggable provider.

`spec_from_prompt` is the entry point; `spec_assemble` is the shared half every provider
may use: from design decisions (mechanic, theme, difficulty, level count, ...) to a full,
validated spec with generated levels.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Collection
from typing import Any

from pydantic import ValidationError

from gamefactory.errors import ApplicationError
from generation import limits
from generation.mechanics import mechanic_get, mechanic_registry
from generation.providers import DesignRequest, DesignResult, provider_get
from generation.spec import DifficultyCurve, GameSpec, spec_error_fields, spec_validate

DEFAULT_PROVIDER = "local"
_ALLOWED_CONTROL = {"\n", "\r", "\t"}


def prompt_clean(prompt: Any) -> str:
    """The prompt, stripped; ApplicationError on field `prompt` when empty, too long or not text."""
    if isinstance(prompt, bytes):
        try:
            prompt = prompt.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ApplicationError.for_field(
                "prompt", "The prompt must be UTF-8 text.", code="invalid_prompt"
            ) from exc
    if not isinstance(prompt, str):
        raise ApplicationError.for_field("prompt", "The prompt must be text.", code="invalid_prompt")
    if len(prompt) > limits.PROMPT_MAX_CHARS:
        raise ApplicationError.for_field(
            "prompt",
            f"The prompt is longer than {limits.PROMPT_MAX_CHARS} characters.",
            code="prompt_too_long",
        )
    if any(unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROL for ch in prompt):
        raise ApplicationError.for_field(
            "prompt", "The prompt contains control characters.", code="invalid_prompt"
        )
    prompt = prompt.strip()
    # Letters, digits or pictographs (an emoji prompt such as "🐍🍎" describes a game too).
    if not prompt or not any(ch.isalnum() or unicodedata.category(ch) == "So" for ch in prompt):
        raise ApplicationError.for_field("prompt", "Describe the game you want.", code="empty_prompt")
    return prompt


def seed_clean(seed: Any) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= limits.MAX_SEED:
        raise ApplicationError.for_field(
            "seed", f"The seed must be an integer from 0 to {limits.MAX_SEED}.", code="invalid_seed"
        )
    return seed


def mechanic_clean(
    mechanic: Any, *, available: Collection[str] | None = None, field: str = "mechanic"
) -> str | None:
    """A mechanic slug the platform offers, or None for "let the designer choose".

    ApplicationError on `field` when it is not text, unknown, or switched off by staff (not in
    `available`; None means every mechanic in code). The studio (its field is `template`), the
    change-request path and the designer all check here, so they cannot drift apart.
    """
    if mechanic in (None, ""):
        return None
    if not isinstance(mechanic, str):
        raise ApplicationError.for_field(field, "A mechanic is named by its slug.", code="invalid")
    if mechanic_get(mechanic) is None:
        raise ApplicationError.for_field(
            field,
            f"Unknown mechanic {mechanic[:60]!r}; known: {', '.join(mechanic_registry())}.",
            code="unknown_mechanic",
        )
    if available is not None and mechanic not in available:
        raise ApplicationError.for_field(
            field,
            f"The mechanic {mechanic!r} is switched off; available: {', '.join(sorted(available)) or 'none'}.",
            code="mechanic_inactive",
        )
    return mechanic


def params_clean(params: Any, *, field: str = "params") -> dict | None:
    """Parameter overrides: an object (checked against the mechanic's schema when the spec is made)."""
    if params is None:
        return None
    if not isinstance(params, dict):
        raise ApplicationError.for_field(field, "Parameters must be an object.", code="invalid_params")
    return params


def slugify(text: str, *, fallback: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    slug = slug[: limits.SLUG_MAX_CHARS].strip("-")
    return slug or fallback


def default_ads() -> list[dict]:
    return [
        {"id": "title_banner", "format": "banner", "trigger": "title", "every": 1},
        {"id": "level_interstitial", "format": "interstitial", "trigger": "level_complete", "every": 3},
        {"id": "continue_rewarded", "format": "rewarded", "trigger": "game_over", "every": 1},
    ]


def spec_assemble(
    *,
    mechanic: str,
    title: str,
    theme: dict,
    difficulty: dict,
    level_count: int,
    seed: int,
    provenance: dict,
    params: dict | None = None,
    genre: str | None = None,
    description: str | None = None,
    lives: int | None = None,
    ads: list[dict] | None = None,
    multiplayer: bool = False,
    touch_layout: str | None = None,
    slug: str | None = None,
    cast: list[dict] | None = None,
) -> GameSpec:
    """A full, validated GameSpec from design decisions; levels come from the mechanic's generator.

    Deterministic: the same arguments give the same spec. Raises ApplicationError (with the
    dotted field path) when a decision is out of range, e.g. an unknown mechanic or bad params.
    """
    definition = mechanic_get(mechanic)
    if definition is None:
        raise ApplicationError.for_field(
            "mechanic",
            f"Unknown mechanic {mechanic!r}; known: {', '.join(mechanic_registry())}.",
            code="unknown_mechanic",
        )
    if not isinstance(level_count, int) or not limits.MIN_LEVELS <= level_count <= limits.MAX_LEVELS:
        raise ApplicationError.for_field(
            "level_count", f"Between {limits.MIN_LEVELS} and {limits.MAX_LEVELS} levels.", code="invalid"
        )
    try:
        typed_params = definition.Params.model_validate(params or {})
    except ValidationError as exc:
        fields = {f"params.{k}": v for k, v in spec_error_fields(exc).items()}
        raise ApplicationError(
            f"Invalid parameters for {mechanic}: {next(iter(fields))}", code="invalid_params", fields=fields
        ) from exc
    curve = DifficultyCurve.model_validate(difficulty)
    rng = random.Random(f"levels:{seed}:{mechanic}")
    levels = definition.levels_for(rng=rng, difficulty=curve.values(level_count), params=typed_params)
    has_clock = any(getattr(level, "time_limit_s", None) for level in levels)
    data = {
        "spec_version": limits.SPEC_VERSION,
        "title": title[: limits.TITLE_MAX_CHARS].strip(),
        "slug": slug or slugify(title, fallback=f"{mechanic}-{seed}"),
        "description": (description or definition.description)[: limits.DESCRIPTION_MAX_CHARS],
        "genre": genre or definition.genre,
        "mechanic": mechanic,
        "params": typed_params.model_dump(mode="json"),
        "theme": theme,
        "controls": {
            "keyboard": True,
            "pointer": True,
            "touch": True,
            "touch_layout": touch_layout
            if touch_layout in definition.touch_layouts
            else definition.touch_layouts[0],
        },
        "levels": [level.model_dump(mode="json") for level in levels],
        "difficulty": curve.model_dump(mode="json"),
        "scoring": {
            "base_points": 10,
            "level_bonus": 100,
            "time_bonus_per_second": 5 if has_clock else 0,
            "high_score": True,
        },
        "rules": {
            "lives": lives or definition.default_lives,
            "time_limit_s": None,
            "win": definition.win_text or f"Finish every level of {definition.name}.",
            "lose": definition.lose_text or "Lose all your lives.",
        },
        "tutorial": list(definition.tutorial)[: limits.TUTORIAL_MAX_LINES],
        "audio": {
            "enabled": True,
            "volume": 0.7,
            "cues": [{"cue": cue, "sound": sound} for cue, sound in definition.audio_cues.items()],
        },
        "analytics": {"events": []},
        "ads": default_ads() if ads is None else ads,
        "multiplayer": multiplayer,
        "cast": cast or [],
        "provenance": provenance,
    }
    return spec_validate(data)


def design_from_prompt(
    *,
    prompt: Any,
    seed: int = 0,
    provider: str = DEFAULT_PROVIDER,
    mechanic: str | None = None,
    params: dict | None = None,
    mechanics: Collection[str] | None = None,
) -> DesignResult:
    """Like `spec_from_prompt`, with what the provider spent (tokens, cost, latency), any fallback
    and the LLM's checked `logic_js` (pass it to `bundle_build`)."""
    prompt = prompt_clean(prompt)
    seed = seed_clean(seed)
    available = None if mechanics is None else frozenset(mechanics)
    mechanic = mechanic_clean(mechanic, available=available)
    params = params_clean(params)
    request = DesignRequest(prompt=prompt, seed=seed, mechanic=mechanic, params=params, mechanics=available)
    return provider_get(provider).design(request)


def spec_from_prompt(
    *,
    prompt: Any,
    seed: int = 0,
    provider: str = DEFAULT_PROVIDER,
    mechanic: str | None = None,
    params: dict | None = None,
    mechanics: Collection[str] | None = None,
) -> GameSpec:
    """Design a game from a natural-language prompt and return its validated GameSpec.

    `provider` picks who designs it (`local` is offline and deterministic per seed);
    `mechanic` and `params` override what the prompt suggests; `mechanics` limits the choice
    (the platform passes `generation.selectors.mechanic_available_slugs()`: the ones staff left
    active). Bad input raises ApplicationError naming the field (`prompt`, `seed`, `mechanic`,
    `params.<name>`, `provider`).
    """
    return design_from_prompt(
        prompt=prompt, seed=seed, provider=provider, mechanic=mechanic, params=params, mechanics=mechanics
    ).spec


def design_change(*, base_spec: Any, change: str, design: DesignResult) -> DesignResult:
    """A change request's design, holding to what the change asks for.

    `design` is what the provider made of the game's prompt plus the change. A change that only
    names things ("make the hero a cat collecting fish": no mechanic, setting, mood, difficulty or
    length words of its own) keeps the base game whole and changes its cast; any other change keeps
    the provider's design, with the base game's cast for the roles the change does not name (when
    the mechanic stayed). A base spec that no longer validates leaves `design` as it is.
    """
    from dataclasses import replace

    from generation.cast import cast_change
    from generation.providers.local import read_prompt

    try:
        base = spec_validate(base_spec)
    except ApplicationError:
        return design
    reading = read_prompt(change, seed=0)
    asks_more = bool(reading.matched_words) or any(
        reason.startswith(("easier", "harder", "5 levels", "20 levels", "no ads", "multiplayer"))
        or " levels as asked" in reason
        for reason in reading.reasons
    )
    same_mechanic = design.spec.mechanic == base.mechanic
    target = base if same_mechanic and not asks_more else design.spec
    start = [m.model_dump() for m in (base.cast if same_mechanic else design.spec.cast)]
    cast, notes = cast_change(target.definition, start, change)
    data = target.model_dump(mode="json")
    data["cast"] = cast
    if target is not base:  # the name is the game's own; the look changes only when the change names one
        data.update({key: getattr(base, key) for key in ("title", "slug", "description")})
        if not any(reason.startswith(("setting '", "mood '")) for reason in reading.reasons):
            data["theme"] = base.theme.model_dump(mode="json")
    provenance = data["provenance"]
    kept = "the rest of the game as it was" if target is base else "the redesign for the rest"
    provenance["reasons"] = [
        r[: limits.REASON_MAX_CHARS] for r in [*notes, f"change request: {kept}", *provenance["reasons"]]
    ][: limits.MAX_PROVENANCE_REASONS]
    provenance["cast"] = [
        {"role": m["role"], "subject": m["subject"], "word": "", "via": "change request"} for m in cast
    ][: limits.MAX_CAST]
    return replace(design, spec=spec_validate(data))
