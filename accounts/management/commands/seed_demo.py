"""Demo data for `make run`: an admin and a regular user, printed with their passwords.

Re-running is safe: existing accounts are kept (their passwords reset to the demo ones).
Apps that have demo data of their own register a `seed_demo` hook in `DEMO_SEEDERS`.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from accounts.models import User

DEMO_ACCOUNTS = (
    # username, email, default password, admin?
    ("admin", "admin@gamefactory.local", "gamefactory-admin", True),
    ("demo", "demo@gamefactory.local", "gamefactory-demo", False),
)


class Command(BaseCommand):
    help = "Create the demo admin and user (and each app's demo data) and print the logins."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="allow running with DEBUG off")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo creates accounts with known passwords; refused with DEBUG off.")
        rows = []
        for username, email, password, is_admin in DEMO_ACCOUNTS:
            user = User.objects.filter(username__iexact=username).first()
            if user is None:
                user = User(username=username, email=email)
            user.display_name = user.display_name or username.title()
            user.status = User.Status.ACTIVE
            user.is_verified = True
            if is_admin:
                user.is_staff = user.is_superuser = True
                user.role = User.Role.ADMIN
            user.set_password(password)
            user.save()
            rows.append((username, password, "admin" if is_admin else "user"))

        for path in getattr(settings, "DEMO_SEEDERS", []):
            import_string(path)(stdout=self.stdout)

        width = max(len(r[0]) for r in rows)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Demo logins ({settings.SITE_URL}/accounts/login/, /admin/):"))
        for username, password, kind in rows:
            self.stdout.write(f"  {kind:<5}  {username:<{width}}  password: {password}")
        self.stdout.write("")
