"""Writes on the catalogue: publishing, editing, rating, plays, forks, uploads and the studio.

Every page, API view, task, the admin and the factory go through these functions:

- publishing.py: `game_publish` (the factory's step 11 calls it), `game_upload`
- catalogue.py: `game_update`, `game_delete`, `game_moderation_set`, `game_play_restriction_set`, `game_rate`,
  `play_start`, `play_finish`, `plays_import`, `game_play_count_refresh`, `game_fork`
- studio.py: `generation_request_create`, `generation_change_request_create`, `generation_run`
"""

from games.services.catalogue import (
    game_delete,
    game_fork,
    game_moderation_set,
    game_play_count_refresh,
    game_play_restriction_set,
    game_publish_draft,
    game_rate,
    game_update,
    play_finish,
    play_start,
    plays_import,
)
from games.services.common import LIST_VERSION_KEY, catalogue_changed, spec_words
from games.services.publishing import game_publish, game_upload
from games.services.studio import (
    generation_change_request_create,
    generation_discard,
    generation_request_create,
    generation_run,
)

__all__ = [
    "LIST_VERSION_KEY",
    "catalogue_changed",
    "game_delete",
    "game_fork",
    "game_moderation_set",
    "game_play_restriction_set",
    "game_play_count_refresh",
    "game_publish",
    "game_publish_draft",
    "game_rate",
    "game_update",
    "game_upload",
    "generation_change_request_create",
    "generation_discard",
    "generation_request_create",
    "generation_run",
    "play_finish",
    "play_start",
    "spec_words",
    "plays_import",
]
