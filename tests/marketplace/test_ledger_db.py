"""The database itself refuses an unbalanced ledger transaction, whoever inserts it."""

from __future__ import annotations

import uuid

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from marketplace import ledger
from marketplace.models import LedgerAccount, LedgerEntry, LedgerTransaction

pytestmark = pytest.mark.django_db(transaction=True)


def _raw_unbalanced(leg_count: int) -> None:
    """Insert a transaction whose legs sum to +1 cent, bypassing ledger.post."""
    wallet = ledger.platform_account(LedgerAccount.Kind.PROMOTION)
    clearing = ledger.platform_account(LedgerAccount.Kind.PROVIDER)
    with transaction.atomic():
        txn = LedgerTransaction.objects.create(
            kind="credit_grant", reference=f"raw:{uuid.uuid4()}", leg_count=leg_count
        )
        LedgerEntry.objects.create(
            transaction=txn, account=wallet, amount_cents=100, currency=wallet.currency
        )
        LedgerEntry.objects.create(
            transaction=txn, account=clearing, amount_cents=-99, currency=clearing.currency
        )


def test_an_unbalanced_transaction_never_commits():
    with pytest.raises((IntegrityError, DatabaseError)):
        _raw_unbalanced(leg_count=2)
    assert not LedgerEntry.objects.exists()
    assert not LedgerTransaction.objects.exists()


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the commit-time check is PostgreSQL's")
def test_postgresql_checks_at_commit_even_with_fewer_legs_than_declared():
    with pytest.raises((IntegrityError, DatabaseError)):
        _raw_unbalanced(leg_count=3)
    assert not LedgerEntry.objects.exists()
    assert connection.vendor == "postgresql"


def test_a_balanced_raw_transaction_commits():
    a = ledger.platform_account(LedgerAccount.Kind.PROMOTION)
    b = ledger.platform_account(LedgerAccount.Kind.PROVIDER)
    with transaction.atomic():
        txn = LedgerTransaction.objects.create(kind="credit_grant", reference="raw:ok", leg_count=2)
        LedgerEntry.objects.create(transaction=txn, account=a, amount_cents=5, currency=a.currency)
        LedgerEntry.objects.create(transaction=txn, account=b, amount_cents=-5, currency=b.currency)
    assert ledger.ledger_check().ok and LedgerEntry.objects.count() == 2
