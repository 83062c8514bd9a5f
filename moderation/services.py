"""Writes of moderation: scans, holds, reports, decisions, appeals, notices.

Every write that changes what people see is one `@transaction.atomic` function that saves,
records itself in the audit log (`ModerationAction`) and tells the creator after commit (a
`Notice`, pushed on `/ws/notifications`, emailed by `notice_email_task` from an outbox). A
case's row is locked (`select_for_update`) while it is decided, so two moderators acting on
the same report cannot both act: the second gets a 409.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from gamefactory.content import content_check
from gamefactory.errors import ApplicationError
from gamefactory.notifications import notify_user
from moderation.models import (
    SCANNER_REASON,
    Appeal,
    Case,
    ContentScan,
    ContentType,
    Decision,
    ModerationAction,
    Notice,
    Reason,
    Report,
)
from moderation.targets import Target, target_get, target_type

logger = logging.getLogger(__name__)

EXCERPT_CHARS = 280
EMAIL_CLAIM_SECONDS = 600
Action = Decision.Action
UPHOLDING = (Action.HIDE, Action.DELETE, Action.SUSPEND)


def _now():
    return timezone.now()


def _actor(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def _audit(*, verb: str, case: Case | None = None, actor=None, content_type=None, content_id=None, **extra):
    if case is not None:
        content_type = content_type or case.content_type
        content_id = content_id or case.content_id
    return ModerationAction.objects.create(
        actor=_actor(actor),
        verb=verb,
        content_type=content_type,
        content_id=str(content_id),
        case=case,
        **extra,
    )


# --- scans ---------------------------------------------------------------------------------


def scan_record(*, result, text: str, field: str, user=None) -> ContentScan:
    """Record one verdict of the scanner (every one is kept; the text in full when it was not allowed).

    Outside a transaction (where scans are made: see gamefactory/content.py) the row is written on
    PostgreSQL in one statement that commits without waiting for the WAL flush
    (`synchronous_commit` off for that statement's own transaction): a studio request does not wait
    for a disk sync to keep a log line. A crash can lose the last fraction of a second of scan
    records, never corrupt them; a caller's own transaction is never switched.
    """
    if not connection.in_atomic_block and connection.vendor == "postgresql":
        scan = _scan_build(result=result, text=text, field=field, user=user)
        fields = ContentScan._meta.concrete_fields
        for f in fields:
            f.pre_save(scan, add=True)  # created_at
        columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
        values = [f.get_db_prep_save(getattr(scan, f.attname), connection) for f in fields]
        with connection.cursor() as cursor:
            cursor.execute(
                "WITH async AS (SELECT set_config('synchronous_commit', 'off', true)) "
                f"INSERT INTO {connection.ops.quote_name(ContentScan._meta.db_table)} ({columns}) "
                f"SELECT {', '.join(['%s'] * len(values))} FROM async",
                values,
            )
        scan._state.adding = False
        scan._state.db = connection.alias
        return scan
    return _scan_create(result=result, text=text, field=field, user=user)


def _scan_create(*, result, text: str, field: str, user=None) -> ContentScan:
    scan = _scan_build(result=result, text=text, field=field, user=user)
    scan.save(force_insert=True)
    return scan


def _scan_build(*, result, text: str, field: str, user=None) -> ContentScan:
    text = text or ""
    return ContentScan(
        kind=result.kind,
        field=(field or "")[:100],
        user=_actor(user),
        action=result.action,
        labels=list(result.labels),
        scores=result.scores,
        reason=result.reason,
        engines=list(result.engines),
        details=result.details,
        text_sha256=hashlib.sha256(text.encode("utf-8", "replace")).hexdigest(),
        text_length=len(text),
        text=text[: settings.MODERATION_SCAN_MAX_CHARS] if result.action != "allow" else text[:EXCERPT_CHARS],
        duration_us=min(result.duration_us, 2**31 - 1),
    )


# --- cases ---------------------------------------------------------------------------------


def _spaced(values) -> str:
    items = [v for v in dict.fromkeys(values) if v]
    return f" {' '.join(items)} " if items else ""


def _open_case_locked(target: Target) -> Case:
    """The open case of an item, locked; made when there is none (two makers: one wins, both lock it)."""
    for _ in range(3):
        case = (
            Case.objects.select_for_update()
            .filter(content_type=target.content_type, content_id=target.content_id, status=Case.Status.OPEN)
            .first()
        )
        if case is not None:
            return case
        try:
            with transaction.atomic():
                return Case.objects.create(
                    content_type=target.content_type,
                    content_id=target.content_id,
                    creator=target.creator,
                    title=(target.title or "")[:200],
                    opened_at=_now(),
                )
        except IntegrityError:
            continue
    raise ApplicationError("This item is busy; try again.", code="conflict", status=409)


def _hide_pending_review(*, case: Case, target: Target, verb: str, actor=None, reason: str = "", data=None):
    """Keep the item out of public view until a moderator decides (auto-hide, scanner hold)."""
    if not target.hidden and not target.deleted:
        target_type(case.content_type).hide(target)
    first_time = not case.held
    case.held = True
    _audit(verb=verb, case=case, actor=actor, reason=reason, data=data or {})
    if first_time and case.creator_id:
        _notice(
            case=case,
            kind=Notice.Kind.HELD,
            subject=f"“{case.title}” is hidden while a moderator reviews it",
            body=(
                f"{reason} Until a moderator has looked at it, only you and our staff can see it. "
                "You will hear from us when it is decided; if we keep it down, you can appeal."
            ),
        )


@transaction.atomic
def content_hold(*, verdicts, content_type: str, content_id, user=None) -> Case:
    """`settings.CONTENT_HOLD_HANDLER`: an item was held by the scanner: queue it for review.

    The item is already out of public view (its app saved it that way); this links the scans
    to a case, files the scanner's report and tells the owner.
    """
    target = target_get(content_type, content_id)
    if target is None:
        raise ApplicationError("No such item to hold.", code="not_found", status=404)
    case = _open_case_locked(target)
    scan_ids = [v.reference for v in verdicts if getattr(v, "reference", "")]
    scans = list(ContentScan.objects.filter(pk__in=scan_ids))
    ContentScan.objects.filter(pk__in=scan_ids).update(case=case)
    labels = [label for v in verdicts for label in v.labels]
    reasons = " ".join(dict.fromkeys(v.reason for v in verdicts if v.reason))
    Report.objects.create(
        content_type=case.content_type,
        content_id=case.content_id,
        reporter=None,
        reason=SCANNER_REASON,
        details=reasons[: settings.MODERATION_REPORT_TEXT_MAX_CHARS],
        case=case,
    )
    case.labels = _spaced([*case.label_list, *labels])
    case.reasons = _spaced([*case.reason_list, SCANNER_REASON])
    target = target_get(content_type, content_id)
    if target is None:  # the held item was saved in the caller's transaction: it exists
        raise RuntimeError(f"moderation: held {content_type} {content_id} cannot be found")
    _hide_pending_review(
        case=case,
        target=target,
        verb=ModerationAction.Verb.SCAN_HOLD,
        reason=reasons or "Held by the scanner.",
        data={"scans": [str(s.pk) for s in scans], "labels": labels},
    )
    case.save()
    return case


# --- reports -------------------------------------------------------------------------------


def _details_clean(details) -> str:
    if details is None:
        return ""
    if not isinstance(details, str):
        raise ApplicationError.for_field("details", "Details are text.", code="invalid")
    details = details.strip()
    limit = settings.MODERATION_REPORT_TEXT_MAX_CHARS
    if len(details) > limit:
        raise ApplicationError.for_field(
            "details", f"Say it in at most {limit} characters (this is {len(details)}).", code="too_long"
        )
    return details


def report_create(*, reporter, content_type: str, content_id, reason: str, details: str = "") -> Report:
    """One person reports one item; enough different people hide it pending review.

    Refused (4xx with the reason): an unknown type or reason, missing or deleted content, your
    own content, and a second open report of the same item by the same person.
    """
    if not (reporter and reporter.is_authenticated):
        raise ApplicationError("Sign in to report content.", code="not_authenticated", status=401)
    if content_type not in ContentType.values:
        raise ApplicationError.for_field(
            "content_type", f"Choose one of: {', '.join(ContentType.values)}.", code="invalid_choice"
        )
    if reason not in Reason.values:
        raise ApplicationError.for_field(
            "reason", f"Choose one of: {', '.join(Reason.values)}.", code="invalid_choice"
        )
    details = _details_clean(details)
    if reason == Reason.OTHER and not details:
        raise ApplicationError.for_field("details", "Tell us what is wrong.", code="required")
    handler = target_type(content_type)
    target = handler.resolve(str(content_id))
    if target is None or (not target.deleted and not handler.can_see(target, reporter)):
        raise ApplicationError.for_field(
            "content_id", f"There is no such {handler.label}.", code="not_found", status=404
        )
    if target.deleted:
        raise ApplicationError.for_field(
            "content_id",
            f"This {handler.label} has been deleted already.",
            code="content_deleted",
            status=410,
        )
    if target.creator is not None and target.creator.pk == reporter.pk:
        raise ApplicationError.for_field(
            "content_id", "You cannot report your own content.", code="own_content", status=400
        )
    # Recorded for moderators (reports quote what they report: scored, never blocked).
    if details:
        content_check(kind="report", text=details, field="details", user=reporter)
    return _report_save(reporter=reporter, target=target, reason=reason, details=details)


@transaction.atomic
def _report_save(*, reporter, target: Target, reason: str, details: str) -> Report:
    case = _open_case_locked(target)
    already = _already_reported(reporter, target)
    if Report.objects.filter(case=case, reporter=reporter, status=Report.Status.PENDING).exists():
        raise already
    try:
        with transaction.atomic():
            report = Report.objects.create(
                content_type=target.content_type,
                content_id=target.content_id,
                reporter=reporter,
                reason=reason,
                details=details,
                case=case,
            )
    except IntegrityError:
        raise already from None
    case.report_count = (
        Report.objects.filter(case=case, status=Report.Status.PENDING, reporter__isnull=False)
        .values("reporter")
        .distinct()
        .count()
    )
    case.reasons = _spaced([*case.reason_list, reason])
    if case.creator_id is None and target.creator is not None:
        case.creator = target.creator
    _audit(verb=ModerationAction.Verb.REPORT, case=case, actor=reporter, report=report, reason=reason)
    if not case.held and case.report_count >= settings.MODERATION_AUTO_HIDE_REPORTS:
        _hide_pending_review(
            case=case,
            target=target,
            verb=ModerationAction.Verb.AUTO_HIDE,
            reason=f"{case.report_count} people reported it.",
            data={"reports": case.report_count, "threshold": settings.MODERATION_AUTO_HIDE_REPORTS},
        )
    case.save()
    return report


def _already_reported(reporter, target: Target) -> ApplicationError:
    return ApplicationError.for_field(
        "content_id",
        "You have already reported this; a moderator will look at it.",
        code="already_reported",
        status=409,
    )


# --- decisions -----------------------------------------------------------------------------


NOTICES = {
    Action.HIDE: (Notice.Kind.HIDDEN, "“{title}” was hidden by a moderator"),
    Action.DELETE: (Notice.Kind.REMOVED, "“{title}” was removed by a moderator"),
    Action.SUSPEND: (Notice.Kind.SUSPENDED, "Your account was suspended over “{title}”"),
    Action.RESTORE: (Notice.Kind.RESTORED, "“{title}” is back: your appeal was granted"),
    Action.KEEP: (Notice.Kind.APPEAL_DENIED, "Your appeal about “{title}” was denied"),
    Action.DISMISS: (Notice.Kind.CLEARED, "“{title}” was reviewed and is visible again"),
}


def _apply(*, case: Case, action: str, target: Target | None, moderator) -> None:
    if target is None:
        return
    handler = target_type(case.content_type)
    if action == Action.HIDE and not target.hidden and not target.deleted:
        handler.hide(target)
    elif action == Action.DELETE and not target.deleted:
        handler.delete(target)
    elif action == Action.SUSPEND:
        from accounts.services import user_suspend

        if not target.hidden and not target.deleted and case.content_type != ContentType.USER:
            handler.hide(target)
        if target.creator is not None:
            user_suspend(user=target.creator)
    elif action in (Action.DISMISS, Action.RESTORE) and (target.hidden or target.deleted):
        handler.restore(target)
        if action == Action.RESTORE and target.creator is not None and target.creator.status == "suspended":
            from accounts.services import user_reactivate

            user_reactivate(user=target.creator)


def _decide_locked(*, case: Case, moderator, action: str, note: str, automatic: bool = False) -> Decision:
    if action not in Action.values:
        raise ApplicationError.for_field(
            "action", f"Choose one of: {', '.join(Action.values)}.", code="invalid_choice"
        )
    appeal = case.appeals.filter(status=Appeal.Status.PENDING).first() if case.appeal_pending else None
    if appeal is None and action in (Action.RESTORE, Action.KEEP):
        raise ApplicationError.for_field(
            "action", "Restore and keep answer an appeal; this case has none.", code="invalid_choice"
        )
    if appeal is not None:
        # Hearing an appeal: letting the content back is granting it; anything else denies it.
        granted = action in (Action.DISMISS, Action.RESTORE)
        action = Action.RESTORE if granted else (Action.KEEP if action == Action.KEEP else action)
    was_held = case.held
    target = target_get(case.content_type, case.content_id)
    _apply(case=case, action=action, target=target, moderator=moderator)
    decision = Decision.objects.create(
        case=case, action=action, moderator=_actor(moderator), automatic=automatic, note=note or ""
    )
    now = _now()
    if appeal is not None:
        appeal.status = Appeal.Status.GRANTED if action == Action.RESTORE else Appeal.Status.DENIED
        appeal.reviewed_by = _actor(moderator)
        appeal.reviewed_at = now
        appeal.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    report_status = Report.Status.APPROVED if action in UPHOLDING else Report.Status.REJECTED
    Report.objects.filter(case=case, status=Report.Status.PENDING).update(
        status=report_status, moderator=_actor(moderator), reviewed_at=now, decision=decision
    )
    case.status = Case.Status.DECIDED
    case.decided_at = now
    case.appeal_pending = False
    case.held = False
    case.report_count = 0
    case.save()
    _audit(
        verb=action,
        case=case,
        actor=moderator,
        decision=decision,
        appeal=appeal,
        reason=note or "",
        data={"automatic": automatic, "was_held": was_held},
    )
    if case.creator_id and (action != Action.DISMISS or was_held):
        kind, subject = NOTICES[Action(action)]
        _notice(
            case=case,
            kind=kind,
            decision=decision,
            subject=subject.format(title=case.title),
            body=_decision_body(action=action, note=note, appealable=decision.is_appealable),
        )
    return decision


def _decision_body(*, action: str, note: str, appealable: bool) -> str:
    why = f"The moderator wrote: {note}" if note else ""
    texts = {
        Action.HIDE: "It no longer appears in the catalogue, search or the API; only you and our staff can open it.",
        Action.DELETE: "It was removed from GameFactory.",
        Action.SUSPEND: "Your account cannot sign in any more, and the content was hidden.",
        Action.RESTORE: "It is visible to everyone again.",
        Action.KEEP: "The decision stands.",
        Action.DISMISS: "It did not break our rules and is visible again.",
    }
    appeal = " You can appeal this decision once, from “My reports and appeals”." if appealable else ""
    return " ".join(part for part in (texts[Action(action)], why, appeal) if part).strip()


@transaction.atomic
def case_decide(*, case: Case, moderator, action: str, note: str = "") -> Decision:
    """A moderator decides an open case (all its open reports at once). 409 once decided."""
    _require_moderator(moderator)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.is_open:
        raise ApplicationError("This case has already been decided.", code="already_decided", status=409)
    return _decide_locked(case=case, moderator=moderator, action=action, note=note)


@transaction.atomic
def report_decide(*, report: Report, moderator, action: str, note: str = "") -> Decision:
    """The seed's `PUT /admin/reports/{id}`: decide the report's case. 409 if the report is decided."""
    _require_moderator(moderator)
    case = Case.objects.select_for_update().get(pk=report.case_id)
    report = Report.objects.get(pk=report.pk)
    if report.status != Report.Status.PENDING:
        raise ApplicationError(
            f"This report has already been decided ({report.get_status_display().lower()}).",
            code="already_decided",
            status=409,
        )
    if not case.is_open:  # pragma: no cover - a pending report always sits in an open case
        raise ApplicationError("This case has already been decided.", code="already_decided", status=409)
    return _decide_locked(case=case, moderator=moderator, action=action, note=note)


def _require_moderator(user) -> None:
    if not (user and user.is_authenticated and user.is_moderator):
        raise ApplicationError("Only moderators and staff can do this.", code="permission_denied", status=403)


@transaction.atomic
def case_preview_record(*, case: Case, moderator) -> None:
    """A moderator opened the item in the admin's sandboxed preview (audited)."""
    _audit(verb=ModerationAction.Verb.PREVIEW, case=case, actor=moderator)


# --- appeals -------------------------------------------------------------------------------


def appeal_create(*, decision: Decision, user, text) -> Appeal:
    """The creator appeals a decision once, with their reasons; the case goes back in the queue."""
    if not isinstance(text, str) or not text.strip():
        raise ApplicationError.for_field("text", "Say why the decision is wrong.", code="required")
    text = text.strip()
    limit = settings.MODERATION_APPEAL_TEXT_MAX_CHARS
    if len(text) > limit:
        raise ApplicationError.for_field(
            "text", f"Say it in at most {limit} characters (this is {len(text)}).", code="too_long"
        )
    content_check(kind="report", text=text, field="text", user=user)
    return _appeal_save(decision=decision, user=user, text=text)


@transaction.atomic
def _appeal_save(*, decision: Decision, user, text: str) -> Appeal:
    case = Case.objects.select_for_update().get(pk=decision.case_id)
    if not (user and user.is_authenticated and case.creator_id == user.pk):
        raise ApplicationError("No such decision.", code="not_found", status=404)
    if not decision.is_appealable:
        raise ApplicationError.for_field(
            "decision", "Only a decision that took content down can be appealed.", code="not_appealable"
        )
    if Appeal.objects.filter(decision=decision).exists():
        raise ApplicationError.for_field(
            "decision", "You have already appealed this decision.", code="already_appealed", status=409
        )
    if (
        case.decisions.order_by("-created_at").values_list("pk", flat=True).first() != decision.pk
        or case.is_open
    ):
        raise ApplicationError.for_field(
            "decision",
            "This decision is no longer the latest one on this item.",
            code="stale_decision",
            status=409,
        )
    if Case.objects.filter(
        content_type=case.content_type, content_id=case.content_id, status=Case.Status.OPEN
    ).exists():
        raise ApplicationError("This item is under review already.", code="under_review", status=409)
    try:
        with transaction.atomic():
            appeal = Appeal.objects.create(decision=decision, case=case, appellant=user, text=text)
    except IntegrityError:
        raise ApplicationError.for_field(
            "decision", "You have already appealed this decision.", code="already_appealed", status=409
        ) from None
    case.status = Case.Status.OPEN
    case.appeal_pending = True
    case.opened_at = _now()
    case.decided_at = None
    case.save()
    _audit(
        verb=ModerationAction.Verb.APPEAL,
        case=case,
        actor=user,
        decision=decision,
        appeal=appeal,
        reason=text,
    )
    return appeal


# --- notices -------------------------------------------------------------------------------


def _notice(*, case: Case, kind: str, subject: str, body: str, decision: Decision | None = None) -> Notice:
    if case.creator_id is None:  # callers only tell items that have a creator
        raise ValueError(f"moderation: case {case.pk} has no creator to tell")
    notice = Notice.objects.create(
        user_id=case.creator_id, kind=kind, case=case, decision=decision, subject=subject[:200], body=body
    )
    notify_user(
        user_id=case.creator_id,
        event={
            "type": "moderation.notice",
            "notice_id": str(notice.pk),
            "kind": kind,
            "subject": notice.subject,
            "body": body,
            "content_type": case.content_type,
            "content_id": case.content_id,
            "url": reverse("moderation:appeals"),
        },
    )
    _audit(
        verb=ModerationAction.Verb.NOTIFY,
        case=case,
        decision=decision,
        reason=notice.subject,
        data={"kind": kind},
    )
    transaction.on_commit(lambda: _email_enqueue(notice.pk))
    return notice


def _email_enqueue(notice_id) -> None:
    """Hand the email to a worker after commit; if the broker cannot take it now, the notice stays
    in the outbox and `notices_email_pending_task` sends it (the request that made it still succeeds)."""
    from moderation.tasks import notice_email_task

    try:
        notice_email_task.delay(str(notice_id))
    except Exception:
        logger.warning(
            "moderation: could not enqueue the email of notice %s; the sweeper will send it",
            notice_id,
            exc_info=True,
        )


def notices_email_pending(*, older_than_seconds: int = 60) -> int:
    """Send the notices whose email never went (a broker outage, a lost task). Returns how many."""
    cutoff = _now() - timedelta(seconds=older_than_seconds)
    ids = list(
        Notice.objects.filter(emailed_at__isnull=True, created_at__lt=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )
    return sum(1 for notice_id in ids if notice_email_send(notice_id=notice_id))


def notice_email_send(*, notice_id) -> bool:
    """Mail one notice, once: claimed with a conditional UPDATE first (no lock held while mailing)."""
    now = _now()
    claimed = (
        Notice.objects.filter(pk=notice_id, emailed_at__isnull=True)
        .filter(
            Q(email_claimed_at__isnull=True)
            | Q(email_claimed_at__lt=now - timedelta(seconds=EMAIL_CLAIM_SECONDS))
        )
        .update(email_claimed_at=now)
    )
    if not claimed:
        return False
    notice = Notice.objects.select_related("user").get(pk=notice_id)
    link = settings.SITE_URL + reverse("moderation:appeals")
    try:
        send_mail(
            subject=notice.subject,
            message=f"Hello {notice.user.name},\n\n{notice.body}\n\nDetails and appeals: {link}\n\n— GameFactory moderation\n",
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[notice.user.email],
        )
    except Exception:
        Notice.objects.filter(pk=notice_id).update(email_claimed_at=None)
        raise
    Notice.objects.filter(pk=notice_id).update(emailed_at=_now())
    return True
