"""Stripe Connect: seller onboarding and webhook events (handled once per event id, any order)."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from gamefactory.errors import ApplicationError
from marketplace import stripe_gateway
from marketplace.models import Purchase, Refund, SellerAccount, StripeEvent
from marketplace.services import purchases, refunds

logger = logging.getLogger(__name__)


def _require_configured() -> None:
    if not stripe_gateway.configured():
        raise ApplicationError(
            "Stripe is not configured here: sales go to your wallet balance.",
            code="not_configured",
            status=404,
        )


def seller_onboard(*, user, return_url: str, refresh_url: str) -> str:
    """The Stripe-hosted onboarding link for `user`'s connected account (made on first call).

    Network calls happen outside any transaction; the account is created with an idempotency key
    derived from the user id, so a retry after a crash finds the same account."""
    _require_configured()
    existing = SellerAccount.objects.filter(user=user).first()
    if existing is None:
        account = stripe_gateway.account_create(user_id=user.pk, email=user.email)
        try:
            with transaction.atomic():
                existing = SellerAccount.objects.create(user=user, stripe_account_id=account.id)
        except IntegrityError:
            existing = SellerAccount.objects.get(user=user)
        _account_sync(existing, account)
    link = stripe_gateway.account_link_create(
        account_id=existing.stripe_account_id, refresh_url=refresh_url, return_url=return_url
    )
    return link.url


def _plain(obj) -> dict:
    """Stripe's objects are not dicts (SDK v8+): a plain, recursive dict of one."""
    return obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)


def _account_sync(seller: SellerAccount, account) -> SellerAccount:
    account = _plain(account)
    capabilities = account.get("capabilities") or {}
    seller.charges_enabled = bool(account.get("charges_enabled"))
    seller.payouts_enabled = bool(account.get("payouts_enabled"))
    seller.details_submitted = bool(account.get("details_submitted"))
    seller.transfers_active = capabilities.get("transfers") == "active"
    seller.save()
    return seller


def seller_account_refresh(*, user) -> SellerAccount | None:
    _require_configured()
    seller = SellerAccount.objects.filter(user=user).first()
    if seller is None:
        return None
    return _account_sync(seller, stripe_gateway.account_retrieve(seller.stripe_account_id))


def _unknown(what: str, ident: str) -> ApplicationError:
    return ApplicationError.for_field(
        "data.object.id", f"No {what} {ident} here.", code="unknown_charge", status=400
    )


def stripe_event_handle(*, payload: bytes, signature: str) -> dict:
    """Verify and apply one webhook delivery. Duplicates are answered 200 and do nothing.

    Every handler converges on the state the event describes (a charge succeeded, an amount was
    refunded), so events that come twice or out of order change nothing the second time. An
    event about a charge we do not know is refused (400) and not recorded: Stripe retries it."""
    _require_configured()
    if not signature:
        raise ApplicationError.for_field(
            "Stripe-Signature", "The signature header is missing.", code="bad_signature"
        )
    try:
        event = stripe_gateway.event_verified(payload=payload, signature=signature)
    except (stripe_gateway.stripe.SignatureVerificationError, ValueError) as exc:
        raise ApplicationError.for_field(
            "Stripe-Signature", f"The signature does not verify: {exc}", code="bad_signature"
        ) from None
    if StripeEvent.objects.filter(pk=event.id).exists():
        return {"received": True, "duplicate": True}
    obj = _plain(event.data.object)
    kind = event.type
    if kind in ("payment_intent.succeeded", "payment_intent.payment_failed"):
        purchase = _purchase_of_intent(obj)
        if kind == "payment_intent.succeeded":
            purchases.purchase_charge_succeeded(purchase_id=purchase.pk, payment_intent_id=obj["id"])
        else:
            error = obj.get("last_payment_error") or {}
            purchases.purchase_charge_failed(
                purchase_id=purchase.pk, reason=error.get("message") or "payment failed"
            )
    elif kind in ("charge.refunded", "refund.updated", "refund.created"):
        _refunds_converge(kind, obj)
    elif kind == "account.updated":
        seller = SellerAccount.objects.filter(stripe_account_id=obj.get("id")).first()
        if seller is None:
            raise ApplicationError.for_field(
                "data.object.id", f"No connected account {obj.get('id')} here.", code="unknown_account"
            )
        _account_sync(seller, obj)
    try:
        with transaction.atomic():
            StripeEvent.objects.create(id=event.id, type=kind, payload=_payload_dict(payload))
    except IntegrityError:
        return {"received": True, "duplicate": True}
    return {"received": True, "duplicate": False}


def _payload_dict(payload: bytes) -> dict:
    import json

    try:
        return json.loads(payload)
    except ValueError:
        return {}


def _purchase_of_intent(intent) -> Purchase:
    qs = Purchase.objects.filter(provider=Purchase.Provider.STRIPE)
    purchase = None
    purchase_id = (intent.get("metadata") or {}).get("purchase_id")
    if purchase_id:
        try:
            purchase = qs.filter(pk=purchase_id).first()
        except (ValueError, ValidationError):
            purchase = None
    if purchase is None and intent.get("id"):
        purchase = qs.filter(transaction_id=intent["id"]).first()
    if purchase is None:
        raise _unknown("charge", intent.get("id", "?"))
    return purchase


def _refunds_converge(kind: str, obj) -> None:
    """Our refunds that Stripe reports done are completed (the task may not have seen the answer)."""
    if kind == "charge.refunded":
        intent_id = obj.get("payment_intent")
        purchase = Purchase.objects.filter(
            provider=Purchase.Provider.STRIPE, transaction_id=intent_id
        ).first()
        if purchase is None:
            raise _unknown("charge", obj.get("id", "?"))
        for item in (obj.get("refunds") or {}).get("data", []):
            _refund_object_apply(item)
        return
    _refund_object_apply(obj)


def _refund_object_apply(refund_obj) -> None:
    refund_id = (refund_obj.get("metadata") or {}).get("refund_id")
    refund = None
    if refund_id:
        try:
            refund = Refund.objects.filter(pk=refund_id).first()
        except (ValueError, ValidationError):
            refund = None
    if refund is None:
        refund = Refund.objects.filter(provider_reference=refund_obj.get("id")).first()
    if refund is None:
        raise _unknown("refund", refund_obj.get("id", "?"))
    if refund_obj.get("status") == "succeeded":
        refunds.refund_provider_succeeded(refund_id=refund.pk, provider_reference=refund_obj.get("id"))
    elif refund_obj.get("status") in ("failed", "canceled"):
        refunds.refund_provider_failed(refund_id=refund.pk, reason=f"refund {refund_obj.get('status')}")
