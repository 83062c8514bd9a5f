"""Batch planning: which mechanic and which setting each game of a batch gets.

From the brief's genres (mechanic slugs, genres or categories) and theme (words naming settings),
every production gets its own (mechanic, setting) pair, spread so mechanics take turns and
settings are used evenly. Two games share a pair only when the batch allows repeats.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections import Counter

from batches import limits
from gamefactory.errors import ApplicationError


def _settings():
    from generation import themes

    return themes


def setting_get(slug_or_label: str):
    themes = _settings()
    for setting in themes.SETTINGS:
        if slug_or_label in (setting.slug, setting.label):
            return setting
    raise ApplicationError.for_field("concept.setting", f"Unknown setting {slug_or_label!r}.")


def theme_for(setting, *, mood: str = "neutral") -> dict:
    """A spec theme for `setting` (the palette nudged by `mood`)."""
    themes = _settings()
    mood_obj = themes.MOODS_BY_SLUG.get(mood) or themes.MOODS_BY_SLUG["neutral"]
    return {
        "setting": setting.label,
        "mood": mood_obj.slug,
        "art_style": mood_obj.art_style or setting.art_style,
        "palette": themes.palette_for(setting, mood_obj),
    }


def _words(text: str) -> set[str]:
    return set(re.findall(r"[\w'-]+", text.lower()))


def genres_clean(genres) -> list[str]:
    """Mechanic slugs, genres or categories the generator knows; ApplicationError on `genres`."""
    from generation.selectors import mechanic_definitions as mechanic_registry

    if genres in (None, ""):
        return []
    if isinstance(genres, str):
        genres = [g for g in re.split(r"[,\s]+", genres) if g]
    if not isinstance(genres, list | tuple) or not all(isinstance(g, str) for g in genres):
        raise ApplicationError.for_field("genres", "A list of mechanic or genre names.")
    if len(genres) > limits.MAX_GENRES:
        raise ApplicationError.for_field("genres", f"At most {limits.MAX_GENRES} genres.")
    registry = mechanic_registry()
    known = set(registry) | {d.genre for d in registry.values()} | {d.category for d in registry.values()}
    cleaned = []
    for genre in genres:
        name = genre.strip().lower()
        if name not in known:
            raise ApplicationError.for_field(
                "genres", f"Unknown genre or mechanic {genre!r}; known: {', '.join(sorted(known))}."
            )
        if name not in cleaned:
            cleaned.append(name)
    return cleaned


def candidate_mechanics(genres: list[str]) -> list[str]:
    from generation.selectors import mechanic_definitions as mechanic_registry

    registry = mechanic_registry()
    if not genres:
        return list(registry)
    return [slug for slug, d in registry.items() if {slug, d.genre, d.category} & set(genres)]


def candidate_settings(theme: str, brief: str = "") -> list[str]:
    """Settings the theme names (by slug, label or word); every setting when it names none."""
    themes = _settings()
    words = _words(theme)
    if not words:
        return [s.slug for s in themes.SETTINGS]
    lowered = theme.lower()
    named = [
        s.slug
        for s in themes.SETTINGS
        if s.slug in words or s.label.lower() in lowered or words & set(s.words)
    ]
    return named or [s.slug for s in themes.SETTINGS]


def combos_available(*, genres: list[str], theme: str) -> int:
    return len(candidate_mechanics(genres)) * len(candidate_settings(theme))


def production_seed(batch_seed: int, index: int) -> int:
    digest = hashlib.sha256(f"gamefactory-batch:{batch_seed}:{index}".encode()).hexdigest()
    return int(digest[:8], 16) % (2**31 - 1)


def concept_prompt(*, brief: str, theme: str, audience: str, mechanic_name: str, setting) -> str:
    words = ", ".join(setting.words[:3])
    parts = [f"A {mechanic_name.lower()} game in {setting.label} ({words})."]
    if brief:
        parts.append(brief.strip().rstrip(".") + ".")
    if theme:
        parts.append(f"Theme: {theme.strip()}.")
    if audience:
        parts.append(f"For {audience.strip()}.")
    return " ".join(parts)


def concepts_plan(
    *, brief: str, theme: str, genres: list[str], audience: str, count: int, allow_repeats: bool, seed: int
) -> list[dict]:
    """One concept per game: mechanic, setting, seed and the designer's prompt."""
    from generation.selectors import mechanic_definition as mechanic_get

    mechanics = candidate_mechanics(genres)
    settings_ = candidate_settings(theme)
    if not mechanics:
        raise ApplicationError.for_field("genres", "No mechanic matches these genres.")
    if not allow_repeats and count > len(mechanics) * len(settings_):
        raise ApplicationError.for_field(
            "count",
            f"This brief allows {len(mechanics) * len(settings_)} distinct mechanic + theme combinations "
            f"({len(mechanics)} mechanics x {len(settings_)} settings); ask for fewer games, widen the "
            "genres or theme, or allow repeats.",
        )
    rng = random.Random(f"batch-plan:{seed}")
    rng.shuffle(mechanics)
    rng.shuffle(settings_)
    used: set[tuple[str, str]] = set()
    setting_use: Counter = Counter()
    concepts = []
    for index in range(count):
        mechanic = mechanics[index % len(mechanics)]
        options = [s for s in settings_ if (mechanic, s) not in used] or settings_
        setting_slug = min(options, key=lambda s: (setting_use[s], settings_.index(s)))
        used.add((mechanic, setting_slug))
        setting_use[setting_slug] += 1
        setting = setting_get(setting_slug)
        concepts.append(
            {
                "mechanic": mechanic,
                "setting": setting_slug,
                "seed": production_seed(seed, index + 1),
                "prompt": concept_prompt(
                    brief=brief,
                    theme=theme,
                    audience=audience,
                    mechanic_name=mechanic_get(mechanic).name,
                    setting=setting,
                ),
            }
        )
    return concepts


CONCEPT_KEYS = {"mechanic", "setting", "seed", "prompt", "params", "title", "slug", "level_seconds"}
DERIVED_CONCEPT_KEYS = {"level_seconds"}  # step 1 writes them from the design; a new concept reruns it


def concept_clean(data, *, current: dict) -> dict:
    """A staff-edited concept, checked field by field (`concept.<key>`)."""
    from generation.selectors import mechanic_definition as mechanic_get

    if not isinstance(data, dict):
        raise ApplicationError.for_field("concept", "The concept is an object.")
    unknown = set(data) - CONCEPT_KEYS
    if unknown:
        raise ApplicationError.for_field(f"concept.{sorted(unknown)[0]}", "Not a concept field.")
    out = {key: value for key, value in {**current, **data}.items() if key not in DERIVED_CONCEPT_KEYS}
    if not isinstance(out.get("mechanic"), str) or mechanic_get(out["mechanic"]) is None:
        raise ApplicationError.for_field("concept.mechanic", f"Unknown mechanic {out.get('mechanic')!r}.")
    if not isinstance(out.get("setting"), str):
        raise ApplicationError.for_field("concept.setting", "Name a setting.")
    out["setting"] = setting_get(out["setting"]).slug
    seed = out.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**31:
        raise ApplicationError.for_field("concept.seed", "An integer from 0 to 2147483647.")
    prompt = out.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip() or len(prompt) > limits.BRIEF_MAX_CHARS * 2:
        raise ApplicationError.for_field("concept.prompt", "Describe the game in a few sentences.")
    if out.get("params") is not None and not isinstance(out["params"], dict):
        raise ApplicationError.for_field("concept.params", "Parameters are an object.")
    title = out.get("title")
    if title is not None and (not isinstance(title, str) or len(title) > 80):
        raise ApplicationError.for_field("concept.title", "A title of at most 80 characters.")
    if "title" in data and not data.get("title"):
        out.pop("title", None)
    return out
