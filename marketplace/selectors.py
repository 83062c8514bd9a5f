"""Reads of the marketplace, with related rows preloaded."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate

from gamefactory.errors import ApplicationError
from games.models import Game, Play
from marketplace import ledger
from marketplace.models import Listing, Purchase, Refund

SORTS = {
    "new": ("-created_at", "-id"),
    "price": ("price_cents", "-created_at", "-id"),
    "-price": ("-price_cents", "-created_at", "-id"),
    "popular": ("-sale_count", "-created_at", "-id"),
    "rating": ("-game__rating", "-created_at", "-id"),
}


def purchase_entitles(game: Game, user) -> bool:
    """The entitlement games/access.py asks about: a completed (not fully refunded) purchase."""
    return Purchase.objects.filter(game=game, buyer=user, status=Purchase.Status.COMPLETED).exists()


def listing_browse(
    *,
    category: str | None = None,
    free: bool | None = None,
    min_price_cents: int | None = None,
    max_price_cents: int | None = None,
    q: str | None = None,
    sort: str = "new",
) -> QuerySet[Listing]:
    """Active listings of games anyone can see, filtered and sorted; game and seller preloaded."""
    qs = Listing.objects.filter(is_active=True, game__status=Game.Status.ACTIVE, game__is_public=True)
    if category:
        qs = qs.filter(game__category=category)
    if free is True:
        qs = qs.filter(price_cents=0)
    elif free is False:
        qs = qs.filter(price_cents__gt=0)
    if min_price_cents is not None:
        qs = qs.filter(price_cents__gte=min_price_cents)
    if max_price_cents is not None:
        qs = qs.filter(price_cents__lte=max_price_cents)
    if q:
        qs = qs.filter(Q(game__title__icontains=q) | Q(blurb__icontains=q) | Q(seller__username__iexact=q))
    return (
        qs.select_related("game", "seller", "game__creator")
        .defer("game__spec", "game__provenance")
        .order_by(*SORTS.get(sort, SORTS["new"]))
    )


def _uuid_lookup(qs, ident, *fields):
    try:
        query = Q()
        for f in fields:
            query |= Q(**{f: ident})
        return qs.filter(query).first()
    except (ValueError, ValidationError):
        return None


def listing_get(*, ident, user=None) -> Listing:
    """A listing by its id or its game's id (the seed's GET /marketplace/{game_id}); 404 when hidden."""
    listing = _uuid_lookup(
        Listing.objects.select_related("game", "seller", "game__creator"), ident, "pk", "game_id"
    )
    if listing is None or not listing.game.can_view(user):
        raise ApplicationError("No such listing.", code="not_found", status=404)
    visible = listing.is_active or (
        user is not None and user.is_authenticated and (user.is_staff or user.pk == listing.seller_id)
    )
    if not visible:
        raise ApplicationError("No such listing.", code="not_found", status=404)
    return listing


def listing_for_purchase(*, ident) -> Listing:
    """A listing by id or game id, whatever its state: the purchase service says why it is refused."""
    listing = _uuid_lookup(Listing.objects.select_related("game", "seller"), ident, "pk", "game_id")
    if listing is None:
        raise ApplicationError.for_field("listing", "No such listing.", code="not_found", status=404)
    return listing


def listing_by_id(*, listing_id) -> Listing | None:
    """A listing by primary key with its game and seller, or None (also for a malformed id)."""
    if listing_id is None:
        return None
    return Listing.objects.select_related("game", "seller").filter(pk=listing_id).first()


def listing_of_game(*, game: Game) -> Listing | None:
    return Listing.objects.filter(game=game).first()


def prices_for(game_ids) -> dict:
    """{game id: listing} for the active paid-or-free listings of these games (one query)."""
    return {
        listing.game_id: listing
        for listing in Listing.objects.filter(game_id__in=list(game_ids), is_active=True).only(
            "id", "game_id", "price_cents", "currency", "is_active"
        )
    }


def purchase_live(*, game: Game, user) -> Purchase | None:
    if not (user and user.is_authenticated):
        return None
    return (
        Purchase.objects.filter(
            game=game, buyer=user, status__in=(Purchase.Status.PENDING, Purchase.Status.COMPLETED)
        )
        .order_by("-created_at")
        .first()
    )


def purchases_of(*, user) -> QuerySet[Purchase]:
    """The buyer's library and receipts, newest first."""
    return (
        Purchase.objects.filter(buyer=user)
        .select_related("game", "game__creator", "listing", "seller")
        .prefetch_related("refunds")
        .defer("game__spec", "game__provenance")
        .order_by("-created_at")
    )


def purchase_get(*, purchase_id, user) -> Purchase:
    """A purchase its buyer, its seller or staff may see (404 for anyone else)."""
    purchase = _uuid_lookup(
        Purchase.objects.select_related(
            "game", "game__creator", "listing", "seller", "buyer"
        ).prefetch_related("refunds"),
        purchase_id,
        "pk",
    )
    if purchase is None or not (
        user
        and user.is_authenticated
        and (user.is_staff or user.pk in (purchase.buyer_id, purchase.seller_id))
    ):
        raise ApplicationError("No such purchase.", code="not_found", status=404)
    return purchase


def wallet_of(*, user) -> dict:
    from marketplace.models import LedgerAccount, LedgerEntry

    balance = ledger.wallet_balance(user=user)
    entries = (
        LedgerEntry.objects.filter(account__kind=LedgerAccount.Kind.WALLET, account__user=user)
        .select_related("transaction")
        .order_by("-id")[:20]
    )
    return {"balance_cents": balance, "entries": list(entries)}


def seller_balance(*, user) -> int:
    from marketplace.models import LedgerAccount

    account = LedgerAccount.objects.filter(kind=LedgerAccount.Kind.SELLER, user=user).first()
    return ledger.balance_of(account)


def listings_of_seller(*, user) -> QuerySet[Listing]:
    return Listing.objects.filter(seller=user).select_related("game").defer("game__spec", "game__provenance")


# --- plays (one place to adjust while play counting is reworked) ------------------------------


def plays_per_day(*, game_ids, date_from: dt.date, date_to: dt.date) -> dict[dt.date, int]:
    """Plays started per UTC day of these games, from `games.Play`."""
    lo = dt.datetime.combine(date_from, dt.time.min, tzinfo=dt.UTC)
    hi = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)
    rows = (
        Play.objects.filter(game_id__in=list(game_ids), started_at__gte=lo, started_at__lt=hi)
        .annotate(day=TruncDate("started_at", tzinfo=dt.UTC))
        .values("day")
        .annotate(n=Count("id"))
    )
    return {row["day"]: row["n"] for row in rows}


# --- seller analytics ---------------------------------------------------------------------------


def sales_stats(*, seller, date_from: dt.date, date_to: dt.date, game_id=None) -> dict:
    """Per day: sales, gross revenue, refunds, commission, net after commission, plays, conversion."""
    listings = Listing.objects.filter(seller=seller)
    if game_id is not None:
        listings = listings.filter(game_id=game_id)
    game_ids = list(listings.values_list("game_id", flat=True))
    lo = dt.datetime.combine(date_from, dt.time.min, tzinfo=dt.UTC)
    hi = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)
    days: dict = defaultdict(lambda: defaultdict(int))
    for row in (
        Purchase.objects.filter(
            game_id__in=game_ids, seller=seller, completed_at__gte=lo, completed_at__lt=hi
        )
        .exclude(status__in=(Purchase.Status.PENDING, Purchase.Status.FAILED))
        .annotate(day=TruncDate("completed_at", tzinfo=dt.UTC))
        .values("day")
        .annotate(n=Count("id"), gross=Sum("amount_cents"), fee=Sum("commission_cents"))
    ):
        d = days[row["day"]]
        d["sales"] += row["n"]
        d["gross_cents"] += row["gross"] or 0
        d["commission_cents"] += row["fee"] or 0
    for refund in (
        Refund.objects.filter(
            purchase__game_id__in=game_ids,
            status=Refund.Status.COMPLETED,
            completed_at__gte=lo,
            completed_at__lt=hi,
        )
        .annotate(day=TruncDate("completed_at", tzinfo=dt.UTC))
        .values("day")
        .annotate(n=Count("id"), amount=Sum("amount_cents"), fee=Sum("commission_cents"))
    ):
        d = days[refund["day"]]
        d["refunds"] += refund["n"]
        d["refunds_cents"] += refund["amount"] or 0
        d["commission_cents"] -= refund["fee"] or 0
    plays = plays_per_day(game_ids=game_ids, date_from=date_from, date_to=date_to)
    out: list[dict[str, Any]] = []
    totals: defaultdict[str, Any] = defaultdict(int)
    day = date_from
    while day <= date_to:
        d = days.get(day, {})
        line: dict[str, Any] = {
            "date": day.isoformat(),
            "sales": d.get("sales", 0),
            "gross_cents": d.get("gross_cents", 0),
            "refunds": d.get("refunds", 0),
            "refunds_cents": d.get("refunds_cents", 0),
            "commission_cents": d.get("commission_cents", 0),
            "plays": plays.get(day, 0),
        }
        line["net_cents"] = line["gross_cents"] - line["refunds_cents"] - line["commission_cents"]
        line["conversion"] = round(line["sales"] / line["plays"], 4) if line["plays"] else None
        for key in (
            "sales",
            "gross_cents",
            "refunds",
            "refunds_cents",
            "commission_cents",
            "plays",
            "net_cents",
        ):
            totals[key] += line[key]
        out.append(line)
        day += dt.timedelta(days=1)
    summary: dict[str, Any] = dict(totals)
    summary["conversion"] = round(summary["sales"] / summary["plays"], 4) if summary.get("plays") else None
    return {
        "currency": ledger.money.currency(),
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
        "games": [str(g) for g in game_ids],
        "days": out,
        "totals": summary,
    }


def sales_recent(*, seller, limit: int = 10) -> list[Purchase]:
    return list(
        Purchase.objects.filter(seller=seller)
        .exclude(status__in=(Purchase.Status.PENDING, Purchase.Status.FAILED))
        .select_related("game", "buyer")
        .defer("game__spec", "game__provenance")
        .order_by("-created_at")[:limit]
    )
