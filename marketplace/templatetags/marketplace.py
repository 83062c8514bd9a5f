"""Marketplace pieces other apps' templates show: the price on a catalogue card, the offer on a game page.

`{% load marketplace %}{% card_price game %}`: nothing for a game that is not sold for money (no
query); for paid games, one query per rendered page (prices of every game of the page at once).
`{% game_offer game %}`: the price, the buy button or "in your library", and "sell" for its creator.
"""

from django import template
from django.conf import settings

from marketplace import money, selectors, stripe_gateway

register = template.Library()
MEMO_KEY = "_marketplace_prices"


@register.filter
def cents(value):
    return money.format_cents(value)


def _page_games(context) -> list:
    games = []
    page = context.get("page")
    if page is not None and hasattr(page, "object_list"):
        games.extend(page.object_list)
    games.extend(context.get("featured") or [])
    return [g for g in games if getattr(g, "play_restricted", False)]


@register.inclusion_tag("marketplace/_card_price.html", takes_context=True)
def card_price(context, game):
    if not getattr(game, "play_restricted", False):
        return {"listing": None}
    # Kept on the page's root context: each card is an {% include %}, whose render_context is its own.
    root = context.dicts[0]
    memo = root.get(MEMO_KEY)
    if memo is None or game.pk not in memo:
        ids = {g.pk for g in _page_games(context)} | {game.pk}
        memo = {**(memo or {}), **dict.fromkeys(ids), **selectors.prices_for(ids)}
        root[MEMO_KEY] = memo
    return {"listing": memo.get(game.pk)}


@register.inclusion_tag("marketplace/_offer.html", takes_context=True)
def game_offer(context, game):
    user = context.get("user")
    listing = selectors.listing_of_game(game=game)
    is_seller = bool(user and user.is_authenticated and user.pk == game.creator_id)
    owned = selectors.purchase_live(game=game, user=user) if listing and not is_seller else None
    rate = listing.commission_rate if listing else settings.MARKETPLACE_COMMISSION_RATE
    return {
        "game": game,
        "seller_pct": int(round(100 - rate * 100)),
        "listing": listing if listing and (listing.is_active or is_seller) else None,
        "owned": owned,
        "is_seller": is_seller,
        "user": user,
        "can_sell": is_seller and game.is_public and game.status == "active",
        "stripe": stripe_gateway.configured(),
    }
