"""`python manage.py sync_mechanics`: make the mechanics table match the code (safe to re-run)."""

from django.core.management.base import BaseCommand

from generation.services import mechanic_sync


class Command(BaseCommand):
    help = "Create, update or deactivate Mechanic rows so they match generation/mechanics/. Idempotent."

    def handle(self, *args, **options):
        result = mechanic_sync()
        for label in ("created", "updated", "unchanged", "deactivated"):
            slugs = getattr(result, label)
            self.stdout.write(f"{label:>11}: {', '.join(slugs) if slugs else '-'}")
