"""The double-entry ledger: accounts, posting balanced transactions, balances.

Every money movement is one `post()` call: one `LedgerTransaction` and its legs, which must sum
to zero per currency. `post` checks that in Python (everywhere), and the database checks it again
(PostgreSQL at commit, SQLite when the last leg arrives; migration 0002). Posted rows are never
changed or deleted; a mistake is corrected by another transaction. `reference` is unique, so the
same event posted twice (a retried task, a webhook delivered twice) fails instead of counting twice.

Sign convention: a positive leg grows the account's balance. A buyer's wallet balance is what the
platform owes the buyer; a seller account's balance is what it owes the seller; the promotion
account goes negative by the credit staff gave away; provider clearing goes negative by what a
payment provider collected for us.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Sum

from gamefactory.errors import ApplicationError
from marketplace import money
from marketplace.models import LedgerAccount, LedgerEntry, LedgerTransaction

Kind = LedgerAccount.Kind


class UnbalancedTransaction(ValueError):
    pass


@dataclass(frozen=True)
class Leg:
    account: LedgerAccount
    amount_cents: int


def account_for(*, kind: str, user=None, currency: str | None = None) -> LedgerAccount:
    """The account (made on first use, safely under concurrency)."""
    currency = currency or money.currency()
    if kind in LedgerAccount.USER_KINDS and user is None:
        raise ValueError(f"a {kind} account belongs to a user")
    user_id = user.pk if user is not None else None
    lookup = {"kind": kind, "currency": currency, "user_id": user_id}
    found = LedgerAccount.objects.filter(**lookup).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return LedgerAccount.objects.create(**lookup)
    except IntegrityError:
        return LedgerAccount.objects.get(**lookup)


def platform_account(kind: str) -> LedgerAccount:
    return account_for(kind=kind)


@transaction.atomic(savepoint=False)
def post(*, kind: str, reference: str, legs: list[Leg], memo: str = "", purchase=None, created_by=None):
    """Post one balanced transaction; raises UnbalancedTransaction when the legs do not sum to zero."""
    legs = [leg for leg in legs if leg.amount_cents != 0]
    if len(legs) < 2:
        raise UnbalancedTransaction("a transaction needs at least two non-zero legs")
    totals: dict[str, int] = defaultdict(int)
    for leg in legs:
        if isinstance(leg.amount_cents, bool) or not isinstance(leg.amount_cents, int):
            raise UnbalancedTransaction("amounts are integer cents")
        totals[leg.account.currency] += leg.amount_cents
    if any(totals.values()):
        raise UnbalancedTransaction(f"legs sum to {dict(totals)}, not zero")
    txn = LedgerTransaction.objects.create(
        kind=kind,
        reference=reference,
        memo=memo[:300],
        purchase=purchase,
        created_by=created_by,
        leg_count=len(legs),
    )
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                transaction=txn,
                account=leg.account,
                amount_cents=leg.amount_cents,
                currency=leg.account.currency,
            )
            for leg in legs
        ]
    )
    return txn


def balance_of(account: LedgerAccount | None) -> int:
    if account is None or account.pk is None:
        return 0
    return LedgerEntry.objects.filter(account=account).aggregate(s=Sum("amount_cents"))["s"] or 0


def wallet_balance(*, user, currency: str | None = None) -> int:
    account = LedgerAccount.objects.filter(
        kind=Kind.WALLET, user=user, currency=currency or money.currency()
    ).first()
    return balance_of(account)


def wallet_lock(*, user) -> LedgerAccount:
    """The buyer's wallet account, locked until the end of the transaction (one spender at a time).

    FOR NO KEY UPDATE: other transactions may still insert entries that reference it (a refund
    credited to this wallet) without waiting."""
    account = account_for(kind=Kind.WALLET, user=user)
    return LedgerAccount.objects.select_for_update(no_key=True).get(pk=account.pk)


@dataclass(frozen=True)
class LedgerCheck:
    ok: bool
    total_by_currency: dict[str, int]
    unbalanced_transactions: list[str]
    transactions: int
    entries: int


def ledger_check() -> LedgerCheck:
    """Does the whole ledger balance? The sum of every entry, and any transaction whose legs do not."""
    totals = {
        row["currency"]: row["s"] or 0
        for row in LedgerEntry.objects.values("currency").annotate(s=Sum("amount_cents")).order_by("currency")
    }
    unbalanced = list(
        LedgerEntry.objects.values("transaction_id", "currency")
        .annotate(s=Sum("amount_cents"))
        .exclude(s=0)
        .values_list("transaction_id", flat=True)[:20]
    )
    return LedgerCheck(
        ok=not any(totals.values()) and not unbalanced,
        total_by_currency=totals,
        unbalanced_transactions=[str(t) for t in unbalanced],
        transactions=LedgerTransaction.objects.count(),
        entries=LedgerEntry.objects.count(),
    )


def insufficient_funds(*, balance: int, needed: int) -> ApplicationError:
    return ApplicationError(
        f"Your wallet holds {money.format_cents(balance)}; this costs {money.format_cents(needed)}.",
        code="insufficient_funds",
        fields={
            "wallet": [f"Balance {money.format_cents(balance)} is less than {money.format_cents(needed)}."]
        },
        status=402,
    )
