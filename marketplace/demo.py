"""`seed_demo` hook: wallet credit for the demo accounts, and one demo game on sale, so the
marketplace can be walked on `make run` (sell, buy with credit, play, refund). Safe to re-run."""

from __future__ import annotations

from django.conf import settings

from accounts.models import User
from games.models import Game
from marketplace import ledger, money, services
from marketplace.models import Listing

DEMO_USERS = ("demo", "admin")
DEMO_PRICE_CENTS = 199


def seed_demo(*, stdout=None) -> None:
    lines = []
    for username in DEMO_USERS:
        user = User.objects.filter(username__iexact=username).first()
        if user is None:
            continue
        services.credit_grant(
            user=user,
            amount_cents=settings.MARKETPLACE_DEMO_CREDIT_CENTS,
            reason="demo credit (seed_demo)",
            reference=f"demo-credit:{user.pk}",
        )
        lines.append(
            f"Marketplace demo: {username} has {money.format_cents(ledger.wallet_balance(user=user))} to spend"
        )
    demo = User.objects.filter(username__iexact="demo").first()
    if demo is not None and not Listing.objects.filter(seller=demo).exists():
        game = (
            Game.objects.filter(creator=demo, status=Game.Status.ACTIVE, is_public=True)
            .order_by("-created_at")
            .first()
        )
        if game is not None:
            services.listing_create(
                user=demo, game=game, price_cents=DEMO_PRICE_CENTS, blurb="A demo game for sale."
            )
            lines.append(
                f"Marketplace demo: {game.title!r} is on sale for {money.format_cents(DEMO_PRICE_CENTS)} (/marketplace/)"
            )
    if stdout is not None:
        for line in lines:
            stdout.write(line)
