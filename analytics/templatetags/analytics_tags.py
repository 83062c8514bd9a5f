"""Formatting of analytics numbers in pages: money from USD micros, rates, durations."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


@register.filter
def usd(micros):
    """USD micros as dollars: cents above a dollar, four decimals below (ad revenue is small)."""
    if micros is None or micros == "":
        return "–"
    value = Decimal(int(micros)) / Decimal(1_000_000)
    places = Decimal("0.01") if abs(value) >= 1 or value == 0 else Decimal("0.0001")
    return f"${value.quantize(places, rounding=ROUND_HALF_UP):,}"


@register.filter
def pct(rate):
    if rate is None or rate == "":
        return "–"
    return f"{float(rate) * 100:.1f}%"


@register.filter
def duration(seconds):
    if seconds is None or seconds == "":
        return "–"
    seconds = float(seconds)
    if seconds < 60:
        return f"{seconds:.0f}s"
    minutes, rest = divmod(int(round(seconds)), 60)
    if minutes < 60:
        return f"{minutes}m {rest:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"


@register.filter
def dash(value):
    return "–" if value is None or value == "" else value
