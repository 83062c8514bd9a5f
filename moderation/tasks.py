"""Moderation's Celery tasks: ids in, one service call, safe to run again."""

from celery import shared_task

from moderation import services


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notice_email_task(notice_id: str) -> None:
    """Email one notice to its creator (at most once: the outbox claim says who sends it)."""
    services.notice_email_send(notice_id=notice_id)


@shared_task(acks_late=True)
def notices_email_pending_task() -> None:
    """Beat, every 5 minutes: mail the notices whose email was never sent."""
    services.notices_email_pending()
