"""Celery tasks of the catalogue: ids in, one service call, safe to run again."""

from celery import shared_task

from games import services


@shared_task(acks_late=True)
def game_generate_task(request_id: str) -> None:
    """Run one studio generation (a finished request is left as it is)."""
    services.generation_run(request_id=request_id)


@shared_task(acks_late=True)
def version_playtest_task(version_id: str) -> None:
    """Playtest a stored version that waits for its verdict (a played one is left as it is)."""
    from games.models import GameVersion
    from games.services.playtests import version_playtest

    version = GameVersion.objects.filter(pk=version_id).first()
    if version is not None and not version.playtest:
        version_playtest(version=version)
