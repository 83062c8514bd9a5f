"""Celery tasks of the catalogue: ids in, one service call, safe to run again."""

from celery import shared_task

from games import services


@shared_task(acks_late=True)
def game_generate_task(request_id: str) -> None:
    """Run one studio generation (a finished request is left as it is)."""
    services.generation_run(request_id=request_id)
