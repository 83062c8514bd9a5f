"""Staff: listings, purchases (refund action), the ledger (read-only, filtered), wallet credit
grants, payout reports (CSV export, mark paid, build the last period). The admin index shows
whether the ledger balances (templates/admin/index.html)."""

from __future__ import annotations

import csv

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import Sum
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse

from gamefactory.errors import ApplicationError
from marketplace import money, services
from marketplace.models import (
    CreditGrant,
    IdempotencyKey,
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    Listing,
    PayoutReport,
    Purchase,
    Refund,
    SellerAccount,
    StripeEvent,
)
from marketplace.services.payouts import CSV_HEADER, payout_csv_rows


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Listing)
class ListingAdmin(admin.ModelAdmin):
    list_display = (
        "game",
        "seller",
        "price_display",
        "is_active",
        "held_for_review",
        "sale_count",
        "revenue_display",
        "commission_rate",
        "created_at",
    )
    list_filter = ("is_active", "held_for_review", "currency", "created_at")
    search_fields = ("game__title", "seller__username", "blurb")
    raw_id_fields = ("game", "seller")
    readonly_fields = ("sale_count", "revenue_cents", "created_at", "updated_at")
    fields = (
        "game",
        "seller",
        "price_cents",
        "currency",
        "blurb",
        "commission_rate",
        "is_active",
        "held_for_review",
        "sale_count",
        "revenue_cents",
        "created_at",
        "updated_at",
    )
    actions = ["approve", "take_off_sale"]

    @admin.display(description="price", ordering="price_cents")
    def price_display(self, obj):
        return money.format_cents(obj.price_cents, obj.currency)

    @admin.display(description="revenue", ordering="revenue_cents")
    def revenue_display(self, obj):
        return money.format_cents(obj.revenue_cents, obj.currency)

    def has_add_permission(self, request):
        return False  # sellers list their games (pages, API); staff adjust here

    def save_model(self, request, obj, form, change):
        fields = {}
        for name in form.changed_data:
            if name in ("price_cents", "blurb", "commission_rate", "is_active"):
                fields[name] = form.cleaned_data[name]
        try:
            services.listing_update(listing=obj, user=request.user, **fields)
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)

    @admin.action(description="Approve (put on sale after review)")
    def approve(self, request, queryset):
        for listing in queryset:
            try:
                services.listing_update(listing=listing, user=request.user, is_active=True)
            except ApplicationError as exc:
                self.message_user(request, f"{listing.game}: {exc.message}", messages.ERROR)

    @admin.action(description="Take off sale")
    def take_off_sale(self, request, queryset):
        for listing in queryset:
            services.listing_remove(listing=listing, user=request.user)


class RefundInline(admin.TabularInline):
    model = Refund
    extra = 0
    can_delete = False
    fields = (
        "amount_cents",
        "commission_cents",
        "seller_cents",
        "status",
        "reason",
        "requested_by",
        "created_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Purchase)
class PurchaseAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "game",
        "buyer",
        "seller",
        "amount_display",
        "refunded_display",
        "provider",
        "status",
    )
    list_filter = ("status", "provider", "currency", "created_at")
    search_fields = ("game__title", "buyer__username", "seller__username", "transaction_id", "id")
    date_hierarchy = "created_at"
    list_select_related = ("game", "buyer", "seller")
    inlines = [RefundInline]
    actions = ["refund_in_full"]

    def has_change_permission(self, request, obj=None):
        return request.user.is_staff and obj is None  # the list and its actions; rows are read-only

    @admin.display(description="paid", ordering="amount_cents")
    def amount_display(self, obj):
        return money.format_cents(obj.amount_cents, obj.currency)

    @admin.display(description="refunded", ordering="refunded_cents")
    def refunded_display(self, obj):
        return money.format_cents(obj.refunded_cents, obj.currency)

    @admin.action(description="Refund in full (what is left of each)")
    def refund_in_full(self, request, queryset):
        done = 0
        for purchase in queryset:
            try:
                services.refund_create(purchase=purchase, user=request.user, reason="refunded by staff")
                done += 1
            except ApplicationError as exc:
                self.message_user(request, f"{purchase.game}: {exc.message}", messages.WARNING)
        if done:
            self.message_user(
                request, f"{done} purchase{'s' if done != 1 else ''} refunded.", messages.SUCCESS
            )


class EntryInline(admin.TabularInline):
    model = LedgerEntry
    extra = 0
    can_delete = False
    fields = ("account", "amount_cents", "currency", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(LedgerTransaction)
class LedgerTransactionAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "reference", "memo", "purchase", "created_by")
    list_filter = ("kind", "created_at")
    search_fields = ("reference", "memo", "id")
    date_hierarchy = "created_at"
    inlines = [EntryInline]

    def has_change_permission(self, request, obj=None):
        return request.user.is_staff and obj is None


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "account", "amount_display", "transaction_kind", "transaction")
    list_filter = ("account__kind", "currency", "transaction__kind", "created_at")
    search_fields = ("account__user__username", "transaction__reference", "transaction__memo")
    date_hierarchy = "created_at"
    list_select_related = ("account", "account__user", "transaction")

    @admin.display(description="amount", ordering="amount_cents")
    def amount_display(self, obj):
        return money.format_cents(obj.amount_cents, obj.currency)

    @admin.display(description="kind")
    def transaction_kind(self, obj):
        return obj.transaction.get_kind_display()


@admin.register(LedgerAccount)
class LedgerAccountAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "kind", "user", "currency", "balance_display")
    list_filter = ("kind", "currency")
    search_fields = ("user__username",)
    list_select_related = ("user",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(balance=Sum("entries__amount_cents"))

    @admin.display(description="balance", ordering="balance")
    def balance_display(self, obj):
        return money.format_cents(obj.balance or 0, obj.currency)


class CreditGrantForm(forms.ModelForm):
    amount = forms.CharField(help_text='In euros, like "20.00".', max_length=12)

    class Meta:
        model = CreditGrant
        fields = ("user", "reason")

    def clean_amount(self):
        try:
            return money.cents_from_input(
                value=self.cleaned_data["amount"],
                field="amount",
                maximum=settings.MARKETPLACE_MAX_CREDIT_CENTS,
                allow_zero=False,
            )
        except ApplicationError as exc:
            raise forms.ValidationError(exc.fields["amount"][0]) from None


@admin.register(CreditGrant)
class CreditGrantAdmin(admin.ModelAdmin):
    """Give wallet credit: booked against the platform's promotion account."""

    form = CreditGrantForm
    list_display = ("created_at", "user", "amount_display", "reason", "granted_by")
    list_filter = ("created_at",)
    search_fields = ("user__username", "reason")
    raw_id_fields = ("user",)

    def has_change_permission(self, request, obj=None):
        return obj is None and request.user.is_staff

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="amount", ordering="amount_cents")
    def amount_display(self, obj):
        return money.format_cents(obj.amount_cents, obj.currency)

    def save_model(self, request, obj, form, change):
        grant = services.credit_grant(
            user=form.cleaned_data["user"],
            amount_cents=form.cleaned_data["amount"],
            reason=form.cleaned_data["reason"],
            granted_by=request.user,
        )
        obj.pk = grant.pk
        obj.__dict__.update({k: v for k, v in grant.__dict__.items() if k != "_state"})
        obj._state.adding = False


@admin.register(PayoutReport)
class PayoutReportAdmin(ReadOnlyAdmin):
    list_display = (
        "seller",
        "period_start",
        "period_end",
        "sales_count",
        "refund_count",
        "gross",
        "commission",
        "net",
        "payable",
        "status",
    )
    list_filter = ("status", "period_start", "currency")
    search_fields = ("seller__username",)
    list_select_related = ("seller",)
    actions = ["export_csv", "mark_paid"]
    change_list_template = "admin/marketplace/payoutreport/change_list.html"

    def has_change_permission(self, request, obj=None):
        return request.user.is_staff and obj is None

    def gross(self, obj):
        return money.format_cents(obj.gross_cents, obj.currency)

    def commission(self, obj):
        return money.format_cents(obj.commission_cents, obj.currency)

    def net(self, obj):
        return money.format_cents(obj.net_cents, obj.currency)

    def payable(self, obj):
        return money.format_cents(obj.payable_cents, obj.currency)

    @admin.action(description="Export as CSV")
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="payouts.csv"'
        writer = csv.writer(response)
        writer.writerow(CSV_HEADER)
        writer.writerows(
            payout_csv_rows(queryset.select_related("seller").order_by("period_start", "seller__username"))
        )
        return response

    @admin.action(description="Mark paid (books the payout in the ledger)")
    def mark_paid(self, request, queryset):
        for report in queryset:
            try:
                services.payout_mark_paid(report=report, user=request.user)
            except ApplicationError as exc:
                self.message_user(request, f"{report}: {exc.message}", messages.WARNING)

    def get_urls(self):
        return [
            path(
                "build-last/",
                self.admin_site.admin_view(self.build_last),
                name="marketplace_payoutreport_build",
            ),
            path(
                "build-current/",
                self.admin_site.admin_view(self.build_current),
                name="marketplace_payoutreport_build_current",
            ),
            *super().get_urls(),
        ]

    def build_last(self, request):
        reports = services.payout_reports_build()
        self.message_user(request, f"{len(reports)} report(s) for the last period.", messages.SUCCESS)
        return redirect(reverse("admin:marketplace_payoutreport_changelist"))

    def build_current(self, request):
        from django.utils import timezone

        reports = services.payout_reports_build(period_start=timezone.now().date())
        self.message_user(
            request, f"{len(reports)} report(s) for the current period (so far).", messages.SUCCESS
        )
        return redirect(reverse("admin:marketplace_payoutreport_changelist"))


@admin.register(SellerAccount)
class SellerAccountAdmin(ReadOnlyAdmin):
    list_display = (
        "user",
        "stripe_account_id",
        "charges_enabled",
        "payouts_enabled",
        "transfers_active",
        "updated_at",
    )
    search_fields = ("user__username", "stripe_account_id")


@admin.register(StripeEvent)
class StripeEventAdmin(ReadOnlyAdmin):
    list_display = ("id", "type", "received_at")
    list_filter = ("type",)
    search_fields = ("id",)


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "user", "key", "scope", "response_status")
    list_filter = ("scope", "response_status")
    search_fields = ("key", "user__username")
