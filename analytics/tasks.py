"""Periodic analytics work, scheduled by django-celery-beat rows (migration 0002)."""

from celery import shared_task

from analytics import aggregation, limits, services


@shared_task(acks_late=True)
def metrics_aggregate_recent_task() -> int:
    """Shortly after midnight UTC: the last days again, so events that arrived late are counted."""
    return len(aggregation.metrics_aggregate_recent())


@shared_task(acks_late=True, expires=int(limits.LIVE_EVERY.total_seconds()))
def metrics_aggregate_live_task() -> int:
    """Every minute: today so far, for the games that received events since the last run."""
    return len(aggregation.metrics_aggregate_live())


@shared_task(acks_late=True)
def partitions_maintain_task() -> dict:
    """Daily: partitions ahead, expired partitions dropped, old dedupe receipts pruned."""
    result = services.partitions_maintain()
    return {k: [str(d) for d in v] if isinstance(v, list) else v for k, v in result.items()}
