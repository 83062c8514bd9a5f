from celery import shared_task

from multiplayer import services


@shared_task(acks_late=True)
def sessions_reap_task() -> int:
    """Beat, every 15 s: seats past their reconnection grace whose process did not expire them."""
    return services.sessions_reap()
