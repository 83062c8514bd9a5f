"""Listing a game for sale, changing and removing the listing."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.db.models import F

from gamefactory.content import ContentVerdict, content_check, content_held
from gamefactory.errors import ApplicationError
from games import services as games_services
from games.models import Game
from marketplace import money
from marketplace.models import Listing, Purchase


def _require_seller(game: Game, user) -> None:
    if not (user and user.is_authenticated):
        raise ApplicationError("Sign in to sell games.", code="not_authenticated", status=401)
    if game.creator_id != user.pk and not user.is_staff:
        raise ApplicationError.for_field(
            "game", "Only the game's creator can list it.", code="permission_denied", status=403
        )


def _require_listable(game: Game) -> None:
    if game.status != Game.Status.ACTIVE:
        raise ApplicationError.for_field(
            "game",
            "Only an active game can be listed (this one is deleted or held by moderation).",
            code="game_unavailable",
        )
    if not game.is_public:
        raise ApplicationError.for_field(
            "game", "Publish the game before you list it.", code="game_not_public"
        )


def _blurb_checked(*, blurb, user) -> tuple[str, ContentVerdict | None]:
    """The cleaned blurb and the scanner's verdict on it (None when there is nothing to scan)."""
    if blurb is None:
        return "", None
    if not isinstance(blurb, str):
        raise ApplicationError.for_field("blurb", "A blurb is text.", code="invalid")
    blurb = blurb.strip()
    if len(blurb) > 280:
        raise ApplicationError.for_field("blurb", "At most 280 characters.", code="too_long")
    return blurb, content_check(kind="listing", text=blurb, field="blurb", user=user)


def _held(verdict: ContentVerdict | None) -> bool:
    return verdict is not None and verdict.action == "hold"


def _commission_clean(value) -> Decimal:
    try:
        rate = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ApplicationError.for_field("commission_rate", 'A rate from 0 to 1, like "0.30".') from None
    if isinstance(value, float) or not rate.is_finite() or not Decimal(0) <= rate <= Decimal(1):
        raise ApplicationError.for_field("commission_rate", 'A rate from 0 to 1, like "0.30".')
    exponent = rate.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -4:
        raise ApplicationError.for_field("commission_rate", "At most four decimals.")
    return rate


def restriction_sync(*, game: Game) -> None:
    """A game needs an entitlement to play while it is on sale for money, or once anyone paid for it."""
    listing = Listing.objects.filter(game=game).first()
    on_sale = bool(listing and listing.is_active and listing.price_cents > 0)
    paid_for = Purchase.objects.filter(
        game=game, status=Purchase.Status.COMPLETED, amount_cents__gt=0
    ).exists()
    restricted = on_sale or paid_for
    if game.play_restricted != restricted:
        games_services.game_play_restriction_set(game=game, restricted=restricted)


@transaction.atomic
def listing_create(
    *, user, game: Game, price_cents: int, currency: str | None = None, blurb: str | None = ""
) -> Listing:
    """Put `game` on sale (price 0: free). A game has one listing; listing it again re-opens it."""
    money.currency_check(currency)
    _require_seller(game, user)
    game = Game.objects.select_for_update().get(pk=game.pk)
    _require_listable(game)
    if not (0 <= price_cents <= settings.MARKETPLACE_MAX_PRICE_CENTS):
        raise ApplicationError.for_field("price", "The price is out of range.", code="amount_too_large")
    blurb, verdict = _blurb_checked(blurb=blurb, user=user)
    held = _held(verdict)
    listing = Listing.objects.select_for_update().filter(game=game).first()
    if listing is not None and listing.is_active:
        raise ApplicationError.for_field(
            "game",
            "This game is listed already: change the listing instead.",
            code="already_listed",
            status=409,
        )
    if listing is None:
        listing = Listing(game=game, seller=game.creator)
    listing.price_cents = price_cents
    listing.currency = money.currency()
    listing.blurb = blurb
    listing.held_for_review = held
    listing.is_active = not held
    listing.save()
    restriction_sync(game=game)
    content_held(verdicts=[verdict], content_type="listing", content_id=listing.pk, user=user)
    return listing


@transaction.atomic
def listing_update(*, listing: Listing, user, **fields) -> Listing:
    """Change price, blurb or whether it is on sale; staff may also set its commission rate."""
    listing = Listing.objects.select_for_update().select_related("game").get(pk=listing.pk)
    _require_seller(listing.game, user)
    allowed = {"price_cents", "blurb", "is_active", "currency"} | (
        {"commission_rate"} if user.is_staff else set()
    )
    unknown = set(fields) - allowed
    if unknown:
        raise ApplicationError(
            f"Cannot change: {', '.join(sorted(unknown))}.",
            code="read_only",
            fields={name: ["This field cannot be changed here."] for name in sorted(unknown)},
            status=403 if unknown == {"commission_rate"} else 400,
        )
    verdict = None
    if "currency" in fields:
        money.currency_check(fields["currency"])
    if "price_cents" in fields:
        price = fields["price_cents"]
        if (
            isinstance(price, bool)
            or not isinstance(price, int)
            or not 0 <= price <= settings.MARKETPLACE_MAX_PRICE_CENTS
        ):
            raise ApplicationError.for_field("price", "The price is out of range.", code="amount_too_large")
        listing.price_cents = price
    if "commission_rate" in fields:
        listing.commission_rate = _commission_clean(fields["commission_rate"])
    if "blurb" in fields:
        listing.blurb, verdict = _blurb_checked(blurb=fields["blurb"], user=user)
        listing.held_for_review = _held(verdict)
        if listing.held_for_review:
            listing.is_active = False
    if fields.get("is_active") is True:
        if listing.held_for_review and not user.is_staff:
            raise ApplicationError.for_field(
                "is_active", "This listing waits for a moderator's review.", code="held_for_review"
            )
        _require_listable(listing.game)
        listing.is_active = True
        if user.is_staff:
            listing.held_for_review = False
    elif fields.get("is_active") is False:
        listing.is_active = False
    listing.save()
    restriction_sync(game=listing.game)
    content_held(verdicts=[verdict], content_type="listing", content_id=listing.pk, user=user)
    return listing


@transaction.atomic
def listing_moderation_set(*, listing: Listing, action: str) -> Listing:
    """Moderation's decision on a listing: `hide` (off sale until reviewed), `restore` (back on
    sale when the game still may be sold) or `delete` (off sale for good; receipts stay)."""
    listing = Listing.objects.select_for_update().select_related("game").get(pk=listing.pk)
    if action == "hide":
        listing.is_active, listing.held_for_review = False, True
    elif action == "restore":
        listing.held_for_review = False
        listing.is_active = listing.game.status == Game.Status.ACTIVE and listing.game.is_public
    elif action == "delete":
        listing.is_active, listing.held_for_review = False, False
    else:
        raise ApplicationError.for_field("action", f"Unknown moderation action {action!r}.", code="invalid")
    listing.save(update_fields=["is_active", "held_for_review", "updated_at"])
    restriction_sync(game=listing.game)
    return listing


@transaction.atomic
def listing_remove(*, listing: Listing, user) -> Listing:
    """Take it off sale. Buyers keep their games; the row stays for their receipts."""
    return listing_update(listing=listing, user=user, is_active=False)


def listing_counters_add(*, listing_id, sales: int, revenue_cents: int) -> None:
    Listing.objects.filter(pk=listing_id).update(
        sale_count=F("sale_count") + sales, revenue_cents=F("revenue_cents") + revenue_cents
    )
