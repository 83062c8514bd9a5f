"""`python manage.py cast_index`: build the cast's lookup tables now (deploys, CI), not on first use.

The tables (generation/cast.py) come from the installed emoji set, CLDR annotations, simplemma and
WordNet; they are cached as JSON under VAR_DIR. Without this command each is built the first time a
prompt needs it: the English core in ~20 s, each other language in 1-10 s.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from generation.cast import LANGUAGES, CastIndexUnavailable, cast_index


class Command(BaseCommand):
    help = "Build and cache the cast's lookup tables (emoji names in every language, WordNet)."

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            index = cast_index()
            for lang in LANGUAGES:
                index.language(lang)
        except CastIndexUnavailable as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"cast index {index.key}: {len(index.assets)} pictures, {len(index.nearest)} WordNet nouns, "
            f"{len(LANGUAGES)} languages, in {time.monotonic() - started:.1f} s"
        )
