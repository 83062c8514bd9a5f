"""Marketplace benchmark on PostgreSQL: purchases per second with 50 concurrent buyers, charges
against purchases, the ledger's sum, and double charges under a storm of duplicate submits.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gf_bench_marketplace .venv/bin/python bench/marketplace.py

50 threads, each with its own database connection, act as 50 buyers. Each buys `--games` games
through what the API runs (the idempotency layer with a fresh key, then `purchase_create`: the
buyer's wallet lock, the one-live-purchase index, the balanced ledger transaction, the listing's
counters). The peer measured in the same run is the floor of that write path: the same number of
bare balanced 3-leg ledger postings from 50 threads, with no lock, purchase row or counter.

Then the storm: for each of `--storm-rounds` games, 50 threads submit the same purchase for one
buyer at once, half replaying one idempotency key and half with keys of their own. Every round
must end with exactly one charge. The ledger's sum over every entry must be 0 at the end.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
import uuid
from pathlib import Path

from benchlib import ensure_database

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/gf_bench_marketplace"


def run_threads(n: int, work) -> tuple[float, list]:
    barrier = threading.Barrier(n + 1)
    results: list = [None] * n

    def body(i):
        from django.db import connections

        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:  # counted and shown
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=body, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    return time.perf_counter() - start, results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--buyers", type=int, default=50)
    parser.add_argument("--games", type=int, default=10, help="games each buyer buys")
    parser.add_argument("--storm-rounds", type=int, default=20)
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        sys.exit("bench/marketplace.py needs PostgreSQL (DATABASE_URL=postgres://...)")
    ensure_database(args.database_url)
    os.environ.update(
        DATABASE_URL=args.database_url,
        DJANGO_SETTINGS_MODULE="gamefactory.settings",
        DEBUG="1",
        REDIS_URL=os.environ.get("REDIS_URL", ""),
        VAR_DIR=os.environ.get("VAR_DIR", str(ROOT / "var" / "bench")),
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", "--noinput", verbosity=0)
    from accounts.models import User
    from games.models import Game
    from marketplace import ledger, services
    from marketplace.models import LedgerAccount, LedgerTransaction, Listing, Purchase

    run = uuid.uuid4().hex[:8]
    n_buyers, n_games = args.buyers, args.games

    def user(name):
        return User.objects.create_user(
            username=f"b{run}-{name}", email=f"{name}-{run}@bench.local", password=None
        )

    seller = user("seller")
    listings = []
    for g in range(n_games + args.storm_rounds):
        game = Game.objects.create(
            creator=seller,
            title=f"Bench {g}",
            slug=f"bench-{run}-{g}",
            category="arcade",
            spec={},
            origin="studio",
        )
        listings.append(services.listing_create(user=seller, game=game, price_cents=299))
    buyers = [user(f"buyer{i}") for i in range(n_buyers)]
    for b in buyers:
        services.credit_grant(user=b, amount_cents=299 * (n_games + 1), reason="bench")
    sale_listings = listings[:n_games]
    storm_listings = listings[n_games:]
    print(
        f"PostgreSQL {connection.pg_version // 10000}, {n_buyers} buyer threads, {n_games} games each, price 2.99"
    )

    # --- purchases per second -------------------------------------------------------------
    def buy_all(i):
        ok = 0
        for listing in sale_listings[i % n_games :] + sale_listings[: i % n_games]:  # different orders

            def call(listing=listing):
                services.purchase_create(buyer=buyers[i], listing=listing, idempotency_key="k")
                return 201, {}

            answer = services.idempotent_call(
                user=buyers[i],
                key=str(uuid.uuid4()),
                scope="purchase",
                params={"listing": str(listing.pk)},
                call=call,
            )
            ok += answer.status == 201
        return ok

    elapsed, results = run_threads(n_buyers, buy_all)
    errors = [r for r in results if isinstance(r, Exception)]
    purchases = sum(r for r in results if isinstance(r, int))
    print(
        f"purchases: {purchases} in {elapsed:.2f} s = {purchases / elapsed:.0f} purchases/s ({len(errors)} errors)"
    )

    # --- the peer: bare balanced postings -------------------------------------------------
    commission = ledger.platform_account(LedgerAccount.Kind.COMMISSION)
    promo = ledger.platform_account(LedgerAccount.Kind.PROMOTION)
    seller_acct = ledger.account_for(kind=LedgerAccount.Kind.SELLER, user=seller)

    def post_all(i):
        for _ in range(n_games):
            ledger.post(
                kind="credit_grant",
                reference=f"bench:{uuid.uuid4()}",
                legs=[ledger.Leg(promo, -299), ledger.Leg(seller_acct, 209), ledger.Leg(commission, 90)],
            )
        return n_games

    peer_elapsed, peer_results = run_threads(n_buyers, post_all)
    posts = sum(r for r in peer_results if isinstance(r, int))
    print(
        f"peer, bare 3-leg ledger postings: {posts} in {peer_elapsed:.2f} s = {posts / peer_elapsed:.0f}/s "
        f"(purchases run at {100 * (purchases / elapsed) / (posts / peer_elapsed):.0f} % of it)"
    )

    # --- the storm --------------------------------------------------------------------------
    storm_buyer = user("storm")
    services.credit_grant(user=storm_buyer, amount_cents=299 * args.storm_rounds, reason="bench storm")
    statuses: dict[int, int] = {}
    storm_start = time.perf_counter()
    for listing in storm_listings:
        shared = str(uuid.uuid4())

        def submit(i, listing=listing, shared=shared):
            def call():
                services.purchase_create(buyer=storm_buyer, listing=listing)
                return 201, {}

            key = shared if i % 2 == 0 else str(uuid.uuid4())
            return services.idempotent_call(
                user=storm_buyer, key=key, scope="purchase", params={"listing": str(listing.pk)}, call=call
            ).status

        _, results = run_threads(n_buyers, submit)
        for r in results:
            code = r if isinstance(r, int) else 500
            statuses[code] = statuses.get(code, 0) + 1
    storm_elapsed = time.perf_counter() - storm_start
    storm_charges = (
        LedgerTransaction.objects.filter(kind="purchase", purchase__buyer=storm_buyer)
        .values("purchase__game")
        .distinct()
        .count()
    )
    # More purchases than games charged, for the storm's buyer, would be a double charge.
    double = Purchase.objects.filter(buyer=storm_buyer).count() - storm_charges
    print(
        f"storm: {args.storm_rounds} rounds x {n_buyers} simultaneous submits (half one key, half new keys) "
        f"in {storm_elapsed:.2f} s; answers {dict(sorted(statuses.items()))}"
    )

    # --- the books --------------------------------------------------------------------------
    charges = LedgerTransaction.objects.filter(
        kind="purchase", purchase__game__slug__startswith=f"bench-{run}"
    ).count()
    completed = Purchase.objects.filter(game__slug__startswith=f"bench-{run}", status="completed").count()
    per_buyer_game = (
        Purchase.objects.filter(game__slug__startswith=f"bench-{run}")
        .values("buyer", "game")
        .distinct()
        .count()
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(SUM(amount_cents), 0) FROM marketplace_ledgerentry")
        ledger_sum = cursor.fetchone()[0]
    check = ledger.ledger_check()
    print(
        f"charges (purchase ledger transactions): {charges}; completed purchases: {completed}; equal: {charges == completed}"
    )
    print(
        f"storm charges: {storm_charges} for {args.storm_rounds} games; double charges: {double + (completed - per_buyer_game)}"
    )
    print(
        f"ledger sum over every entry: {ledger_sum}; unbalanced transactions: {len(check.unbalanced_transactions)}"
    )
    print(
        f"listing counters: {sum(Listing.objects.filter(game__slug__startswith=f'bench-{run}').values_list('sale_count', flat=True))} sales"
    )
    ok = (
        charges == completed
        and ledger_sum == 0
        and check.ok
        and storm_charges == args.storm_rounds
        and double == 0
        and not errors
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
