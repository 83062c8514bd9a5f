"""Wallet credit: staff grants (and demo credit), booked against the platform's promotion account."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import transaction

from gamefactory.errors import ApplicationError
from gamefactory.notifications import notify_user
from marketplace import ledger, money
from marketplace.models import CreditGrant, LedgerAccount, LedgerTransaction

Kind = LedgerAccount.Kind


@transaction.atomic
def credit_grant(
    *, user, amount_cents: int, reason: str, granted_by=None, reference: str | None = None
) -> CreditGrant:
    """Give `user` wallet credit. `reference` makes it idempotent (the demo's credit is given once)."""
    if granted_by is not None and not granted_by.is_staff:
        raise ApplicationError("Only staff grant credit.", code="permission_denied", status=403)
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int) or amount_cents <= 0:
        raise ApplicationError.for_field(
            "amount", "The amount must be more than zero.", code="invalid_amount"
        )
    if amount_cents > settings.MARKETPLACE_MAX_CREDIT_CENTS:
        raise ApplicationError.for_field(
            "amount",
            f"At most {money.format_cents(settings.MARKETPLACE_MAX_CREDIT_CENTS)} at once.",
            code="amount_too_large",
        )
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError.for_field(
            "reason", "Say why (it is kept with the ledger entry).", code="required"
        )
    if not user.is_active:
        raise ApplicationError.for_field("user", "This account is not active.", code="inactive_user")
    grant_reference = reference or f"credit:{uuid.uuid4()}"
    existing = (
        CreditGrant.objects.filter(transaction__reference=grant_reference)
        .select_related("transaction")
        .first()
    )
    if existing is not None:
        return existing
    txn = ledger.post(
        kind=LedgerTransaction.Kind.CREDIT_GRANT,
        reference=grant_reference,
        memo=reason,
        created_by=granted_by,
        legs=[
            ledger.Leg(ledger.platform_account(Kind.PROMOTION), -amount_cents),
            ledger.Leg(ledger.account_for(kind=Kind.WALLET, user=user), amount_cents),
        ],
    )
    grant = CreditGrant.objects.create(
        user=user, amount_cents=amount_cents, reason=reason[:300], granted_by=granted_by, transaction=txn
    )
    notify_user(
        user_id=user.pk,
        event={"type": "marketplace.credit", "amount_cents": amount_cents, "currency": grant.currency},
    )
    return grant
