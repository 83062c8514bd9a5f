"""GameSpec: the one document that describes a game, version 1.

Every provider (local or LLM) must produce a valid GameSpec; nothing else reaches the
bundle builder. The mechanic's parameters and level data are validated by the
mechanic's own pydantic models (`generation/mechanics/<slug>/__init__.py`), chosen by the
`mechanic` slug, and each level goes through the mechanic's validator (solvability
by search where it applies). Errors carry the dotted path of the offending field
(`levels.3.grid`).
"""

from __future__ import annotations

import copy
import hashlib
import json
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    SerializeAsAny,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from gamefactory.errors import ApplicationError
from generation import limits
from generation.mechanics import mechanic_get, mechanic_registry
from generation.mechanics.base import (
    MechanicLevel,
    MechanicParams,
    Role,
    Sound,
    StrictModel,
    TouchLayout,
)

HexColor = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$", to_lower=True)]
Slug = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=limits.SLUG_MAX_CHARS)
]
EventName = Annotated[
    str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=limits.EVENT_NAME_MAX_CHARS)
]
ArtStyle = Literal["flat", "outlined", "glossy", "pixel", "neon"]
Genre = Literal[
    "arcade", "puzzle", "action", "casual", "educational", "strategy", "rhythm", "word", "adventure",
    "platformer", "shooter", "racing", "sports",
]  # fmt: skip
AdFormat = Literal["rewarded", "banner", "interstitial"]
AdTrigger = Literal["title", "level_complete", "game_over"]
CurveShape = Literal["linear", "ease_in", "ease_out", "steps"]

# Emitted by the runtime itself for every game (runtime.js); always part of `analytics.events`.
STANDARD_EVENTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("session_start", "The game booted in the player's browser.", ("mechanic", "levels")),
    ("tutorial_begin", "The title/tutorial screen was shown.", ()),
    ("tutorial_complete", "The player left the tutorial and started playing.", ()),
    ("level_start", "A level began.", ("level",)),
    ("level_end", "A level ended, won or lost.", ("level", "success", "score", "duration_ms")),
    ("score", "The score changed (coalesced, at most once a second).", ("score", "delta", "level")),
    ("ad_impression", "A simulated ad was shown.", ("placement", "format")),
    ("game_error", "An uncaught error or rejected promise in the game.", ("message", "source", "line")),
)
STANDARD_EVENT_NAMES = tuple(name for name, _, _ in STANDARD_EVENTS)

# Moments the runtime itself gives a sound to; a mechanic adds its own cues.
RUNTIME_CUES: dict[str, str] = {"level_complete": "win", "game_over": "lose", "life_lost": "hit"}


def _no_control_chars(value: str) -> str:
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        raise PydanticCustomError("control_chars", "must not contain control characters")
    return value


Text = Annotated[str, StringConstraints(min_length=1)]


class Palette(StrictModel):
    """Named colours of the game; `extra` feeds mechanics that need more (match-3 gem colours)."""

    background: HexColor
    surface: HexColor
    primary: HexColor
    secondary: HexColor
    accent: HexColor
    danger: HexColor
    text: HexColor
    extra: list[HexColor] = Field(default_factory=list, max_length=limits.PALETTE_EXTRA_MAX)


class Theme(StrictModel):
    setting: Annotated[str, StringConstraints(min_length=1, max_length=limits.SETTING_MAX_CHARS)]
    mood: Annotated[str, StringConstraints(min_length=1, max_length=limits.MOOD_MAX_CHARS)]
    art_style: ArtStyle
    palette: Palette

    _clean = field_validator("setting", "mood")(_no_control_chars)


class Controls(StrictModel):
    keyboard: bool = True
    pointer: bool = True
    touch: bool = True
    touch_layout: TouchLayout

    @model_validator(mode="after")
    def _some_input(self):
        if not (self.keyboard or self.pointer or self.touch):
            raise PydanticCustomError("no_controls", "at least one of keyboard, pointer, touch must be on")
        return self


class DifficultyCurve(StrictModel):
    """Difficulty from the first level (`start`) to the last (`end`), 0 = easiest, 1 = hardest."""

    start: float = Field(ge=0.0, le=1.0)
    end: float = Field(ge=0.0, le=1.0)
    shape: CurveShape = "linear"

    def values(self, count: int) -> list[float]:
        """One difficulty per level, following the curve's shape."""
        out = []
        for index in range(count):
            t = index / (count - 1) if count > 1 else 0.0
            if self.shape == "ease_in":
                t = t * t
            elif self.shape == "ease_out":
                t = 1 - (1 - t) * (1 - t)
            elif self.shape == "steps":
                t = min(1.0, int(t * 4) / 3) if count > 1 else 0.0
            out.append(round(self.start + (self.end - self.start) * t, 4))
        return out


class Scoring(StrictModel):
    base_points: int = Field(default=10, ge=1, le=limits.MAX_BASE_POINTS)
    level_bonus: int = Field(default=100, ge=0, le=limits.MAX_LEVEL_BONUS)
    time_bonus_per_second: int = Field(default=0, ge=0, le=limits.MAX_TIME_BONUS_PER_SECOND)
    high_score: bool = True


class Rules(StrictModel):
    lives: int = Field(default=3, ge=1, le=limits.MAX_LIVES)
    # Per level; a level's own `time_limit_s` wins over it.
    time_limit_s: int | None = Field(default=None, ge=limits.MIN_TIME_LIMIT_S, le=limits.MAX_TIME_LIMIT_S)
    win: Annotated[str, StringConstraints(min_length=1, max_length=limits.RULE_TEXT_MAX_CHARS)]
    lose: Annotated[str, StringConstraints(min_length=1, max_length=limits.RULE_TEXT_MAX_CHARS)]

    _clean = field_validator("win", "lose")(_no_control_chars)


class AudioCue(StrictModel):
    cue: EventName
    sound: Sound


class Audio(StrictModel):
    enabled: bool = True
    volume: float = Field(default=0.7, ge=0.0, le=1.0)
    cues: list[AudioCue] = Field(default_factory=list, max_length=limits.MAX_AUDIO_CUES)


class AnalyticsEvent(StrictModel):
    name: EventName
    description: Annotated[str, StringConstraints(max_length=200)] = ""
    params: list[EventName] = Field(default_factory=list, max_length=limits.ANALYTICS_EVENT_PARAMS_MAX)


class Analytics(StrictModel):
    events: list[AnalyticsEvent] = Field(default_factory=list, max_length=limits.MAX_ANALYTICS_EVENTS)


class AdPlacement(StrictModel):
    """A simulated ad slot: `rewarded` on game over offers a continue, on level complete a bonus."""

    id: EventName
    format: AdFormat
    trigger: AdTrigger
    every: int = Field(default=1, ge=1, le=limits.MAX_AD_EVERY)

    @model_validator(mode="after")
    def _sensible(self):
        if self.format == "rewarded" and self.trigger == "title":
            raise PydanticCustomError(
                "ad_trigger", "a rewarded ad needs a reward: use game_over or level_complete"
            )
        return self


AssetId = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=limits.ASSET_ID_MAX_CHARS)
]
Subject = Annotated[str, StringConstraints(min_length=1, max_length=limits.SUBJECT_MAX_CHARS)]


class CastMember(StrictModel):
    """One thing the game depicts: its role in the mechanic, an English noun, its picture.

    `asset` is an icon id of the installed emoji set (generation/cast.py: Noto Emoji, Apache-2.0).
    """

    role: Role
    subject: Subject
    asset: AssetId

    _clean = field_validator("subject")(_no_control_chars)


class CastSource(StrictModel):
    """Where a cast member came from: the prompt's word that named it, and how it was found."""

    role: Role
    subject: Subject
    word: Annotated[str, StringConstraints(max_length=limits.SUBJECT_MAX_CHARS)] = ""
    via: Annotated[str, StringConstraints(max_length=limits.REASON_MAX_CHARS)] = ""


class Provenance(StrictModel):
    """Who designed the spec and why; never a timestamp (the same spec must give the same bundle)."""

    provider: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,29}$")]
    model: Annotated[str, StringConstraints(max_length=limits.MODEL_NAME_MAX_CHARS)] = ""
    prompt: Annotated[str, StringConstraints(max_length=limits.PROMPT_MAX_CHARS)] = ""
    seed: int = Field(default=0, ge=0, le=limits.MAX_SEED)
    reasons: list[Annotated[str, StringConstraints(max_length=limits.REASON_MAX_CHARS)]] = Field(
        default_factory=list, max_length=limits.MAX_PROVENANCE_REASONS
    )
    fallback: Annotated[str, StringConstraints(max_length=limits.REASON_MAX_CHARS)] = ""
    # Which words of the prompt became which member of the cast (empty: the mechanic's own cast).
    cast: list[CastSource] = Field(default_factory=list, max_length=limits.MAX_CAST)


class GameSpec(StrictModel):
    """One game, version 1. `params` and `levels` are the mechanic's own models."""

    spec_version: Literal[1] = 1
    title: Annotated[str, StringConstraints(min_length=1, max_length=limits.TITLE_MAX_CHARS)]
    slug: Slug
    description: Annotated[str, StringConstraints(max_length=limits.DESCRIPTION_MAX_CHARS)] = ""
    genre: Genre
    mechanic: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,39}$")]
    params: SerializeAsAny[MechanicParams]
    theme: Theme
    controls: Controls
    levels: list[SerializeAsAny[MechanicLevel]] = Field(
        min_length=limits.MIN_LEVELS, max_length=limits.MAX_LEVELS
    )
    difficulty: DifficultyCurve
    scoring: Scoring = Field(default_factory=Scoring)
    rules: Rules
    tutorial: list[
        Annotated[str, StringConstraints(min_length=1, max_length=limits.TUTORIAL_LINE_MAX_CHARS)]
    ] = Field(default_factory=list, max_length=limits.TUTORIAL_MAX_LINES)
    audio: Audio = Field(default_factory=Audio)
    analytics: Analytics = Field(default_factory=Analytics)
    ads: list[AdPlacement] = Field(default_factory=list, max_length=limits.MAX_AD_PLACEMENTS)
    multiplayer: bool = False
    # What the game depicts, role by role; roles the list leaves out get the mechanic's defaults.
    cast: list[CastMember] = Field(default_factory=list, max_length=limits.MAX_CAST)
    provenance: Provenance

    _clean = field_validator("title", "description")(_no_control_chars)

    @field_validator("tutorial")
    @classmethod
    def _clean_tutorial(cls, lines: list[str]) -> list[str]:
        return [_no_control_chars(line) for line in lines]

    # -- mechanic-specific parts ------------------------------------------------------------

    @model_validator(mode="wrap")
    @classmethod
    def _mechanic_parts(cls, data: Any, handler):
        """Validate `params` and `levels` with the mechanic's models, keeping each error's path."""
        if not isinstance(data, dict):
            return handler(data)
        data = dict(data)
        errors: list[InitErrorDetails] = []
        definition = mechanic_get(data.get("mechanic"))
        if definition is None and isinstance(data.get("mechanic"), str):
            known = ", ".join(mechanic_registry())
            errors.append(
                _error(
                    "unknown_mechanic", f"unknown mechanic; known: {known}", ("mechanic",), data["mechanic"]
                )
            )
        levels_valid = False
        raw_levels = data.get("levels")
        too_many = isinstance(raw_levels, list) and len(raw_levels) > limits.MAX_LEVELS
        if too_many:
            # Counted first: 10,000 levels are one error on the list, and no level is looked at.
            errors.append(_too_many_levels(len(raw_levels)))
        if definition is None:
            # Without a mechanic nothing can check params and levels; report only what is wrong.
            data["params"] = MechanicParams()
            if isinstance(raw_levels, list):
                data["levels"] = [MechanicLevel.model_construct() for _ in raw_levels[: limits.MAX_LEVELS]]
        else:
            raw_params = data.get("params", {})
            if isinstance(raw_params, MechanicParams) and not isinstance(raw_params, definition.Params):
                raw_params = raw_params.model_dump()
            try:
                data["params"] = definition.Params.model_validate(raw_params)
            except ValidationError as exc:
                errors.extend(_relocated(exc, ("params",)))
                data["params"] = definition.Params()
            if too_many or (isinstance(raw_levels, list) and not raw_levels):
                # The length error alone, not one error per level.
                data["levels"] = [definition.Level.model_construct()] if too_many else []
            elif isinstance(raw_levels, list):
                levels = []
                levels_valid = True
                for index, raw in enumerate(raw_levels):
                    if isinstance(raw, MechanicLevel) and not isinstance(raw, definition.Level):
                        raw = raw.model_dump()
                    try:
                        levels.append(definition.Level.model_validate(raw))
                    except ValidationError as exc:
                        levels_valid = False
                        errors.extend(_relocated(exc, ("levels", index)))
                        levels.append(definition.Level.model_construct())
                data["levels"] = levels

        spec = None
        try:
            spec = handler(data)
        except ValidationError as exc:
            errors.extend(_relocated(exc, ()))
        if spec is not None and definition is not None:
            errors.extend(spec._check_against(definition, check_levels=levels_valid))
        if errors:
            raise ValidationError.from_exception_data(cls.__name__, _dedupe(errors))
        return spec

    def _check_against(self, definition, *, check_levels: bool) -> list[InitErrorDetails]:
        errors: list[InitErrorDetails] = []
        if check_levels:
            for index, level in enumerate(self.levels):
                for problem in definition.validate_level(level, self.params):
                    errors.append(_error("level_invalid", problem, ("levels", index), None))
        known_cues = set(definition.audio_cues) | set(RUNTIME_CUES)
        for index, cue in enumerate(self.audio.cues):
            if cue.cue not in known_cues:
                errors.append(
                    _error(
                        "unknown_cue",
                        f"unknown cue; known: {', '.join(sorted(known_cues))}",
                        ("audio", "cues", index, "cue"),
                        cue.cue,
                    )  # fmt: skip
                )
        if self.controls.touch_layout not in definition.touch_layouts:
            errors.append(
                _error(
                    "touch_layout",
                    f"{definition.slug} supports: {', '.join(definition.touch_layouts)}",
                    ("controls", "touch_layout"),
                    self.controls.touch_layout,
                )  # fmt: skip
            )
        seen: set[str] = set()
        for index, event in enumerate(self.analytics.events):
            if event.name in seen:
                errors.append(
                    _error(
                        "duplicate",
                        "event declared twice",
                        ("analytics", "events", index, "name"),
                        event.name,
                    )
                )
            seen.add(event.name)
        # The runtime and the mechanic emit these whatever the spec says: declare them.
        missing = [
            AnalyticsEvent(name=name, description=desc, params=list(params))
            for name, desc, params in STANDARD_EVENTS + tuple((e.name, e.description, e.params) for e in definition.events)
            if name not in seen
        ]  # fmt: skip
        if missing and len(self.analytics.events) + len(missing) <= limits.MAX_ANALYTICS_EVENTS:
            self.analytics.events = missing + self.analytics.events
        elif missing:
            errors.append(
                _error("too_many", "no room left for the standard events", ("analytics", "events"), None)
            )
        errors.extend(self._check_cast(definition))
        ids: set[str] = set()
        for index, ad in enumerate(self.ads):
            if ad.id in ids:
                errors.append(_error("duplicate", "ad placement id used twice", ("ads", index, "id"), ad.id))
            ids.add(ad.id)
        return errors

    def _check_cast(self, definition) -> list[InitErrorDetails]:
        """Roles the mechanic shows, assets the set has; then every role of the mechanic filled."""
        from generation.cast import CastIndexUnavailable, asset_exists, cast_complete, mechanic_roles

        errors: list[InitErrorDetails] = []
        roles = mechanic_roles(definition)
        counts: dict[str, int] = {}
        try:
            for index, member in enumerate(self.cast):
                counts[member.role] = counts.get(member.role, 0) + 1
                if member.role not in roles:
                    known = ", ".join(roles) or "none"
                    errors.append(_error("unknown_role", f"{definition.slug} has no {member.role}; its roles: {known}",
                                         ("cast", index, "role"), member.role))  # fmt: skip
                elif counts[member.role] > roles[member.role]:
                    errors.append(_error("too_many", f"{definition.slug} shows at most {roles[member.role]} {member.role}",
                                         ("cast", index, "role"), member.role))  # fmt: skip
                if not asset_exists(member.asset):
                    errors.append(_error("unknown_asset", "no such picture in the emoji set",
                                         ("cast", index, "asset"), member.asset))  # fmt: skip
            if not errors:
                completed = cast_complete(definition, [m.model_dump() for m in self.cast])
                self.cast = [CastMember.model_validate(member) for member in completed]
        except CastIndexUnavailable as exc:
            errors.append(_error("cast_unavailable", str(exc), ("cast",), None))
        return errors

    # -- helpers ----------------------------------------------------------------------------

    @property
    def definition(self):
        return mechanic_get(self.mechanic)

    def canonical_json(self) -> str:
        """The spec as canonical JSON (sorted keys, no spaces): what is hashed and shipped."""
        return json.dumps(
            self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )

    def content_hash(self) -> str:
        return hashlib.sha256(self.canonical_json().encode()).hexdigest()

    def cue_map(self) -> dict[str, str]:
        """Cue name -> sound for every cue the game knows (spec overrides the mechanic's defaults)."""
        out = dict(RUNTIME_CUES)
        definition = self.definition
        if definition is not None:
            out.update(definition.audio_cues)
        out.update({cue.cue: cue.sound for cue in self.audio.cues})
        return out

    @classmethod
    def model_json_schema(cls, *args, **kwargs) -> dict[str, Any]:
        """JSON Schema of GameSpec, with each mechanic's `params`/`levels` under `if mechanic == slug`."""
        return _with_mechanics(super().model_json_schema(*args, **kwargs), mechanic=None)

    @classmethod
    def json_schema_for(cls, mechanic: str) -> dict[str, Any]:
        """JSON Schema where `params` and `levels` are `mechanic`'s own (no if/then: LLM friendly)."""
        return _with_mechanics(super().model_json_schema(), mechanic=mechanic)


def spec_json_schema(*, mechanic: str | None = None) -> dict[str, Any]:
    """GameSpec's JSON Schema; with `mechanic`, `params` and `levels` are that mechanic's own (for LLMs)."""
    if mechanic is None:
        return GameSpec.model_json_schema()
    if mechanic_get(mechanic) is None:
        raise ApplicationError.for_field(
            "mechanic", f"Unknown mechanic {mechanic!r}.", code="unknown_mechanic"
        )
    return GameSpec.json_schema_for(mechanic)


def spec_validate(data: Any) -> GameSpec:
    """Validate a spec (a dict, JSON text or a GameSpec) or raise ApplicationError.

    `fields` maps the dotted path of each offending field (`levels.3.grid`) to its messages.
    """
    if isinstance(data, GameSpec):
        data = data.model_dump(mode="json")
    if isinstance(data, bytes | str):
        try:
            data = json.loads(data)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ApplicationError.for_field(
                "spec", f"The spec is not valid JSON: {exc}", code="invalid_spec"
            ) from exc
    if not isinstance(data, dict):
        raise ApplicationError.for_field("spec", "The spec must be a JSON object.", code="invalid_spec")
    try:
        return GameSpec.model_validate(data)
    except ValidationError as exc:
        fields = spec_error_fields(exc)
        first = next(iter(fields))
        raise ApplicationError(
            f"The game spec is invalid: {first}: {fields[first][0]}", code="invalid_spec", fields=fields
        ) from exc


def _too_many_levels(count: int) -> InitErrorDetails:
    message = f"List should have at most {limits.MAX_LEVELS} items, not {count}"
    return _error("too_long", message, ("levels",), None)


def spec_error_fields(exc: ValidationError) -> dict[str, list[str]]:
    """Pydantic errors as {dotted.path: [messages]} ("non_field_errors" for the root)."""
    fields: dict[str, list[str]] = {}
    for err in exc.errors():
        path = ".".join(str(part) for part in err["loc"]) or "non_field_errors"
        fields.setdefault(path, []).append(err["msg"])
    return fields


# --- internals ----------------------------------------------------------------------------------


def _error(kind: str, message: str, loc: tuple, value: Any) -> InitErrorDetails:
    return InitErrorDetails(type=PydanticCustomError(kind, message.replace("{", "(").replace("}", ")")),
                            loc=loc, input=value)  # fmt: skip


def _relocated(exc: ValidationError, prefix: tuple) -> list[InitErrorDetails]:
    out = []
    for err in exc.errors():
        loc = prefix + tuple(err["loc"])
        out.append(_error(err["type"], err["msg"], loc, err.get("input")))
    return out


def _dedupe(errors: list[InitErrorDetails]) -> list[InitErrorDetails]:
    """Drop the generic errors pydantic reports again for params/levels we already located."""
    located = {tuple(e["loc"]) for e in errors}
    seen: set[tuple] = set()
    out = []
    for err in errors:
        key = (tuple(err["loc"]), str(err["type"]))
        if key in seen:
            continue
        seen.add(key)
        loc = tuple(err["loc"])
        if loc in {("params",), ("levels",)} and any(
            other[:1] == loc[:1] and len(other) > 1 for other in located
        ):
            continue
        out.append(err)
    return out


def _inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """Resolve `$ref`s to the schema's own `$defs` in place (mechanic models are not recursive)."""
    defs = schema.pop("$defs", {})

    def walk(node):
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                target = copy.deepcopy(defs[ref.rsplit("/", 1)[1]])
                rest = {k: v for k, v in node.items() if k != "$ref"}
                return walk({**target, **rest})
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(schema)


def _mechanic_schemas(slug: str) -> tuple[dict, dict]:
    definition = mechanic_get(slug)
    return (
        _inline_refs(definition.Params.model_json_schema()),
        _inline_refs(definition.Level.model_json_schema()),
    )


def _with_mechanics(schema: dict[str, Any], *, mechanic: str | None) -> dict[str, Any]:
    schema = copy.deepcopy(schema)
    for name in ("MechanicParams", "MechanicLevel"):
        schema.get("$defs", {}).pop(name, None)
    props = schema["properties"]
    slugs = [mechanic] if mechanic else list(mechanic_registry())
    props["mechanic"] = {"type": "string", "enum": slugs, "title": "Mechanic",
                         "description": "The mechanic's slug; it decides the shape of params and levels."}  # fmt: skip
    levels = {k: v for k, v in props["levels"].items() if k in {"minItems", "maxItems", "title"}}
    if mechanic:
        params_schema, level_schema = _mechanic_schemas(mechanic)
        props["params"] = params_schema
        props["levels"] = {"type": "array", "items": level_schema, **levels}
        return schema
    props["params"] = {"type": "object", "title": "Params", "description": "The mechanic's parameters."}
    props["levels"] = {"type": "array", "items": {"type": "object"}, **levels,
                       "description": "The mechanic's level data."}  # fmt: skip
    branches = []
    for slug in slugs:
        params_schema, level_schema = _mechanic_schemas(slug)
        branches.append(
            {
                "if": {"properties": {"mechanic": {"const": slug}}, "required": ["mechanic"]},
                "then": {"properties": {"params": params_schema, "levels": {"items": level_schema}}},
            }
        )
    schema["allOf"] = branches
    return schema
