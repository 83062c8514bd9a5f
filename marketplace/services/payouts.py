"""Payout reports: what each seller earned per period, and marking a report paid (wallet sellers).

A report counts the purchases completed and the refunds completed in the period (both are one
ledger transaction each): gross, refunds, commission kept, net. Of the net, what Stripe Connect
already transferred to the seller is `paid_via_provider_cents`; the rest is payable by the platform
and leaves the seller's ledger account when staff mark the report paid. Rebuilding a period
replaces its open reports (idempotent); paid reports are never changed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from gamefactory.errors import ApplicationError
from marketplace import ledger, money
from marketplace.models import LedgerAccount, LedgerTransaction, PayoutReport, Purchase, Refund

EPOCH = dt.date(2026, 1, 5)  # a Monday: periods are counted from here


def period_containing(day: dt.date) -> tuple[dt.date, dt.date]:
    days = settings.MARKETPLACE_PAYOUT_PERIOD_DAYS
    start = EPOCH + dt.timedelta(days=((day - EPOCH).days // days) * days)
    return start, start + dt.timedelta(days=days - 1)


def previous_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    start, _ = period_containing(today or timezone.now().date())
    return period_containing(start - dt.timedelta(days=1))


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = dt.UTC
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


@transaction.atomic
def payout_reports_build(*, period_start: dt.date | None = None) -> list[PayoutReport]:
    """Build (or rebuild) every seller's report for the period starting `period_start` (default: the last one)."""
    start, end = period_containing(period_start) if period_start else previous_period()
    lo, hi = _bounds(start, end)
    rows: dict = defaultdict(lambda: defaultdict(int))
    for r in (
        Purchase.objects.filter(completed_at__gte=lo, completed_at__lt=hi, amount_cents__gt=0)
        .exclude(status=Purchase.Status.PENDING)
        .exclude(status=Purchase.Status.FAILED)
        .values("seller_id", "currency", "provider")
        .annotate(n=Count("id"), gross=Sum("amount_cents"), fee=Sum("commission_cents"))
    ):
        row = rows[(r["seller_id"], r["currency"])]
        row["sales"] += r["n"]
        row["gross"] += r["gross"]
        row["commission"] += r["fee"]
        if r["provider"] == Purchase.Provider.STRIPE:
            row["via_provider"] += r["gross"] - r["fee"]
    for refund in (
        Refund.objects.filter(status=Refund.Status.COMPLETED, completed_at__gte=lo, completed_at__lt=hi)
        .values("purchase__seller_id", "purchase__currency", "purchase__provider")
        .annotate(
            n=Count("id"), amount=Sum("amount_cents"), fee=Sum("commission_cents"), seller=Sum("seller_cents")
        )
    ):
        row = rows[(refund["purchase__seller_id"], refund["purchase__currency"])]
        row["refunds_n"] += refund["n"]
        row["refunds"] += refund["amount"]
        row["commission"] -= refund["fee"]
        if refund["purchase__provider"] == Purchase.Provider.STRIPE:
            row["via_provider"] -= refund["seller"]
    reports = []
    for (seller_id, currency), row in rows.items():
        existing = PayoutReport.objects.filter(
            seller_id=seller_id, period_start=start, period_end=end, currency=currency
        ).first()
        if existing is not None and existing.status == PayoutReport.Status.PAID:
            reports.append(existing)
            continue
        values = {
            "sales_count": row["sales"],
            "refund_count": row["refunds_n"],
            "gross_cents": row["gross"],
            "refunds_cents": row["refunds"],
            "commission_cents": row["commission"],
            "net_cents": row["gross"] - row["refunds"] - row["commission"],
            "paid_via_provider_cents": row["via_provider"],
        }
        report, _ = PayoutReport.objects.update_or_create(
            seller_id=seller_id, period_start=start, period_end=end, currency=currency, defaults=values
        )
        reports.append(report)
    return reports


@transaction.atomic
def payout_mark_paid(*, report: PayoutReport, user) -> PayoutReport:
    """Staff paid the seller what the platform owed for the period (a bank transfer, outside)."""
    if not (user and user.is_staff):
        raise ApplicationError("Only staff pay sellers.", code="permission_denied", status=403)
    report = PayoutReport.objects.select_for_update().select_related("seller").get(pk=report.pk)
    if report.status == PayoutReport.Status.PAID:
        raise ApplicationError.for_field(
            "report", "This report is paid already.", code="already_paid", status=409
        )
    payable = report.payable_cents
    if payable > 0:
        report.payout_transaction = ledger.post(
            kind=LedgerTransaction.Kind.PAYOUT,
            reference=f"payout:{report.pk}",
            memo=f"payout {report.period_start}..{report.period_end} ({money.format_cents(payable, report.currency)})",
            created_by=user,
            legs=[
                ledger.Leg(ledger.account_for(kind=LedgerAccount.Kind.SELLER, user=report.seller), -payable),
                ledger.Leg(ledger.platform_account(LedgerAccount.Kind.PAYOUTS), payable),
            ],
        )
    report.status = PayoutReport.Status.PAID
    report.save(update_fields=["status", "payout_transaction", "updated_at"])
    return report


CSV_HEADER = [
    "seller", "seller_id", "period_start", "period_end", "currency", "sales", "refunds", "gross",
    "refunded", "commission", "net", "paid_via_stripe", "payable", "status",
]  # fmt: skip


def payout_csv_rows(reports) -> list[list[str]]:
    out = []
    for r in reports:
        out.append(
            [
                r.seller.username,
                str(r.seller_id),
                r.period_start.isoformat(),
                r.period_end.isoformat(),
                r.currency,
                str(r.sales_count),
                str(r.refund_count),
                money.decimal_string(r.gross_cents),
                money.decimal_string(r.refunds_cents),
                money.decimal_string(r.commission_cents),
                money.decimal_string(r.net_cents),
                money.decimal_string(r.paid_via_provider_cents),
                money.decimal_string(r.payable_cents),
                r.status,
            ]  # fmt: skip
        )
    return out
