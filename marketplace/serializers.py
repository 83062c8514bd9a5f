"""API shapes. Money goes out as integer cents plus a decimal string, never a float."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace import money
from marketplace.models import Listing, Purchase, Refund


@extend_schema_field(OpenApiTypes.STR)
class MoneyField(serializers.Field):
    """Out: the decimal string of integer cents ("2.99")."""

    def to_representation(self, value):
        return money.decimal_string(value)


class ListingGameOutput(serializers.Serializer):
    id = serializers.UUIDField()
    slug = serializers.CharField()
    title = serializers.CharField()
    category = serializers.CharField()
    rating = serializers.DecimalField(max_digits=3, decimal_places=2)
    play_count = serializers.IntegerField()
    creator = serializers.CharField(source="creator.username")


class ListingOutput(serializers.ModelSerializer):
    game = ListingGameOutput()
    seller = serializers.CharField(source="seller.username")
    seller_id = serializers.UUIDField()
    price = MoneyField(source="price_cents")
    revenue = MoneyField(source="revenue_cents")
    is_free = serializers.BooleanField()

    class Meta:
        model = Listing
        fields = [
            "id", "game", "seller", "seller_id", "price", "price_cents", "currency", "blurb", "is_free",
            "sale_count", "revenue", "revenue_cents", "commission_rate", "is_active", "held_for_review",
            "created_at", "updated_at",
        ]  # fmt: skip


class ListingPublicOutput(ListingOutput):
    """What anyone sees: no revenue."""

    class Meta(ListingOutput.Meta):
        fields = [
            "id", "game", "seller", "seller_id", "price", "price_cents", "currency", "blurb", "is_free",
            "sale_count", "is_active", "created_at",
        ]  # fmt: skip


class ListingCreateInput(serializers.Serializer):
    game = serializers.UUIDField(help_text="The game's id (yours, public and active).")
    price = serializers.CharField(
        required=False, help_text='Decimal string, at most two decimals: "2.99". Or price_cents.'
    )
    price_cents = serializers.IntegerField(required=False, min_value=0)
    currency = serializers.CharField(
        required=False, help_text="Must be the platform's currency (EUR by default)."
    )
    blurb = serializers.CharField(required=False, allow_blank=True, max_length=280)


class ListingUpdateInput(serializers.Serializer):
    price = serializers.CharField(required=False)
    price_cents = serializers.IntegerField(required=False, min_value=0)
    currency = serializers.CharField(required=False)
    blurb = serializers.CharField(required=False, allow_blank=True, max_length=280)
    is_active = serializers.BooleanField(required=False)
    commission_rate = serializers.CharField(required=False, help_text='Staff only: "0.3000".')


class PurchaseInput(serializers.Serializer):
    payment_method = serializers.ChoiceField(choices=["wallet", "stripe"], required=False)
    payment_method_id = serializers.CharField(
        required=False, help_text="Stripe payment method (pm_...) for card payments."
    )
    price = serializers.CharField(
        required=False, help_text="The price the buyer saw; a changed price is 409."
    )
    price_cents = serializers.IntegerField(required=False)
    currency = serializers.CharField(required=False)


class RefundOutput(serializers.ModelSerializer):
    amount = MoneyField(source="amount_cents")

    class Meta:
        model = Refund
        fields = [
            "id",
            "amount",
            "amount_cents",
            "commission_cents",
            "seller_cents",
            "status",
            "reason",
            "created_at",
            "completed_at",
        ]


class PurchaseOutput(serializers.ModelSerializer):
    game = ListingGameOutput()
    listing = serializers.UUIDField(source="listing_id")
    seller = serializers.CharField(source="seller.username")
    amount_paid = MoneyField(source="amount_cents")
    commission = MoneyField(source="commission_cents")
    refunded = MoneyField(source="refunded_cents")
    purchase_date = serializers.DateTimeField(source="created_at")
    refunds = RefundOutput(many=True)

    class Meta:
        model = Purchase
        fields = [
            "id", "game", "listing", "seller", "amount_paid", "amount_cents", "currency", "commission",
            "commission_cents", "refunded", "refunded_cents", "provider", "transaction_id", "status",
            "purchase_date", "completed_at", "refunds",
        ]  # fmt: skip


class RefundInput(serializers.Serializer):
    amount = serializers.CharField(
        required=False, help_text="Default: all that is left. Partial refunds: staff."
    )
    amount_cents = serializers.IntegerField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300)


class CreditInput(serializers.Serializer):
    user = serializers.CharField(help_text="User id or username.")
    amount = serializers.CharField(required=False, help_text='"20.00"; or amount_cents.')
    amount_cents = serializers.IntegerField(required=False)
    reason = serializers.CharField(max_length=300)
    currency = serializers.CharField(required=False)


class CreditOutput(serializers.Serializer):
    id = serializers.UUIDField()
    user = serializers.CharField(source="user.username")
    amount = MoneyField(source="amount_cents")
    amount_cents = serializers.IntegerField()
    currency = serializers.CharField()
    reason = serializers.CharField()
    balance_cents = serializers.IntegerField()
    transaction = serializers.UUIDField(source="transaction_id")


class WalletEntryOutput(serializers.Serializer):
    amount_cents = serializers.IntegerField()
    kind = serializers.CharField(source="transaction.kind")
    memo = serializers.CharField(source="transaction.memo")
    created_at = serializers.DateTimeField()


class WalletOutput(serializers.Serializer):
    balance = MoneyField(source="balance_cents")
    balance_cents = serializers.IntegerField()
    currency = serializers.CharField()
    entries = WalletEntryOutput(many=True)


class SalesDayOutput(serializers.Serializer):
    date = serializers.DateField()
    sales = serializers.IntegerField()
    gross_cents = serializers.IntegerField()
    refunds = serializers.IntegerField()
    refunds_cents = serializers.IntegerField()
    commission_cents = serializers.IntegerField()
    net_cents = serializers.IntegerField()
    plays = serializers.IntegerField()
    conversion = serializers.FloatField(
        allow_null=True, help_text="Sales per play that day (a ratio, not money)."
    )


class SalesOutput(serializers.Serializer):
    currency = serializers.CharField()
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    games = serializers.ListField(child=serializers.UUIDField())
    days = SalesDayOutput(many=True)
    totals = serializers.DictField()
    balance_cents = serializers.IntegerField(
        help_text="What the platform owes you now (wallet sales, not yet paid out)."
    )


class OnboardInput(serializers.Serializer):
    return_url = serializers.URLField(required=False)
    refresh_url = serializers.URLField(required=False)


class OnboardOutput(serializers.Serializer):
    url = serializers.URLField()


class WebhookOutput(serializers.Serializer):
    received = serializers.BooleanField()
    duplicate = serializers.BooleanField()
