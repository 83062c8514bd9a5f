"""The `local` provider: offline, deterministic per seed, and it follows the prompt.

It reads the prompt's words against a vocabulary (each mechanic's own keywords,
verbs, words of other languages and emoji, declared in its package; genres,
settings, moods, difficulty and length words; the words of genres no mechanic
plays yet, sent to the nearest mechanic), scores every mechanic, and records in
the spec's provenance why it chose what it chose. When no word points at a mechanic it picks one by the
prompt's fingerprint, so unrelated prompts never collapse onto one stock game.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Collection
from dataclasses import dataclass, field

from gamefactory.errors import ApplicationError
from generation import limits
from generation.cast import (
    CastIndexUnavailable,
    cast_for_prompt,
    cast_reasons,
    detect_language,
    find_subjects,
    mechanic_roles,
)
from generation.designer import default_ads, spec_assemble
from generation.mechanics import mechanic_get, mechanic_registry
from generation.providers.base import DesignRequest, DesignResult, Provider
from generation.providers.play_verbs import english_play_verbs
from generation.themes import DEFAULT_SETTINGS, MOODS, MOODS_BY_SLUG, SETTINGS, SETTINGS_BY_SLUG, palette_for

WORD_RE = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)

KEYWORD_WEIGHT = 3.0
NAME_WEIGHT = 6.0

# Each mechanic brings its own words (`MechanicDefinition.keywords` and `.vocabulary`: verbs, other
# languages, emoji). What stays here is for the games people ask for that no mechanic plays yet:
# their words, and the weight they add to the installed mechanics that play most alike. A slug not
# installed is ignored. When a mechanic of such a genre arrives it brings its own words (a shooter:
# shoot, destroy, invaders; word games: spell), which outweigh these.
# The order of the rows is the order the reasons list them in: keep it.
NEAREST_MECHANIC: dict[str, dict[str, float]] = {
    # shooters -> dodger (steer through what comes at you)
    "shoot": {"dodger": 1},
    # falling blocks -> merge and match3 (grid puzzles)
    "tetris": {"merge": 2, "match3": 1}, "falling": {"merge": 1, "dodger": 1}, "blocks": {"merge": 1, "breakout": 1},
    # space shooters -> dodger
    "spaceship": {"dodger": 1.5}, "invaders": {"dodger": 1.5},
    # cooking -> match3 (and a recipe to remember -> memory)
    "cook": {"match3": 1.5}, "chef": {"match3": 1.5}, "kitchen": {"match3": 1.5}, "recipe": {"match3": 1, "memory": 1},
    "ingredients": {"match3": 1.5}, "vegetables": {"match3": 1.5}, "fruits": {"match3": 1.5},
}  # fmt: skip

# Genre words -> mechanic category that gains weight.
GENRES: dict[str, str] = {
    "puzzle": "puzzle", "puzzles": "puzzle", "brain": "puzzle", "logic": "puzzle", "think": "puzzle",
    "arcade": "arcade", "action": "action", "casual": "casual", "relaxing": "casual",
    "educational": "educational", "learn": "educational", "learning": "educational", "math": "educational",
    "rhythm": "rhythm", "music": "rhythm", "word": "word", "words": "word", "strategy": "strategy",
}  # fmt: skip

EASY_WORDS = {"easy", "easier", "easiest", "simple", "beginner", "beginners", "gentle", "casual", "facile", "fácil",
              "einfach"}  # fmt: skip
HARD_WORDS = {"hard", "harder", "hardest", "difficult", "challenging", "expert", "insane", "brutal", "brutally",
              "impossible", "tough", "toughest", "hardcore", "punishing", "extreme", "difícil", "difficile",
              "schwer"}  # fmt: skip
SHORT_WORDS = {"short", "quick", "tiny", "mini", "small"}
LONG_WORDS = {"long", "epic", "huge", "endless", "marathon", "big"}
MULTIPLAYER_WORDS = {"multiplayer", "versus", "vs", "friends", "online", "together", "co-op", "coop", "pvp",
                     "competitive", "duel", "rival", "rivals"}  # fmt: skip
NO_ADS_RE = re.compile(r"\b(no|without|zero)[- ]ads?\b|\bad[- ]free\b", re.IGNORECASE)
LEVELS_RE = re.compile(
    r"(\d{1,5})\s*(?:levels?|stages?|rounds?|worlds?|niveaux|niveles|nivel|level|stufen|уровн\w*)",
    re.IGNORECASE,
)
TRANSLATED_NUMBERS = {"one": 1, "two": 2, "three": 3, "five": 5, "ten": 10, "twenty": 20}
KNOWN_ENGLISH = {"a", "an", "the", "with", "and", "of", "in", "on", "for", "where", "you", "that", "to",
                 "game", "before", "my", "is", "it", "at", "by", "as", "from", "your", "make", "want"}  # fmt: skip


@dataclass
class PromptReading:
    """What the local provider understood from a prompt, and why."""

    mechanic: str
    setting: str
    mood: str
    difficulty_start: float
    difficulty_end: float
    level_count: int
    multiplayer: bool
    ads: bool
    params: dict = field(default_factory=dict)
    touch_layout: str | None = None
    reasons: list[str] = field(default_factory=list)
    fallback: str = ""
    matched_words: set[str] = field(default_factory=set)


def _fingerprint(text: str, seed: int, salt: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{salt}:{seed}:{text}".encode()).digest()[:8], "big")


def _words(prompt: str) -> tuple[list[str], set[str]]:
    tokens = [t.lower() for t in WORD_RE.findall(prompt)]
    words = set(tokens)
    # "l'espace", "old-school": the parts count as words too.
    for token in tokens:
        words.update(part for part in re.split(r"[-']", token) if len(part) > 1)
    # Plurals and simple verb forms: "candies" -> "candy", "asteroids" -> "asteroid", "bricks" -> "brick".
    for w in list(words):
        if len(w) > 4 and w.endswith("ies"):
            words.add(w[:-3] + "y")
        if len(w) > 3 and w.endswith("s"):
            words.add(w[:-1])
        if len(w) > 5 and w.endswith("ing"):
            words.add(w[:-3])
    return tokens, words


def _stem(word: str) -> str:
    """The form `_words` reduces a word to: "candies" -> "candy", "gems" -> "gem", "flying" -> "fly"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 3 and word.endswith("s"):
        return word[:-1]
    return word


def _has(keyword: str, words: set[str], lowered: str) -> bool:
    if not keyword.isascii():
        return keyword in lowered
    if " " in keyword or "-" in keyword:
        return re.search(rf"(?<!\w){re.escape(keyword)}(?!\w)", lowered) is not None
    return keyword in words


# Idioms whose words would mislead the vocabulary ("time runs out" is a clock, not a runner).
IDIOMS = re.compile(r"\b(?:time\s+)?(?:runs?|running|ran)\s+out\b|\bout\s+of\s+time\b", re.IGNORECASE)


def _available(mechanic: str | None, mechanics: Collection[str] | None) -> dict:
    """The mechanics the reading may choose from; ApplicationError on `mechanic` for one it may not."""
    registry = {
        slug: definition
        for slug, definition in mechanic_registry().items()
        if mechanics is None or slug in mechanics
    }
    if mechanic is not None and mechanic not in registry:
        known = ", ".join(registry) or "none"
        if mechanic_get(mechanic) is None:
            message, code = f"Unknown mechanic {str(mechanic)[:60]!r}; known: {known}.", "unknown_mechanic"
        else:
            message, code = (
                f"The mechanic {mechanic!r} is switched off; available: {known}.",
                "mechanic_inactive",
            )
        raise ApplicationError.for_field("mechanic", message, code=code)
    if not registry:
        raise ApplicationError.for_field("mechanic", "No mechanic is available.", code="mechanic_inactive")
    return registry


# Score a mechanic loses for each thing the prompt's nouns do that it has no role for.
ROLE_MISS_WEIGHT = 2.5
# What a noun does in the prompt (generation/cast.py's markers) -> the roles that can show it.
KIND_ROLES: dict[str, frozenset[str]] = {
    "collect": frozenset({"collectible", "tile"}),
    "avoid": frozenset({"hazard", "enemy"}),
    "fight": frozenset({"enemy"}),
    "projectile": frozenset({"projectile"}),
}  # not "goal": "to" and "reach" mark too much ("add numbers up to ten") to cost a mechanic anything


def _wanted_roles(prompt: str) -> tuple[dict[str, frozenset[str]], set[str]]:
    """The things the prompt's nouns do, each with the roles that can show it; and the words of
    those nouns ("between asteroids": the asteroids are scenery to avoid, not the game's name)."""
    try:
        _, found = find_subjects(prompt)
    except CastIndexUnavailable:  # the cast's tables are not installed: no evidence either way
        return {}, set()
    wanted: dict[str, frozenset[str]] = {}
    things: set[str] = set()
    for item in found:
        if item.kind.startswith("role:") and item.kind != "role:goal":
            wanted[item.kind[5:]] = frozenset({item.kind[5:]})
        elif item.kind in KIND_ROLES:
            wanted[item.kind] = KIND_ROLES[item.kind]
        else:
            continue
        things.add(item.word.lower())
    return wanted, things


def _holds(definition, wanted: dict[str, frozenset[str]]) -> bool:
    roles = set(mechanic_roles(definition))
    return all(options & roles for options in wanted.values())


def read_prompt(
    prompt: str, *, seed: int, mechanic: str | None = None, mechanics: Collection[str] | None = None
) -> PromptReading:
    """Map a prompt to mechanic, setting, mood, difficulty, level count and flags, with reasons.

    Chooses among `mechanics` (default: every mechanic in code). A `mechanic` that is unknown or
    not among them is refused with ApplicationError on the field `mechanic`.
    """
    registry = _available(mechanic, mechanics)
    tokens, words = _words(IDIOMS.sub(" clock ", prompt))
    lowered = IDIOMS.sub(" clock ", prompt).lower()
    reasons: list[str] = []
    matched: set[str] = set()
    # Verbs of play in the prompt's own language count as the English verbs the vocabularies weigh.
    foreign_verbs = english_play_verbs(tokens, detect_language(prompt))
    words |= set(foreign_verbs.values())

    # --- setting and mood ---------------------------------------------------------------
    setting_scores = []
    for index, setting in enumerate(SETTINGS):
        hits = [w for w in setting.words if _has(w, words, lowered)]
        if hits:
            setting_scores.append((len(hits), -index, setting, hits))
    if setting_scores:
        _, _, setting, hits = max(setting_scores, key=lambda s: (s[0], s[1]))
        matched |= set(hits)
        reasons.append(f"setting '{setting.label}' from the words: {', '.join(sorted(hits)[:5])}")
        setting_from_prompt = True
    else:
        slug = DEFAULT_SETTINGS[_fingerprint(lowered, seed, "setting") % len(DEFAULT_SETTINGS)]
        setting = SETTINGS_BY_SLUG[slug]
        reasons.append(f"no setting named: chose '{setting.label}' from the prompt's fingerprint")
        setting_from_prompt = False
    mood_hits = []
    for mood in MOODS:
        hits = [w for w in mood.words if _has(w, words, lowered)]
        if hits:
            mood_hits.append((len(hits), mood, hits))
    if mood_hits:
        _, mood, hits = max(mood_hits, key=lambda m: m[0])
        matched |= set(hits)
        reasons.append(f"mood '{mood.slug}' from: {', '.join(sorted(hits)[:5])}")
    else:
        mood = MOODS_BY_SLUG["neutral"]

    # --- mechanic -------------------------------------------------------------------------
    wanted, things = _wanted_roles(prompt)
    scores: dict[str, float] = dict.fromkeys(registry, 0.0)
    why: dict[str, list[str]] = {slug: [] for slug in registry}
    for slug, definition in registry.items():
        for name in dict.fromkeys((slug, definition.name.lower())):  # a set would order them by hash
            if _has(name, words, lowered):
                # A name that is a thing the hero collects or avoids is scenery, weighed as a keyword.
                scenery = name in things or _stem(name) in {_stem(t) for t in things}
                scores[slug] += KEYWORD_WEIGHT if scenery else NAME_WEIGHT
                why[slug].append(f"{'the thing' if scenery else 'names'} '{name}'")
        counted: set[str] = set()
        for keyword in dict.fromkeys(definition.keywords):
            if keyword not in {slug, definition.name.lower()} and _has(keyword.lower(), words, lowered):
                # "gem" and "gems" are one word of the prompt: a plural must not count twice.
                stem = _stem(keyword.lower())
                if stem in counted:
                    continue
                counted.add(stem)
                scores[slug] += KEYWORD_WEIGHT
                why[slug].append(f"'{keyword}'")
    for slug, definition in registry.items():
        for word, weight in definition.vocabulary.verbs.items():
            if word in words:
                scores[slug] += weight
                why[slug].append(f"verb '{word}'")
    for word, weights in NEAREST_MECHANIC.items():
        if word in words:
            for slug, weight in weights.items():
                if slug in scores:
                    scores[slug] += weight
                    why[slug].append(f"verb '{word}'")
    for slug, definition in registry.items():
        for word in (*definition.vocabulary.foreign_words, *definition.vocabulary.emoji):
            if f"'{word}'" not in why[slug] and _has(word, words, lowered):
                scores[slug] += KEYWORD_WEIGHT
                why[slug].append(f"'{word}'")
    for word, category in GENRES.items():
        if word in words:
            for slug, definition in registry.items():
                if definition.category == category:
                    scores[slug] += 1.0
                    why[slug].append(f"genre '{word}'")
    if setting_from_prompt:
        for slug, weight in setting.affinity:
            if slug in scores:
                scores[slug] += weight
                why[slug].append(f"suits {setting.label}")

    # What the prompt's nouns do ("collecting fish", "avoiding seals"): a mechanic that has no role
    # for it would drop that noun from the game, so it weighs less; with no other evidence, only
    # mechanics that can show every such noun are drawn from.
    able = {slug for slug, definition in registry.items() if _holds(definition, wanted)}
    if wanted:
        for slug, definition in registry.items():
            missing = [kind for kind, roles in wanted.items() if not roles & set(mechanic_roles(definition))]
            if missing and scores[slug] > 0:
                scores[slug] -= ROLE_MISS_WEIGHT * len(missing)
                why[slug].append(f"no role for what the prompt {', '.join(missing)}s")
    if foreign_verbs:
        reasons.append(
            "verbs read as English: " + ", ".join(f"{w} -> {e}" for w, e in list(foreign_verbs.items())[:5])
        )

    fallback = ""
    if mechanic is not None:
        chosen = mechanic
        reasons.insert(0, f"mechanic '{mechanic}' was requested")
    else:
        best = max(scores.values())
        if best > 0:
            top = sorted(slug for slug, score in scores.items() if score == best)
            chosen = top[_fingerprint(lowered, seed, "tie") % len(top)]
            evidence = ", ".join(dict.fromkeys(why[chosen]))
            reasons.insert(0, f"mechanic '{chosen}' scored {best:g} from {evidence}")
            if len(top) > 1:
                reasons.append(
                    f"tied with {', '.join(s for s in top if s != chosen)}: broken by the prompt's fingerprint"
                )
        else:
            slugs = sorted(able) or sorted(registry)
            chosen = slugs[_fingerprint(lowered, seed, "mechanic") % len(slugs)]
            fallback = "no word of the prompt points at a mechanic"
            reasons.insert(
                0,
                f"{fallback}: picked '{chosen}' by the prompt's fingerprint (different prompts, different games)",
            )
        for entry in why[chosen]:
            if entry.startswith("'") or entry.startswith("names"):
                matched.add(entry.split("'")[1])

    # --- language ---------------------------------------------------------------------------
    letters = [ch for ch in prompt if ch.isalpha()]
    non_ascii = sum(1 for ch in letters if not ch.isascii())
    english = sum(1 for t in tokens if t in KNOWN_ENGLISH)
    if letters and (non_ascii / len(letters) > 0.3 or (len(tokens) >= 3 and english == 0)):
        note = "the prompt seems not to be in English: matched the words I know and fell back on the best fit"
        reasons.append(note)
        fallback = f"{fallback}; {note}" if fallback else note

    # --- difficulty, length, flags -----------------------------------------------------------
    shift = mood.difficulty_shift
    if words & EASY_WORDS:
        shift -= 0.2
        reasons.append("easier: the prompt asks for it")
    if words & HARD_WORDS:
        shift += 0.25
        reasons.append("harder: the prompt asks for it")
    start = round(min(0.6, max(0.0, 0.1 + shift / 2)), 2)
    end = round(min(1.0, max(start, 0.75 + shift)), 2)
    definition = registry[chosen]
    level_count = definition.default_level_count
    match = LEVELS_RE.search(prompt)
    if match:
        asked = int(match.group(1))
        level_count = max(limits.MIN_LEVELS, min(limits.MAX_LEVELS, asked))
        reasons.append(f"{level_count} levels as asked" + (" (capped)" if level_count != asked else ""))
    elif words & SHORT_WORDS:
        level_count = 5
        reasons.append("5 levels: a short game was asked for")
    elif words & LONG_WORDS:
        level_count = 20
        reasons.append("20 levels: a long game was asked for")
    multiplayer = (
        bool(words & MULTIPLAYER_WORDS) or re.search(r"\b(2|two)[- ]players?\b", lowered) is not None
    )
    if multiplayer:
        reasons.append("multiplayer: the prompt mentions playing with others")
    ads = NO_ADS_RE.search(prompt) is None
    if not ads:
        reasons.append("no ads, as asked")
    params = definition.tune_params(words, (start + end) / 2) if definition.tune_params else {}
    if params:
        reasons.append(
            f"parameters from the prompt: {', '.join(f'{k}={v}' for k, v in sorted(params.items()))}"
        )
    touch_layout = "swipe" if words & {"swipe", "swiping"} else None
    return PromptReading(
        mechanic=chosen,
        setting=setting.slug,
        mood=mood.slug,
        difficulty_start=start,
        difficulty_end=end,
        level_count=level_count,
        multiplayer=multiplayer,
        ads=ads,
        params=params,
        touch_layout=touch_layout,
        reasons=reasons,
        fallback=fallback,
        matched_words=matched,
    )


def make_title(prompt: str, reading: PromptReading, *, seed: int) -> str:
    """A short title in the spirit of the prompt: setting adjective + mechanic noun + mood suffix."""
    rng = random.Random(f"title:{seed}:{prompt}")
    definition = mechanic_get(reading.mechanic)
    setting = SETTINGS_BY_SLUG[reading.setting]
    mood = MOODS_BY_SLUG[reading.mood]
    _, words = _words(prompt)
    nouns = [n for n in definition.title_nouns if n.lower() in words] or list(
        definition.title_nouns or [definition.name]
    )
    noun = nouns[0] if nouns[0].lower() in words else rng.choice(nouns)
    named = [w for w in setting.title_words if w.lower() in words]
    adjective = named[0] if named else rng.choice(setting.title_words)
    suffix = rng.choice(mood.title_suffixes)
    title = f"{adjective} {noun}" if adjective.lower() != noun.lower() else noun
    return f"{title} {suffix}".strip()[: limits.TITLE_MAX_CHARS]


class LocalProvider(Provider):
    """Procedural, offline, deterministic: the default designer."""

    name = "local"

    def design(self, request: DesignRequest) -> DesignResult:
        reading = read_prompt(
            request.prompt, seed=request.seed, mechanic=request.mechanic, mechanics=request.mechanics
        )
        params = {**reading.params, **(request.params or {})}
        if request.params:
            reading.reasons.append(f"parameters set by the caller: {', '.join(sorted(request.params))}")
        setting = SETTINGS_BY_SLUG[reading.setting]
        mood = MOODS_BY_SLUG[reading.mood]
        theme = {
            "setting": setting.label,
            "mood": mood.slug,
            "art_style": mood.art_style or setting.art_style,
            "palette": palette_for(setting, mood),
        }
        definition = mechanic_get(reading.mechanic)
        title = make_title(request.prompt, reading, seed=request.seed)
        # The cast: the prompt's nouns in the mechanic's roles (words read as the setting or the
        # mechanic count only when they are a picture's own name), the rest the mechanic's own.
        cast = cast_for_prompt(definition, request.prompt, ignore=reading.matched_words)
        reasons = reading.reasons[:1] + cast_reasons(cast) + reading.reasons[1:]
        spec = spec_assemble(
            mechanic=reading.mechanic,
            title=title,
            theme=theme,
            difficulty={"start": reading.difficulty_start, "end": reading.difficulty_end, "shape": "ease_in"},
            level_count=reading.level_count,
            seed=request.seed,
            params=params,
            description=f"{definition.name} in {setting.label}. {definition.description}",
            lives=5 if reading.mood == "kids" else None,
            ads=default_ads() if reading.ads else [],
            multiplayer=reading.multiplayer,
            touch_layout=reading.touch_layout,
            cast=cast.cast,
            provenance={
                "provider": self.name,
                "model": "",
                "prompt": request.prompt,
                "seed": request.seed,
                "reasons": [r[: limits.REASON_MAX_CHARS] for r in reasons[: limits.MAX_PROVENANCE_REASONS]],
                "fallback": reading.fallback[: limits.REASON_MAX_CHARS],
                "cast": [
                    {**source, "word": source["word"][: limits.SUBJECT_MAX_CHARS]} for source in cast.sources
                ],
            },
        )
        return DesignResult(spec=spec, provider=self.name, fallback_reason=reading.fallback)


PROVIDER = LocalProvider()
