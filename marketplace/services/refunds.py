"""Refunds: never more than was charged in total, the seller's and the platform's shares reversed
in proportion (Stripe's `refund_application_fee` + `reverse_transfer`), access gone on a full refund.

The amount is reserved on the purchase (`refunded_cents`, under its row lock, checked by a database
constraint) when the refund is created, so two refunds at once can never exceed the payment.
A wallet refund completes in the same transaction; a Stripe refund is made by `refund_execute_task`
after commit, with an idempotency key derived from the refund id.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gamefactory.errors import ApplicationError
from gamefactory.notifications import notify_user
from games import access
from marketplace import ledger, money, stripe_gateway
from marketplace.models import LedgerAccount, LedgerTransaction, Purchase, Refund
from marketplace.services.listings import listing_counters_add, restriction_sync

Kind = LedgerAccount.Kind


def refund_window_open(purchase: Purchase, now=None) -> bool:
    now = now or timezone.now()
    return now - purchase.created_at <= dt.timedelta(hours=settings.MARKETPLACE_REFUND_WINDOW_HOURS)


@transaction.atomic
def refund_create(*, purchase: Purchase, user, amount_cents: int | None = None, reason: str = "") -> Refund:
    """Refund `amount_cents` (default: all that is left) of a purchase.

    Staff may refund any purchase, in part or in full; the buyer may refund all of their own
    purchase within `MARKETPLACE_REFUND_WINDOW_HOURS`."""
    purchase = Purchase.objects.select_for_update().select_related("game").get(pk=purchase.pk)
    is_staff = bool(user and user.is_authenticated and user.is_staff)
    if not is_staff:
        if not (user and user.is_authenticated and user.pk == purchase.buyer_id):
            raise ApplicationError("No such purchase.", code="not_found", status=404)
        if amount_cents is not None and amount_cents != purchase.refundable_cents:
            raise ApplicationError.for_field(
                "amount",
                "Buyers refund the whole purchase; partial refunds are for staff.",
                code="partial_not_allowed",
                status=403,
            )
        if not refund_window_open(purchase):
            raise ApplicationError.for_field(
                "purchase",
                f"Refunds are possible for {settings.MARKETPLACE_REFUND_WINDOW_HOURS} hours after buying; ask support.",
                code="refund_window_closed",
                status=403,
            )
    if purchase.status == Purchase.Status.REFUNDED or (
        purchase.status == Purchase.Status.COMPLETED and purchase.refundable_cents == 0
    ):
        raise ApplicationError.for_field(
            "purchase", "This purchase is refunded already.", code="already_refunded", status=409
        )
    if purchase.status != Purchase.Status.COMPLETED:
        raise ApplicationError.for_field(
            "purchase", f"A {purchase.status} purchase cannot be refunded.", code="not_refundable", status=409
        )
    if purchase.amount_cents == 0:
        raise ApplicationError.for_field(
            "purchase", "A free game has nothing to refund.", code="not_refundable", status=409
        )
    amount = purchase.refundable_cents if amount_cents is None else amount_cents
    if amount <= 0:
        raise ApplicationError.for_field("amount", "A refund is more than zero.", code="invalid_amount")
    if amount > purchase.refundable_cents:
        raise ApplicationError.for_field(
            "amount",
            f"More than was paid: at most {money.format_cents(purchase.refundable_cents)} is left to refund.",
            code="refund_exceeds_payment",
        )
    after = purchase.refunded_cents + amount
    commission_after = money.proportional_part(
        total_part=purchase.commission_cents, amount=purchase.amount_cents, cumulative=after
    )
    commission_part = commission_after - purchase.commission_refunded_cents
    refund = Refund.objects.create(
        purchase=purchase,
        amount_cents=amount,
        commission_cents=commission_part,
        seller_cents=amount - commission_part,
        reason=(reason or "")[:300],
        requested_by=user if user and user.is_authenticated else None,
    )
    purchase.refunded_cents = after
    purchase.commission_refunded_cents = commission_after
    purchase.save(update_fields=["refunded_cents", "commission_refunded_cents"])

    if purchase.provider == Purchase.Provider.STRIPE:
        from marketplace.tasks import refund_execute_task

        transaction.on_commit(lambda: refund_execute_task.delay(str(refund.pk)))
        return refund
    legs = [
        ledger.Leg(ledger.account_for(kind=Kind.WALLET, user=purchase.buyer), amount),
        ledger.Leg(ledger.account_for(kind=Kind.SELLER, user=purchase.seller), -refund.seller_cents),
        ledger.Leg(ledger.platform_account(Kind.COMMISSION), -refund.commission_cents),
    ]
    return _refund_completed(refund, purchase, legs, reference=f"wallet:refund:{refund.pk}")


def _refund_completed(refund: Refund, purchase: Purchase, legs, *, reference: str) -> Refund:
    ledger.post(
        kind=LedgerTransaction.Kind.REFUND,
        reference=f"refund:{refund.pk}",
        memo=f"refund of {purchase.game.title}" + (f": {refund.reason}" if refund.reason else ""),
        purchase=purchase,
        legs=legs,
        created_by=refund.requested_by,
    )
    refund.status = Refund.Status.COMPLETED
    refund.completed_at = timezone.now()
    refund.provider_reference = refund.provider_reference or reference
    refund.save(update_fields=["status", "completed_at", "provider_reference"])
    listing_counters_add(listing_id=purchase.listing_id, sales=0, revenue_cents=-refund.amount_cents)
    fully = Purchase.objects.filter(pk=purchase.pk).values_list("amount_cents", "refunded_cents").get()
    completed_total = sum(
        Refund.objects.filter(purchase=purchase, status=Refund.Status.COMPLETED).values_list(
            "amount_cents", flat=True
        )
    )
    if fully[0] == fully[1] == completed_total:
        Purchase.objects.filter(pk=purchase.pk).update(status=Purchase.Status.REFUNDED)
        purchase.status = Purchase.Status.REFUNDED
        restriction_sync(game=purchase.game)
        game_id, buyer_id = purchase.game_id, purchase.buyer_id
        transaction.on_commit(lambda: access.entitlement_changed(game_id=game_id, user_id=buyer_id))
    event = {
        "type": "marketplace.refund",
        "purchase_id": str(purchase.pk),
        "refund_id": str(refund.pk),
        "amount_cents": refund.amount_cents,
        "currency": purchase.currency,
    }
    notify_user(user_id=purchase.buyer_id, event=event)
    notify_user(user_id=purchase.seller_id, event=event)
    return refund


@transaction.atomic
def refund_provider_succeeded(*, refund_id, provider_reference: str) -> Refund:
    """Stripe refunded (the task's answer or the webhook, either order, any number of times)."""
    refund = Refund.objects.select_for_update().get(pk=refund_id)
    if refund.status != Refund.Status.PENDING:
        return refund
    purchase = Purchase.objects.select_for_update().select_related("game").get(pk=refund.purchase_id)
    seller = ledger.account_for(kind=Kind.SELLER, user=purchase.seller)
    clearing = ledger.platform_account(Kind.PROVIDER)
    legs = [
        ledger.Leg(clearing, refund.amount_cents),
        ledger.Leg(seller, -refund.seller_cents),
        ledger.Leg(ledger.platform_account(Kind.COMMISSION), -refund.commission_cents),
        # reverse_transfer: the seller's part came back from their connected account
        ledger.Leg(seller, refund.seller_cents),
        ledger.Leg(clearing, -refund.seller_cents),
    ]
    refund.provider_reference = provider_reference
    return _refund_completed(refund, purchase, legs, reference=provider_reference)


@transaction.atomic
def refund_provider_failed(*, refund_id, reason: str) -> Refund:
    """The provider refused: release the reserved amount."""
    refund = Refund.objects.select_for_update().get(pk=refund_id)
    if refund.status != Refund.Status.PENDING:
        return refund
    purchase = Purchase.objects.select_for_update().get(pk=refund.purchase_id)
    purchase.refunded_cents -= refund.amount_cents
    purchase.commission_refunded_cents -= refund.commission_cents
    purchase.save(update_fields=["refunded_cents", "commission_refunded_cents"])
    refund.status = Refund.Status.FAILED
    refund.reason = f"{refund.reason} [failed: {reason}]"[:300]
    refund.save(update_fields=["status", "reason"])
    return refund


def refund_execute(*, refund_id) -> Refund:
    """The network half of a Stripe refund (from the task, outside any transaction)."""
    refund = Refund.objects.select_related("purchase").get(pk=refund_id)
    if refund.status != Refund.Status.PENDING:
        return refund
    try:
        result = stripe_gateway.refund_create(
            refund_id=refund.pk,
            payment_intent=refund.purchase.transaction_id,
            amount_cents=refund.amount_cents,
        )
    except stripe_gateway.stripe.InvalidRequestError as exc:
        return refund_provider_failed(refund_id=refund.pk, reason=exc.user_message or str(exc))
    if result.status == "succeeded":
        return refund_provider_succeeded(refund_id=refund.pk, provider_reference=result.id)
    if result.status in ("failed", "canceled"):
        return refund_provider_failed(refund_id=refund.pk, reason=f"refund {result.status}")
    Refund.objects.filter(pk=refund.pk).update(provider_reference=result.id)
    return refund
