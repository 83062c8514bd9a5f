"""Listings, purchases, refunds and the double-entry ledger that records every cent.

Money is integer cents of one currency (`settings.MARKETPLACE_CURRENCY`), never float.
The ledger is append-only: every movement is one `LedgerTransaction` whose `LedgerEntry` legs
sum to zero. PostgreSQL enforces it at commit (a deferred constraint trigger) and refuses any
UPDATE or DELETE of posted rows; SQLite refuses UPDATE/DELETE and checks the sum when the
transaction's last declared leg arrives (migration 0002). `marketplace.ledger` posts.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q


def default_commission_rate() -> Decimal:
    return Decimal(str(settings.MARKETPLACE_COMMISSION_RATE))


def default_currency() -> str:
    return settings.MARKETPLACE_CURRENCY


class Listing(models.Model):
    """The seed's `marketplace_listings`: a game for sale (price 0: free). One per game."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    game = models.OneToOneField("games.Game", on_delete=models.PROTECT, related_name="listing")
    seller = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="listings")
    price_cents = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=3, default=default_currency)
    # A short sales pitch shown on the marketplace; checked by the content scanner.
    blurb = models.CharField(max_length=280, blank=True)
    sale_count = models.PositiveIntegerField(default=0)
    # Gross sales less refunds, in cents.
    revenue_cents = models.BigIntegerField(default=0)
    commission_rate = models.DecimalField(max_digits=5, decimal_places=4, default=default_commission_rate)
    is_active = models.BooleanField(default=True, db_index=True)
    # The content scanner said "hold": inactive until staff review it.
    held_for_review = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(price_cents__gte=0), name="mkt_listing_price_not_negative"),
            models.CheckConstraint(
                condition=Q(commission_rate__gte=0) & Q(commission_rate__lte=1),
                name="mkt_listing_commission_0_1",
            ),
        ]
        indexes = [models.Index(fields=["is_active", "price_cents"], name="mkt_listing_active_price")]

    def __str__(self) -> str:
        return f"{self.game} at {self.price_cents / 100:.2f} {self.currency}"

    @property
    def is_free(self) -> bool:
        return self.price_cents == 0

    @property
    def price(self) -> Decimal:
        return Decimal(self.price_cents) / 100


class Purchase(models.Model):
    """The seed's `game_purchases`. At most one live (pending or completed) purchase per buyer and game."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        COMPLETED = "completed", "Completed"
        REFUNDED = "refunded", "Refunded"
        FAILED = "failed", "Failed"

    class Provider(models.TextChoices):
        WALLET = "wallet", "Wallet"
        STRIPE = "stripe", "Stripe"
        FREE = "free", "Free"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="purchases")
    game = models.ForeignKey("games.Game", on_delete=models.PROTECT, related_name="purchases")
    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="purchases")
    seller = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sales")
    amount_cents = models.BigIntegerField()
    currency = models.CharField(max_length=3, default=default_currency)
    commission_cents = models.BigIntegerField(default=0)
    # Reserved by pending and completed refunds, so two refunds can never exceed the amount.
    refunded_cents = models.BigIntegerField(default=0)
    commission_refunded_cents = models.BigIntegerField(default=0)
    provider = models.CharField(max_length=20, choices=Provider.choices, default=Provider.WALLET)
    # The provider's reference: the wallet's ledger transaction or Stripe's PaymentIntent.
    transaction_id = models.CharField(max_length=100, blank=True, db_index=True)
    idempotency_key = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    failure_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["buyer", "game"],
                condition=Q(status__in=["pending", "completed"]),
                name="mkt_purchase_one_live_per_buyer_game",
            ),
            models.CheckConstraint(condition=Q(amount_cents__gte=0), name="mkt_purchase_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(refunded_cents__gte=0) & Q(refunded_cents__lte=F("amount_cents")),
                name="mkt_purchase_refunds_within_amount",
            ),
            models.CheckConstraint(
                condition=Q(commission_cents__gte=0) & Q(commission_cents__lte=F("amount_cents")),
                name="mkt_purchase_commission_within_amount",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.buyer} bought {self.game} ({self.amount_cents / 100:.2f} {self.currency}, {self.status})"
        )

    @property
    def seller_share_cents(self) -> int:
        return self.amount_cents - self.commission_cents

    @property
    def refundable_cents(self) -> int:
        return self.amount_cents - self.refunded_cents


class Refund(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    purchase = models.ForeignKey(Purchase, on_delete=models.PROTECT, related_name="refunds")
    amount_cents = models.BigIntegerField()
    # The platform's and the seller's parts of this refund (Stripe's refund_application_fee /
    # reverse_transfer): in proportion to the purchase's split, exact over all partial refunds.
    commission_cents = models.BigIntegerField(default=0)
    seller_cents = models.BigIntegerField(default=0)
    reason = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    provider_reference = models.CharField(max_length=100, blank=True, db_index=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="mkt_refund_amount_positive")
        ]

    def __str__(self) -> str:
        return f"refund {self.amount_cents / 100:.2f} of {self.purchase_id} ({self.status})"


class LedgerAccount(models.Model):
    """An account of the ledger; its balance is the sum of its entries."""

    class Kind(models.TextChoices):
        WALLET = "wallet", "Buyer wallet"
        SELLER = "seller", "Seller earnings"
        COMMISSION = "platform_commission", "Platform commission"
        PROMOTION = "platform_promotion", "Platform promotion (credit grants)"
        PROVIDER = "provider_clearing", "Payment provider clearing"
        PAYOUTS = "payouts_clearing", "Payouts to sellers"

    USER_KINDS = (Kind.WALLET, Kind.SELLER)

    kind = models.CharField(max_length=30, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_accounts",
    )
    currency = models.CharField(max_length=3, default=default_currency)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "user", "currency"],
                condition=Q(user__isnull=False),
                name="mkt_account_user_unique",
            ),
            models.UniqueConstraint(
                fields=["kind", "currency"],
                condition=Q(user__isnull=True),
                name="mkt_account_platform_unique",
            ),
        ]

    def __str__(self) -> str:
        who = f" of {self.user}" if self.user_id else ""
        return f"{self.get_kind_display()}{who} ({self.currency})"


class LedgerTransaction(models.Model):
    """One money movement. Append-only; its legs sum to zero (enforced in the database)."""

    class Kind(models.TextChoices):
        PURCHASE = "purchase", "Purchase"
        REFUND = "refund", "Refund"
        CREDIT_GRANT = "credit_grant", "Credit grant"
        PAYOUT = "payout", "Payout"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    # What caused it, unique: posting the same thing twice is refused by the database.
    reference = models.CharField(max_length=150, unique=True)
    memo = models.CharField(max_length=300, blank=True)
    purchase = models.ForeignKey(
        Purchase, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_transactions"
    )
    # How many legs it has: SQLite's trigger checks the sum when the last one arrives.
    leg_count = models.PositiveSmallIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.reference}"


class LedgerEntry(models.Model):
    """One leg: a signed amount on one account (positive: the account's balance grows)."""

    transaction = models.ForeignKey(LedgerTransaction, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="entries")
    amount_cents = models.BigIntegerField()
    currency = models.CharField(max_length=3, default=default_currency)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "ledger entries"
        indexes = [models.Index(fields=["account", "created_at"], name="mkt_entry_account_time")]

    def __str__(self) -> str:
        return f"{self.amount_cents:+d} {self.currency} on {self.account_id}"


class CreditGrant(models.Model):
    """Staff gave a user wallet credit, booked against the platform's promotion account."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="credit_grants")
    amount_cents = models.BigIntegerField()
    currency = models.CharField(max_length=3, default=default_currency)
    reason = models.CharField(max_length=300)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    transaction = models.OneToOneField(
        LedgerTransaction, on_delete=models.PROTECT, related_name="credit_grant"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=Q(amount_cents__gt=0), name="mkt_credit_positive")]

    def __str__(self) -> str:
        return f"{self.amount_cents / 100:.2f} {self.currency} to {self.user}"


class IdempotencyKey(models.Model):
    """Stripe's semantics: same key + same parameters -> the stored first answer; other parameters -> 409."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    scope = models.CharField(max_length=50)
    fingerprint = models.CharField(max_length=64)
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="mkt_idempotency_user_key")]

    def __str__(self) -> str:
        return f"{self.key} ({self.scope})"


class SellerAccount(models.Model):
    """A seller's Stripe Connect account (only when STRIPE_* is configured)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="seller_account"
    )
    stripe_account_id = models.CharField(max_length=100, unique=True)
    charges_enabled = models.BooleanField(default=False)
    payouts_enabled = models.BooleanField(default=False)
    transfers_active = models.BooleanField(default=False)
    details_submitted = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user} ({self.stripe_account_id})"

    @property
    def can_receive(self) -> bool:
        return self.transfers_active or self.charges_enabled


class StripeEvent(models.Model):
    """A webhook event handled once: the event id is the key (events come twice and out of order)."""

    id = models.CharField(primary_key=True, max_length=100)
    type = models.CharField(max_length=100)
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.type} {self.id}"


class PayoutReport(models.Model):
    """What a seller earned in a period, from the ledger (built by a beat task; CSV in the admin)."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        PAID = "paid", "Paid"

    seller = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payout_reports"
    )
    period_start = models.DateField()
    period_end = models.DateField(help_text="Inclusive.")
    currency = models.CharField(max_length=3, default=default_currency)
    sales_count = models.PositiveIntegerField(default=0)
    refund_count = models.PositiveIntegerField(default=0)
    gross_cents = models.BigIntegerField(default=0)
    refunds_cents = models.BigIntegerField(default=0)
    commission_cents = models.BigIntegerField(default=0)
    net_cents = models.BigIntegerField(default=0)
    # Of the net, what was paid through Stripe Connect transfers (already at the seller's Stripe).
    paid_via_provider_cents = models.BigIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    payout_transaction = models.OneToOneField(
        LedgerTransaction, null=True, blank=True, on_delete=models.PROTECT, related_name="payout_report"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period_start", "seller"]
        constraints = [
            models.UniqueConstraint(
                fields=["seller", "period_start", "period_end", "currency"], name="mkt_payout_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.seller} {self.period_start}..{self.period_end}"

    @property
    def payable_cents(self) -> int:
        return self.net_cents - self.paid_via_provider_cents
