"""Buying a game: one charge per buyer and game, however many times the buyer clicks.

Promises (proved by tests/marketplace/test_concurrency.py on PostgreSQL):
- a wallet purchase locks the buyer's wallet account (FOR NO KEY UPDATE) before it looks for an
  earlier purchase, so 50 concurrent attempts by one buyer for one game charge once; a partial
  unique index (one pending or completed purchase per buyer and game) backs it in the database;
- the charge, the seller's share and the commission are one balanced ledger transaction, posted
  in the same database transaction as the purchase;
- Stripe is never called inside a transaction: a card purchase is saved pending and
  `purchase_charge_task` (sent on commit) makes the destination charge with an idempotency key
  derived from the purchase id, so a retried task cannot charge twice.
Lock order, everywhere: buyer's wallet -> purchase -> listing (counters).
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from gamefactory.errors import ApplicationError
from gamefactory.notifications import notify_user
from games import access
from games.models import Game
from marketplace import ledger, money, stripe_gateway
from marketplace.models import LedgerAccount, LedgerTransaction, Listing, Purchase, SellerAccount
from marketplace.services.listings import listing_counters_add, restriction_sync

Kind = LedgerAccount.Kind
LIVE = (Purchase.Status.PENDING, Purchase.Status.COMPLETED)
METHODS = ("wallet", "stripe")


def _not_for_sale(message: str, code: str, status: int = 400) -> ApplicationError:
    return ApplicationError.for_field("listing", message, code=code, status=status)


def purchase_refusal(*, listing: Listing, buyer) -> ApplicationError | None:
    """Why `buyer` cannot buy `listing` now (cheap checks, no lock), or None."""
    game = listing.game
    if game.status == Game.Status.MODERATED:
        return _not_for_sale("This game is held by moderation and cannot be bought.", "game_moderated")
    if game.status == Game.Status.DELETED:
        return _not_for_sale("This game was deleted.", "game_deleted", 404)
    if not listing.is_active or not game.is_public:
        return _not_for_sale("This game is not for sale.", "not_listed")
    if buyer.pk in (game.creator_id, listing.seller_id):
        return _not_for_sale("You cannot buy your own game.", "own_game", 403)
    return None


def _already_owned() -> ApplicationError:
    return ApplicationError.for_field(
        "listing", "You own this game already.", code="already_owned", status=409
    )


def _method_clean(*, method, listing: Listing) -> str:
    if listing.price_cents == 0:
        return Purchase.Provider.FREE
    method = method or "wallet"
    if method not in METHODS:
        raise ApplicationError.for_field(
            "payment_method", f"One of: {', '.join(METHODS)}.", code="invalid_choice"
        )
    if method == "stripe" and not stripe_gateway.configured():
        raise ApplicationError.for_field(
            "payment_method",
            "Card payments are not configured here; pay from your wallet.",
            code="not_configured",
        )
    return method


@transaction.atomic
def purchase_create(
    *,
    buyer,
    listing: Listing,
    payment_method: str | None = None,
    payment_method_id: str = "",
    expected_price_cents: int | None = None,
    currency: str | None = None,
    idempotency_key: str = "",
) -> Purchase:
    """Buy `listing` for `buyer`: completed at once from the wallet (or free), pending for a card."""
    money.currency_check(currency)
    listing = Listing.objects.select_related("game").get(pk=listing.pk)
    refusal = purchase_refusal(listing=listing, buyer=buyer)
    if refusal is not None:
        raise refusal
    if expected_price_cents is not None and expected_price_cents != listing.price_cents:
        raise ApplicationError.for_field(
            "price",
            f"The price is now {money.format_cents(listing.price_cents)}; confirm again.",
            code="price_changed",
            status=409,
        )
    method = _method_clean(method=payment_method, listing=listing)
    destination = ""
    if method == "stripe":
        if not payment_method_id or not isinstance(payment_method_id, str):
            raise ApplicationError.for_field(
                "payment_method_id", "A Stripe payment method id (pm_...) is required.", code="required"
            )
        seller_account = SellerAccount.objects.filter(user_id=listing.seller_id).first()
        if seller_account is None or not seller_account.can_receive:
            raise ApplicationError.for_field(
                "payment_method",
                "This seller cannot take card payments yet; pay from your wallet.",
                code="seller_not_onboarded",
            )
        destination = seller_account.stripe_account_id

    wallet = ledger.wallet_lock(user=buyer) if method == Purchase.Provider.WALLET else None
    # Under the buyer's lock: an earlier attempt that committed is visible now.
    if Purchase.objects.filter(buyer=buyer, game_id=listing.game_id, status__in=LIVE).exists():
        raise _already_owned()
    amount = listing.price_cents
    if wallet is not None:
        balance = ledger.balance_of(wallet)
        if balance < amount:
            raise ledger.insufficient_funds(balance=balance, needed=amount)
    try:
        with transaction.atomic():
            purchase = Purchase(
                buyer=buyer,
                game_id=listing.game_id,
                listing=listing,
                seller_id=listing.seller_id,
                amount_cents=amount,
                currency=listing.currency,
                commission_cents=money.commission_of(amount_cents=amount, rate=listing.commission_rate),
                provider=method,
                idempotency_key=idempotency_key[:255],
                status=Purchase.Status.PENDING,
            )
            purchase.game = listing.game
            purchase.listing = listing
            purchase.save(force_insert=True)
    except IntegrityError:
        raise _already_owned() from None

    if method == "stripe":
        purchase.transaction_id = ""
        from marketplace.tasks import purchase_charge_task

        transaction.on_commit(
            lambda: purchase_charge_task.delay(str(purchase.pk), payment_method_id, destination)
        )
        return purchase

    if amount > 0:
        assert wallet is not None  # a wallet purchase: locked above
        txn = ledger.post(
            kind=LedgerTransaction.Kind.PURCHASE,
            reference=f"purchase:{purchase.pk}",
            memo=f"{listing.game.title} bought from the wallet",
            purchase=purchase,
            legs=[
                ledger.Leg(wallet, -amount),
                ledger.Leg(
                    ledger.account_for(kind=Kind.SELLER, user=listing.seller), purchase.seller_share_cents
                ),
                ledger.Leg(ledger.platform_account(Kind.COMMISSION), purchase.commission_cents),
            ],
        )
        purchase.transaction_id = f"wallet:{txn.pk}"
    return _completed(purchase)


def _completed(purchase: Purchase) -> Purchase:
    purchase.status = Purchase.Status.COMPLETED
    purchase.completed_at = timezone.now()
    purchase.save(update_fields=["status", "completed_at", "transaction_id"])
    if purchase.amount_cents > 0 and not purchase.game.play_restricted:
        restriction_sync(game=purchase.game)  # a paid game is restricted from its listing on; just in case
    # Last, so the listing's row lock (shared by every buyer of this game) is held the shortest time.
    listing_counters_add(listing_id=purchase.listing_id, sales=1, revenue_cents=purchase.amount_cents)
    game_id, buyer_id = purchase.game_id, purchase.buyer_id
    transaction.on_commit(lambda: access.entitlement_changed(game_id=game_id, user_id=buyer_id))
    event = {
        "type": "marketplace.sale",
        "purchase_id": str(purchase.pk),
        "game_id": str(purchase.game_id),
        "amount_cents": purchase.amount_cents,
        "seller_share_cents": purchase.seller_share_cents,
        "currency": purchase.currency,
    }
    notify_user(user_id=purchase.seller_id, event=event)
    notify_user(user_id=purchase.buyer_id, event={**event, "type": "marketplace.purchase_completed"})
    return purchase


@transaction.atomic
def purchase_charge_succeeded(*, purchase_id, payment_intent_id: str) -> Purchase:
    """Stripe took the money (the task's answer or a webhook, in either order, any number of times)."""
    purchase = Purchase.objects.select_for_update().select_related("game", "listing").get(pk=purchase_id)
    if purchase.status != Purchase.Status.PENDING:
        return purchase  # done before: the task and the webhook both report the same charge
    amount, fee, share = purchase.amount_cents, purchase.commission_cents, purchase.seller_share_cents
    seller = ledger.account_for(kind=Kind.SELLER, user=purchase.seller)
    clearing = ledger.platform_account(Kind.PROVIDER)
    ledger.post(
        kind=LedgerTransaction.Kind.PURCHASE,
        reference=f"purchase:{purchase.pk}",
        memo=f"{purchase.game.title}: Stripe destination charge {payment_intent_id}",
        purchase=purchase,
        legs=[
            ledger.Leg(clearing, -amount),
            ledger.Leg(seller, share),
            ledger.Leg(ledger.platform_account(Kind.COMMISSION), fee),
            # transfer_data[destination]: the seller's share went straight to their connected account
            ledger.Leg(seller, -share),
            ledger.Leg(clearing, share),
        ],
    )
    purchase.transaction_id = payment_intent_id
    return _completed(purchase)


@transaction.atomic
def purchase_charge_failed(*, purchase_id, reason: str) -> Purchase:
    purchase = Purchase.objects.select_for_update().get(pk=purchase_id)
    if purchase.status == Purchase.Status.PENDING:
        purchase.status = Purchase.Status.FAILED
        purchase.failure_reason = reason[:300]
        purchase.save(update_fields=["status", "failure_reason"])
        notify_user(
            user_id=purchase.buyer_id,
            event={
                "type": "marketplace.purchase_failed",
                "purchase_id": str(purchase.pk),
                "reason": reason[:300],
            },
        )
    return purchase


def purchase_charge(*, purchase_id, payment_method_id: str, destination: str) -> Purchase:
    """The network half of a card purchase (called by the task, outside any transaction)."""
    purchase = Purchase.objects.get(pk=purchase_id)
    if purchase.status != Purchase.Status.PENDING:
        return purchase
    try:
        intent = stripe_gateway.destination_charge(
            purchase_id=purchase.pk,
            amount_cents=purchase.amount_cents,
            currency=purchase.currency,
            fee_cents=purchase.commission_cents,
            destination=destination,
            payment_method=payment_method_id,
        )
    except stripe_gateway.stripe.CardError as exc:
        return purchase_charge_failed(purchase_id=purchase.pk, reason=exc.user_message or str(exc))
    if intent.status == "succeeded":
        return purchase_charge_succeeded(purchase_id=purchase.pk, payment_intent_id=intent.id)
    if intent.status in ("canceled", "requires_payment_method"):
        return purchase_charge_failed(purchase_id=purchase.pk, reason=f"payment {intent.status}")
    # processing / requires_action: the webhook finishes it.
    Purchase.objects.filter(pk=purchase.pk, transaction_id="").update(transaction_id=intent.id)
    return purchase
