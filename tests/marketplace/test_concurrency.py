"""Concurrency on real PostgreSQL: 50 attempts by one buyer for one game charge once, and the
ledger sums to zero after a storm of purchases, duplicate submits and refunds.

Threads, each with its own database connection, start together at a barrier and go through
the API (idempotency layer, row locks, the database's constraints), as 50 clients would.
"""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from marketplace import ledger, services
from marketplace.models import LedgerEntry, LedgerTransaction, Purchase
from tests.factories import StaffFactory, UserFactory
from tests.marketplace.conftest import make_game

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "connection.vendor != 'postgresql'", reason="needs PostgreSQL (row locks across connections)"
    ),
]


def storm(workers: int, work) -> list:
    """Run work(i) in `workers` threads released together; results (or exceptions) in order."""
    barrier = threading.Barrier(workers)
    results: list = [None] * workers

    def run(i):
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as exc:  # the test asserts on them
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def _client(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}
    from marketplace import api

    saved = api.PurchaseApi.throttle_classes
    api.PurchaseApi.throttle_classes = []
    yield
    api.PurchaseApi.throttle_classes = saved


def test_fifty_concurrent_purchases_by_one_buyer_charge_exactly_once():
    # given: a buyer with credit for many copies, and a game at 2.99
    seller, buyer = UserFactory(), UserFactory()
    listing = services.listing_create(user=seller, game=make_game(seller), price_cents=299)
    services.credit_grant(user=buyer, amount_cents=50 * 299, reason="storm")
    url = f"/api/v1/marketplace/{listing.pk}/purchase"
    shared_key = str(uuid.uuid4())

    # when: 50 at once; half replay one key, half bring their own (double clicks, retries)
    def attempt(i):
        key = shared_key if i % 2 == 0 else str(uuid.uuid4())
        response = _client(buyer).post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY=key)
        return response.status_code

    statuses = storm(50, attempt)

    # then: exactly one charge; everyone else got the stored answer or "already owned"
    assert all(isinstance(s, int) for s in statuses), statuses
    assert set(statuses) <= {201, 409}, statuses
    assert statuses.count(201) >= 1
    assert Purchase.objects.filter(buyer=buyer).count() == 1
    assert LedgerTransaction.objects.filter(kind="purchase").count() == 1
    assert ledger.wallet_balance(user=buyer) == 50 * 299 - 299
    assert ledger.ledger_check().ok


def test_the_ledger_sums_to_zero_after_a_storm_of_buyers_duplicates_and_refunds():
    # given: 3 sellers with 2 games each, 8 buyers with credit
    sellers = [UserFactory() for _ in range(3)]
    listings = [
        services.listing_create(user=s, game=make_game(s), price_cents=price)
        for s in sellers
        for price in (199, 333)
    ]
    buyers = [UserFactory() for _ in range(8)]
    for b in buyers:
        services.credit_grant(user=b, amount_cents=1500, reason="storm")
    staff = StaffFactory()

    # when: 48 threads buy (with repeats), then 16 refund at once, some the same purchase twice
    def buy(i):
        b, listing = buyers[i % 8], listings[(i // 8) % 6]
        return _client(b).post(f"/api/v1/marketplace/{listing.pk}/purchase", {}, format="json").status_code

    bought = storm(48, buy)
    assert set(bought) <= {201, 402, 409}, bought
    purchases = list(Purchase.objects.filter(status="completed").order_by("created_at"))

    def refund(i):
        p = purchases[i % 8]
        body = {"amount_cents": 100} if i % 3 == 0 else {}
        return (
            _client(staff)
            .post(f"/api/v1/marketplace/purchases/{p.pk}/refund", body, format="json")
            .status_code
        )

    refunded = storm(16, refund)
    assert set(refunded) <= {201, 400, 409}, refunded

    # then: no buyer owns a game twice, no refund exceeds its payment, the ledger balances
    assert Purchase.objects.filter(status__in=["pending", "completed"]).values(
        "buyer", "game"
    ).distinct().count() == (Purchase.objects.filter(status__in=["pending", "completed"]).count())
    for p in Purchase.objects.all():
        refunds = sum(r.amount_cents for r in p.refunds.filter(status="completed"))
        assert refunds == p.refunded_cents <= p.amount_cents
    check = ledger.ledger_check()
    assert check.ok, check
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(SUM(amount_cents), 0) FROM marketplace_ledgerentry")
        assert cursor.fetchone()[0] == 0
    for b in buyers:
        assert ledger.wallet_balance(user=b) >= 0
    assert LedgerEntry.objects.count() > 0
