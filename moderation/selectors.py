"""Reads of moderation: the queue, a person's reports, a creator's notices and decisions."""

from __future__ import annotations

from django.db.models import Count, Exists, Min, OuterRef, QuerySet
from django.utils import timezone

from gamefactory.errors import ApplicationError
from moderation.models import Appeal, Case, Decision, Notice, Report

QUEUE_ORDERS = {
    "oldest": ("opened_at", "id"),
    "most_reported": ("-report_count", "opened_at", "id"),
}


def queue(*, order: str = "oldest", content_type: str | None = None, reason: str | None = None,
          label: str | None = None) -> QuerySet[Case]:  # fmt: skip
    """Open cases, oldest first (or most reported first), filtered by type, reason or scanner label."""
    qs = Case.objects.filter(status=Case.Status.OPEN).select_related("creator")
    if content_type:
        qs = qs.filter(content_type=content_type)
    if reason:
        qs = qs.filter(reasons__contains=f" {reason} ")
    if label:
        qs = qs.filter(labels__contains=f" {label} ")
    return qs.order_by(*QUEUE_ORDERS.get(order, QUEUE_ORDERS["oldest"]))


def queue_stats() -> dict:
    """The queue's length and the age of its oldest case (for the admin's index)."""
    stats = Case.objects.filter(status=Case.Status.OPEN).aggregate(
        length=Count("id"), oldest=Min("opened_at")
    )
    held = Case.objects.filter(status=Case.Status.OPEN, held=True).count()
    appeals = Case.objects.filter(status=Case.Status.OPEN, appeal_pending=True).count()
    oldest = stats["oldest"]
    return {
        "length": stats["length"],
        "held": held,
        "appeals": appeals,
        "oldest_at": oldest,
        "oldest_age": (timezone.now() - oldest) if oldest else None,
    }


def reports_list(*, status: str | None = None, content_type: str | None = None) -> QuerySet[Report]:
    """Reports for the admin API, oldest first, with their case and people preloaded."""
    qs = Report.objects.select_related("case", "reporter", "moderator")
    if status:
        qs = qs.filter(status=status)
    if content_type:
        qs = qs.filter(content_type=content_type)
    return qs.order_by("created_at", "id")


def report_get(*, report_id) -> Report:
    try:
        report = Report.objects.select_related("case").filter(pk=report_id).first()
    except (ValueError, TypeError):
        report = None
    if report is None:
        raise ApplicationError("No such report.", code="not_found", status=404)
    return report


def reports_of(*, user) -> QuerySet[Report]:
    """What this person reported, newest first."""
    return Report.objects.filter(reporter=user).select_related("case").order_by("-created_at")


def notices_of(*, user, limit: int = 50) -> list[Notice]:
    return list(
        Notice.objects.filter(user=user).select_related("case", "decision").order_by("-created_at")[:limit]
    )


def decisions_of_creator(*, user) -> QuerySet[Decision]:
    """Decisions on this creator's content, newest first, with whether each was appealed."""
    return (
        Decision.objects.filter(case__creator=user)
        .select_related("case")
        .annotate(appealed=Exists(Appeal.objects.filter(decision=OuterRef("pk"))))
        .order_by("-created_at")
    )


def decision_of_creator(*, user, decision_id) -> Decision:
    try:
        decision = Decision.objects.select_related("case").filter(pk=decision_id, case__creator=user).first()
    except (ValueError, TypeError):
        decision = None
    if decision is None:
        raise ApplicationError("No such decision.", code="not_found", status=404)
    return decision


def appeals_of(*, user) -> QuerySet[Appeal]:
    return Appeal.objects.filter(appellant=user).select_related("decision", "case").order_by("-created_at")


def open_case_for(*, content_type: str, content_id) -> Case | None:
    return Case.objects.filter(
        content_type=content_type, content_id=str(content_id), status=Case.Status.OPEN
    ).first()


def has_open_report(*, user, content_type: str, content_id) -> bool:
    if not (user and user.is_authenticated):
        return False
    return Report.objects.filter(
        reporter=user, content_type=content_type, content_id=str(content_id), status=Report.Status.PENDING
    ).exists()


def latest_decision_for(*, content_type: str, content_id) -> Decision | None:
    return (
        Decision.objects.filter(case__content_type=content_type, case__content_id=str(content_id))
        .select_related("case")
        .order_by("-created_at")
        .first()
    )


def item_visible_to(*, content_type: str, content_id, user) -> bool:
    """Can `user` still see the item (after a report hid it, its reporter cannot)?"""
    from moderation.targets import target_type

    handler = target_type(content_type)
    target = handler.resolve(str(content_id))
    return target is not None and not target.deleted and handler.can_see(target, user)
