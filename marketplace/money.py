"""Parsing and showing money: integer cents of the platform's one currency, never float.

A price comes in as `price_cents` (a JSON integer) or `price` (a string of at most two decimals,
"2.99"). Anything else (floats, "1e3", "NaN", "-1", "2.999", true) is refused on its field.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from gamefactory.errors import ApplicationError

_DECIMAL_RE = re.compile(r"^(0|[1-9][0-9]{0,8})(\.[0-9]{1,2})?$")


def currency() -> str:
    return settings.MARKETPLACE_CURRENCY


def cents_from_input(*, value, field: str, maximum: int, allow_zero: bool = True) -> int:
    """Integer cents from a JSON integer (cents) or a decimal string (major units), checked."""
    if isinstance(value, bool) or value is None:
        raise ApplicationError.for_field(field, "An amount is required.", code="invalid_amount")
    if isinstance(value, int):
        cents = value
    elif isinstance(value, str):
        text = value.strip()
        if not _DECIMAL_RE.match(text):
            raise ApplicationError.for_field(
                field,
                'Send the amount as a string with at most two decimals, like "2.99" (no sign, exponent, NaN).',
                code="invalid_amount",
            )
        cents = int((Decimal(text) * 100).to_integral_value())
    else:
        # A JSON float is refused: 2.99 is not exactly representable, and money must be exact.
        raise ApplicationError.for_field(
            field,
            'Send money as integer cents or a decimal string like "2.99", never a float.',
            code="invalid_amount",
        )
    if cents < 0:
        raise ApplicationError.for_field(field, "An amount cannot be negative.", code="negative_amount")
    if cents == 0 and not allow_zero:
        raise ApplicationError.for_field(field, "The amount must be more than zero.", code="invalid_amount")
    if cents > maximum:
        raise ApplicationError.for_field(
            field, f"At most {format_cents(maximum)} here.", code="amount_too_large"
        )
    return cents


def amount_from_payload(data: dict, *, major: str, cents: str, maximum: int, allow_zero: bool = True) -> int:
    """One of `major` (decimal string) or `cents` (integer) from a request body."""
    has_major, has_cents = major in data, cents in data
    if has_major and has_cents:
        raise ApplicationError.for_field(
            major, f"Send {major} or {cents}, not both.", code="ambiguous_amount"
        )
    if not has_major and not has_cents:
        raise ApplicationError.for_field(major, "This field is required.", code="required")
    if has_cents:
        value = data[cents]
        if isinstance(value, str):
            raise ApplicationError.for_field(
                cents, "Cents are a whole number, not a string.", code="invalid_amount"
            )
        return cents_from_input(value=value, field=cents, maximum=maximum, allow_zero=allow_zero)
    value = data[major]
    if isinstance(value, int) and not isinstance(value, bool):
        raise ApplicationError.for_field(
            major,
            f'{major} is a decimal string like "2.99"; send integers as {cents}.',
            code="invalid_amount",
        )
    return cents_from_input(value=value, field=major, maximum=maximum, allow_zero=allow_zero)


def currency_check(value, *, field: str = "currency") -> str:
    expected = currency()
    if value is None or value == "":
        return expected
    if not isinstance(value, str) or value.upper() != expected:
        raise ApplicationError.for_field(
            field, f"Prices here are in {expected}; {value!r} does not match.", code="currency_mismatch"
        )
    return expected


def commission_of(*, amount_cents: int, rate: Decimal) -> int:
    """The platform's share, rounded half up to a cent."""
    return int((Decimal(amount_cents) * rate).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def proportional_part(*, total_part: int, amount: int, cumulative: int) -> int:
    """`total_part` × cumulative / amount, rounded half up: the part covered once `cumulative` is refunded.

    Taking differences of this between successive refunds makes partial refunds add up exactly to
    the full part when everything is refunded, whatever the rounding of each one."""
    if amount == 0:
        return 0
    return int((Decimal(total_part) * cumulative / amount).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def format_cents(cents: int | None, code: str | None = None) -> str:
    if cents is None:
        return "–"
    code = code or currency()
    symbol = {"EUR": "€", "USD": "$", "GBP": "£"}.get(code)
    sign = "−" if cents < 0 else ""
    major = f"{abs(cents) // 100:,}.{abs(cents) % 100:02d}"
    return f"{sign}{symbol}{major}" if symbol else f"{sign}{major} {code}"


def decimal_string(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"
