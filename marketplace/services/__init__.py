"""Writes of the marketplace (every page, API view, admin action and task goes through these).

- listings.py: `listing_create`, `listing_update`, `listing_remove`, `listing_moderation_set`, `restriction_sync`
- purchases.py: `purchase_create` (wallet / free now, card via `purchase_charge_task`),
  `purchase_charge`, `purchase_charge_succeeded`, `purchase_charge_failed`
- refunds.py: `refund_create`, `refund_execute`, `refund_provider_succeeded`, `refund_provider_failed`
- wallet.py: `credit_grant`
- idempotency.py: `idempotent_call`, `idempotency_keys_prune`
- payouts.py: `payout_reports_build`, `payout_mark_paid`
- connect.py: `seller_onboard`, `seller_account_refresh`, `stripe_event_handle`
"""

from marketplace.services.connect import seller_account_refresh, seller_onboard, stripe_event_handle  # noqa: I001
from marketplace.services.idempotency import idempotency_keys_prune, idempotent_call
from marketplace.services.listings import (
    listing_create,
    listing_moderation_set,
    listing_remove,
    listing_update,
    restriction_sync,
)
from marketplace.services.payouts import payout_mark_paid, payout_reports_build
from marketplace.services.purchases import (
    purchase_charge,
    purchase_charge_failed,
    purchase_charge_succeeded,
    purchase_create,
    purchase_refusal,
)
from marketplace.services.refunds import (
    refund_create,
    refund_execute,
    refund_provider_failed,
    refund_provider_succeeded,
)
from marketplace.services.wallet import credit_grant

__all__ = [
    "credit_grant",
    "idempotency_keys_prune",
    "idempotent_call",
    "listing_create",
    "listing_moderation_set",
    "listing_remove",
    "listing_update",
    "payout_mark_paid",
    "payout_reports_build",
    "purchase_charge",
    "purchase_charge_failed",
    "purchase_charge_succeeded",
    "purchase_create",
    "purchase_refusal",
    "refund_create",
    "refund_execute",
    "refund_provider_failed",
    "refund_provider_succeeded",
    "restriction_sync",
    "seller_account_refresh",
    "seller_onboard",
    "stripe_event_handle",
]
