"""Marketplace tasks: the network halves of card purchases and refunds, and periodic upkeep.

Each takes ids, is sent on commit by a service, and is safe to run again: Stripe calls carry an
idempotency key derived from our row id, and completing twice is a no-op.
"""

from celery import shared_task

from marketplace import services


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def purchase_charge_task(purchase_id: str, payment_method_id: str, destination: str) -> str:
    return services.purchase_charge(
        purchase_id=purchase_id, payment_method_id=payment_method_id, destination=destination
    ).status


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def refund_execute_task(refund_id: str) -> str:
    return services.refund_execute(refund_id=refund_id).status


@shared_task(acks_late=True)
def idempotency_keys_prune_task() -> int:
    """Hourly: keys older than MARKETPLACE_IDEMPOTENCY_TTL_HOURS (24 h) are dropped."""
    return services.idempotency_keys_prune()


@shared_task(acks_late=True)
def payout_reports_build_task() -> int:
    """Each Monday: every seller's report for the period that just ended."""
    return len(services.payout_reports_build())
