"""The standard analytics events and their typed params: the one source of truth.

Ingestion validates every standard event against this module; the factory's step 4 exports it as a
machine-readable file with `taxonomy_as_dict()` (JSON-serialisable, versioned), and generated games
send exactly these names and params. Custom events are named `design:<anything>` and carry free,
flat params (strings, numbers, booleans), bounded in size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from analytics import limits

TAXONOMY_VERSION = 1


@dataclass(frozen=True)
class Param:
    name: str
    type: str  # "int", "number", "string" or "bool"
    required: bool = False
    description: str = ""
    minimum: int | None = None
    maximum: int | None = None
    max_length: int = limits.MAX_PARAM_STRING_LENGTH
    choices: tuple[str, ...] = ()
    pattern_help: str = ""

    def as_dict(self) -> dict:
        out: dict = {"name": self.name, "type": self.type, "required": self.required}
        if self.description:
            out["description"] = self.description
        if self.minimum is not None:
            out["minimum"] = self.minimum
        if self.maximum is not None:
            out["maximum"] = self.maximum
        if self.type == "string":
            out["max_length"] = self.max_length
        if self.choices:
            out["choices"] = list(self.choices)
        return out


@dataclass(frozen=True)
class EventType:
    name: str
    description: str
    params: tuple[Param, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict:
        return {
            "name": self.name,
            "description": self.description,
            "params": [p.as_dict() for p in self.params],
        }


_LEVEL = Param("level", "int", required=True, minimum=1, maximum=100_000, description="1-based level number")
_DURATION = Param("duration_ms", "int", minimum=0, maximum=7 * 24 * 3600 * 1000, description="milliseconds")
_MONEY = (
    Param("item", "string", required=True, max_length=64, description="what was bought (SKU)"),
    Param(
        "amount_cents",
        "int",
        required=True,
        minimum=0,
        maximum=10_000_000,
        description="price paid, in cents of `currency`",
    ),
    Param(
        "currency",
        "string",
        required=True,
        max_length=3,
        choices=(limits.REVENUE_CURRENCY,),
        description="ISO 4217 code; revenue is reported in USD only",
    ),
    Param("transaction_id", "string", max_length=128, description="the store's transaction id"),
)

STANDARD_EVENTS: dict[str, EventType] = {
    e.name: e
    for e in (
        EventType(
            "session_start",
            "The game was opened or resumed.",
            (Param("entry", "string", max_length=64, description="where the player came from"),),
        ),
        EventType("session_end", "The game was closed or hidden.", (_DURATION,)),
        EventType(
            "level_start",
            "A level began.",
            (_LEVEL, Param("attempt", "int", minimum=1, maximum=100_000, description="1 for the first try")),
        ),
        EventType(
            "level_end",
            "A level ended, won or lost.",
            (
                _LEVEL,
                Param("success", "bool", required=True, description="true when the level was passed"),
                Param("score", "int", minimum=-limits.MAX_INT, maximum=limits.MAX_INT),
                _DURATION,
            ),
        ),
        EventType(
            "score",
            "The score changed or was final.",
            (
                Param("value", "int", required=True, minimum=-limits.MAX_INT, maximum=limits.MAX_INT),
                Param("level", "int", minimum=1, maximum=100_000),
            ),
        ),
        EventType(
            "ad_impression",
            "An ad was shown.",
            (
                Param("placement", "string", required=True, max_length=64, description="where in the game"),
                Param(
                    "ad_type",
                    "string",
                    required=True,
                    choices=("banner", "interstitial", "rewarded"),
                ),
                Param(
                    "revenue_micros",
                    "int",
                    minimum=0,
                    maximum=100_000_000,
                    description="estimated revenue of this impression in USD micros (1 USD = 1,000,000)",
                ),
                Param("network", "string", max_length=64),
            ),
        ),
        EventType("purchase", "An in-game purchase was paid.", _MONEY),
        EventType("refund", "A purchase was refunded.", _MONEY),
        EventType(
            "tutorial_begin",
            "The tutorial began.",
            (Param("step", "int", minimum=0, maximum=1000),),
        ),
        EventType("tutorial_complete", "The tutorial was finished.", (_DURATION,)),
        EventType(
            "game_error",
            "The game caught an error.",
            (
                Param("message", "string", required=True, max_length=500),
                Param("severity", "string", choices=("warning", "error", "fatal")),
                Param("source", "string", max_length=200, description="file:line or module"),
            ),
        ),
    )
}


def taxonomy_as_dict() -> dict:
    """The taxonomy as plain data, for the factory's machine-readable export (JSON)."""
    return {
        "version": TAXONOMY_VERSION,
        "custom_event_prefix": limits.CUSTOM_EVENT_PREFIX,
        "event_fields": {
            "id": "UUID made by the client; the dedupe key (required)",
            "name": "a standard name below or design:<name> (required)",
            "ts": "ISO 8601 with offset, or epoch milliseconds (required)",
            "player_id": f"anonymous install id, 1-{limits.MAX_PLAYER_ID_LENGTH} characters (required)",
            "session_id": f"the client's session id, up to {limits.MAX_SESSION_ID_LENGTH} characters",
            "platform": " | ".join(limits.PLATFORMS),
            "build": f"build version, up to {limits.MAX_BUILD_LENGTH} characters",
            "params": "flat object; typed below for standard events",
        },
        "limits": {
            "max_params": limits.MAX_PARAMS,
            "max_param_key_length": limits.MAX_PARAM_KEY_LENGTH,
            "max_param_string_length": limits.MAX_PARAM_STRING_LENGTH,
            "max_params_bytes": limits.MAX_PARAMS_BYTES,
            "max_future_hours": int(limits.MAX_FUTURE.total_seconds() // 3600),
            "max_late_days": limits.MAX_LATE.days,
        },
        "events": [e.as_dict() for e in STANDARD_EVENTS.values()],
    }


def text_ok(value: str) -> bool:
    """Storable text: no NUL and no lone surrogate (PostgreSQL refuses both)."""
    if "\x00" in value:
        return False
    if value.isascii():
        return True
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


class ParamError(ValueError):
    """One param is wrong: `field` names it (`params.level`), `code` says how."""

    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.code = code
        self.message = message


def _check_value(param: Param, value):
    where = f"params.{param.name}"
    kind = param.type
    if kind == "int":
        # bool is an int in Python, never in our taxonomy; 3.0 from JavaScript is accepted as 3.
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ParamError(where, "invalid_param", f"{where} must be an integer.")
        if isinstance(value, float):
            if not value.is_integer():
                raise ParamError(where, "invalid_param", f"{where} must be an integer.")
            value = int(value)
    elif kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise ParamError(where, "invalid_param", f"{where} must be a number.")
    elif kind == "bool":
        if not isinstance(value, bool):
            raise ParamError(where, "invalid_param", f"{where} must be true or false.")
        return value
    elif kind == "string":
        if not isinstance(value, str):
            raise ParamError(where, "invalid_param", f"{where} must be a string.")
        if len(value) > param.max_length:
            raise ParamError(where, "invalid_param", f"{where} is longer than {param.max_length} characters.")
        if not text_ok(value):
            raise ParamError(where, "invalid_param", f"{where} holds characters that cannot be stored.")
        if param.choices and value not in param.choices:
            raise ParamError(where, "invalid_param", f"{where} must be one of: {', '.join(param.choices)}.")
        return value
    if param.minimum is not None and value < param.minimum:
        raise ParamError(where, "invalid_param", f"{where} must be at least {param.minimum}.")
    if param.maximum is not None and value > param.maximum:
        raise ParamError(where, "invalid_param", f"{where} must be at most {param.maximum}.")
    return value


def validate_standard_params(event: EventType, params: dict) -> dict:
    """The params of a standard event, type-checked; raises ParamError naming the first bad one."""
    by_name = {p.name: p for p in event.params}
    for key in params:
        if key not in by_name:
            raise ParamError(
                f"params.{key}",
                "unknown_param",
                f"params.{key} is not a param of {event.name}; "
                f"allowed: {', '.join(by_name) or 'none'} (use a design: event for free params).",
            )
    out = {}
    for param in event.params:
        if param.name not in params or params[param.name] is None:
            if param.required:
                raise ParamError(
                    f"params.{param.name}",
                    "missing_param",
                    f"params.{param.name} is required for {event.name}.",
                )
            continue
        out[param.name] = _check_value(param, params[param.name])
    return out


def validate_custom_params(params: dict) -> dict:
    """Free params of a design: event: flat scalars, bounded keys and strings."""
    for key, value in params.items():
        if len(key) > limits.MAX_PARAM_KEY_LENGTH or not key or not text_ok(key):
            raise ParamError(
                "params", "invalid_param", f"Param names must be 1-{limits.MAX_PARAM_KEY_LENGTH} characters."
            )
        where = f"params.{key}"
        if value is None or isinstance(value, bool):
            continue
        if isinstance(value, int):
            if abs(value) > limits.MAX_INT:
                raise ParamError(where, "invalid_param", f"{where} is out of range.")
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise ParamError(where, "invalid_param", f"{where} must be a finite number.")
        elif isinstance(value, str):
            if len(value) > limits.MAX_PARAM_STRING_LENGTH:
                raise ParamError(
                    where,
                    "invalid_param",
                    f"{where} is longer than {limits.MAX_PARAM_STRING_LENGTH} characters.",
                )
            if not text_ok(value):
                raise ParamError(where, "invalid_param", f"{where} holds characters that cannot be stored.")
        else:
            raise ParamError(
                where,
                "invalid_param",
                f"{where} must be a string, number, boolean or null (params are flat).",
            )
    return params
