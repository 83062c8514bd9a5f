"""Stripe Connect through the official `stripe` SDK: the only module that talks to Stripe.

Configured when `STRIPE_SECRET_KEY` is set (`STRIPE_API_BASE` points the SDK elsewhere: a proxy,
or the fake server the tests run). Every call here is network I/O: callers make them outside any
database transaction or row lock, from tasks, and pass an idempotency key derived from our own
row id, so a retried task can never charge or refund twice.
"""

from __future__ import annotations

import stripe
from django.conf import settings


def configured() -> bool:
    return bool(settings.STRIPE_SECRET_KEY)


def client() -> stripe.StripeClient:
    options: dict = {"max_network_retries": 2}
    if settings.STRIPE_API_BASE:
        base = settings.STRIPE_API_BASE.rstrip("/")
        options["base_addresses"] = {"api": base, "connect": base, "files": base}
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, **options)


def account_create(*, user_id, email: str) -> stripe.Account:
    params: dict = {
        "type": "express",
        "email": email,
        "capabilities": {"transfers": {"requested": True}, "card_payments": {"requested": True}},
        "metadata": {"user_id": str(user_id)},
    }
    if settings.STRIPE_CONNECT_COUNTRY:
        params["country"] = settings.STRIPE_CONNECT_COUNTRY
    return client().v1.accounts.create(params, {"idempotency_key": f"gf-connect-account-{user_id}"})


def account_retrieve(account_id: str) -> stripe.Account:
    return client().v1.accounts.retrieve(account_id)


def account_link_create(*, account_id: str, refresh_url: str, return_url: str) -> stripe.AccountLink:
    return client().v1.account_links.create(
        {
            "account": account_id,
            "refresh_url": refresh_url,
            "return_url": return_url,
            "type": "account_onboarding",
        }
    )


def destination_charge(
    *, purchase_id, amount_cents: int, currency: str, fee_cents: int, destination: str, payment_method: str
) -> stripe.PaymentIntent:
    """A destination charge: the seller's share goes to `destination`, our commission stays with us."""
    return client().v1.payment_intents.create(
        {
            "amount": amount_cents,
            "currency": currency.lower(),
            "payment_method": payment_method,
            "confirm": True,
            "automatic_payment_methods": {"enabled": True, "allow_redirects": "never"},
            "application_fee_amount": fee_cents,
            "transfer_data": {"destination": destination},
            "metadata": {"purchase_id": str(purchase_id)},
        },
        {"idempotency_key": f"gf-purchase-{purchase_id}"},
    )


def refund_create(*, refund_id, payment_intent: str, amount_cents: int) -> stripe.Refund:
    """Refund part or all; the fee and the transfer come back in proportion (Stripe's own semantics)."""
    return client().v1.refunds.create(
        {
            "payment_intent": payment_intent,
            "amount": amount_cents,
            "refund_application_fee": True,
            "reverse_transfer": True,
            "metadata": {"refund_id": str(refund_id)},
        },
        {"idempotency_key": f"gf-refund-{refund_id}"},
    )


def event_verified(*, payload: bytes, signature: str) -> stripe.Event:
    """The event, when its `Stripe-Signature` is genuine and recent; raises SignatureVerificationError."""
    return stripe.Webhook.construct_event(payload, signature, settings.STRIPE_WEBHOOK_SECRET)
