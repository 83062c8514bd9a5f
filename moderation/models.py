"""Reports, the review queue, decisions, appeals, scans and the audit log.

- `Report` is the seed's `content_moderation`: one person's report of one item.
- `Case` is one item under review: every open report on it, the scans that held it, an
  appeal. The queue is the open cases. One open case per item (a partial unique constraint).
- `Decision` is what was done about a case (dismiss, hide, delete, suspend the creator, or,
  when an appeal is heard, restore or keep), by a moderator or automatically.
- `Appeal`: the creator's one appeal per decision (a unique constraint), back into the queue.
- `ContentScan`: every verdict of the scanner, with its scores and labels.
- `ModerationAction`: the append-only audit log (no update, no delete: in Python and, on
  PostgreSQL, a trigger).
- `Notice`: what the creator is told (page, `/ws/notifications`, email through an outbox).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class ContentType(models.TextChoices):
    GAME = "game", "Game"
    VERSION = "version", "Game version"
    USER = "user", "User"
    CHAT_MESSAGE = "chat_message", "Chat message"
    LISTING = "listing", "Marketplace listing"


class Reason(models.TextChoices):
    SPAM = "spam", "Spam or advertising"
    SEXUAL = "sexual", "Sexual content"
    HATE = "hate", "Hate speech"
    HARASSMENT = "harassment", "Harassment or bullying"
    VIOLENCE = "violence", "Graphic violence or threats"
    SELF_HARM = "self_harm", "Self-harm"
    ILLEGAL = "illegal", "Illegal content"
    MALWARE = "malware", "Harmful code or scam"
    COPYRIGHT = "copyright", "Copyright or trademark"
    IMPERSONATION = "impersonation", "Impersonation"
    OTHER = "other", "Something else"


# What the scanner files a case under (never chosen by a person).
SCANNER_REASON = "scanner"


class Case(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DECIDED = "decided", "Decided"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    content_type = models.CharField(max_length=20, choices=ContentType.choices, db_index=True)
    content_id = models.CharField(max_length=64)
    # Who owns the content (told about holds and decisions, may appeal); None when unknown.
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=200, blank=True, help_text="What the item was called when reported.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    # Kept out of public view pending review (auto-hidden by reports, or held by the scanner).
    held = models.BooleanField(default=False)
    # Distinct people whose reports are open on this case.
    report_count = models.PositiveIntegerField(default=0)
    # Reasons of the reports and labels of the scans, space-separated with a space at each end,
    # so a filter is a portable `contains " label "`.
    reasons = models.CharField(max_length=500, blank=True, default="")
    labels = models.CharField(max_length=1000, blank=True, default="")
    appeal_pending = models.BooleanField(default=False)
    # When the case (re)entered the queue: the queue's age is counted from here.
    opened_at = models.DateTimeField(db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "content_id"],
                condition=Q(status="open"),
                name="moderation_case_one_open_per_item",
            )
        ]
        indexes = [models.Index(fields=["content_type", "content_id"], name="moderation_case_item")]

    def __str__(self) -> str:
        return f"{self.get_content_type_display()} {self.title or self.content_id}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def label_list(self) -> list[str]:
        return self.labels.split()

    @property
    def reason_list(self) -> list[str]:
        return self.reasons.split()


class Report(models.Model):
    """The seed's `content_moderation` table: one person's report of one item."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Upheld (action taken)"
        REJECTED = "rejected", "Dismissed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    content_type = models.CharField(max_length=20, choices=ContentType.choices)
    content_id = models.CharField(max_length=64)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    reason = models.CharField(max_length=100, choices=[*Reason.choices, (SCANNER_REASON, "Scanner")])
    details = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="reports")
    decision = models.ForeignKey(
        "Decision", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        db_table = "content_moderation"
        ordering = ["created_at"]
        constraints = [
            # One open report per person per item.
            models.UniqueConstraint(
                fields=["reporter", "content_type", "content_id"],
                condition=Q(status="pending"),
                name="moderation_report_one_open_per_reporter",
            )
        ]
        indexes = [models.Index(fields=["reporter", "created_at"], name="moderation_report_reporter")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} on {self.content_type} {self.content_id}"


class Decision(models.Model):
    class Action(models.TextChoices):
        DISMISS = "dismiss", "Dismiss (the content stays)"
        HIDE = "hide", "Hide"
        DELETE = "delete", "Delete"
        SUSPEND = "suspend", "Suspend the creator"
        RESTORE = "restore", "Restore (appeal granted)"
        KEEP = "keep", "Keep the decision (appeal denied)"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions")
    action = models.CharField(max_length=20, choices=Action.choices)
    # None: the platform decided (auto-hide after reports).
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    automatic = models.BooleanField(default=False)
    note = models.TextField(blank=True, help_text="Why; shown to the creator.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.case})"

    @property
    def is_appealable(self) -> bool:
        return self.action in (self.Action.HIDE, self.Action.DELETE, self.Action.SUSPEND)


class Appeal(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        GRANTED = "granted", "Granted"
        DENIED = "denied", "Denied"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Once per decision.
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="appeal")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="appeals")
    appellant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Appeal of {self.decision}"


class ContentScan(models.Model):
    """One verdict of the scanner: every decision is recorded."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=20, db_index=True)
    field = models.CharField(max_length=100, blank=True)
    # No database constraint: a scan is a log line written on the hot path of every form, and the
    # constraint's check locks the user's row (FOR KEY SHARE) on every insert.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    action = models.CharField(max_length=10, db_index=True)
    labels = models.JSONField(default=list, blank=True)
    scores = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    engines = models.JSONField(default=list, blank=True)
    details = models.JSONField(default=dict, blank=True)
    text_sha256 = models.CharField(max_length=64)
    text_length = models.PositiveIntegerField(default=0)
    # The text itself when it was held or refused (moderators read it); an excerpt otherwise.
    text = models.TextField(blank=True)
    duration_us = models.PositiveIntegerField(default=0)
    # The item it was about, once known (a held game): set by `content_hold`.
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="scans")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.action} {' '.join(self.labels)}".strip()


class ModerationAction(models.Model):
    """The audit log: who did what, to what, why and when. Append-only."""

    class Verb(models.TextChoices):
        REPORT = "report", "Reported"
        AUTO_HIDE = "auto_hide", "Hidden automatically (reports)"
        SCAN_HOLD = "scan_hold", "Held by the scanner"
        DISMISS = "dismiss", "Dismissed"
        HIDE = "hide", "Hidden"
        DELETE = "delete", "Deleted"
        SUSPEND = "suspend", "Creator suspended"
        RESTORE = "restore", "Restored"
        KEEP = "keep", "Decision kept"
        APPEAL = "appeal", "Appealed"
        NOTIFY = "notify", "Creator told"
        PREVIEW = "preview", "Previewed"

    id = models.BigAutoField(primary_key=True)
    # None: the platform (the scanner, auto-hide).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verb = models.CharField(max_length=20, choices=Verb.choices, db_index=True)
    content_type = models.CharField(max_length=20, choices=ContentType.choices)
    content_id = models.CharField(max_length=64)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="actions")
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    appeal = models.ForeignKey(Appeal, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "content_id"], name="moderation_action_item")]

    def __str__(self) -> str:
        return f"{self.get_verb_display()} {self.content_type} {self.content_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("The moderation audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("The moderation audit log is append-only.")


class Notice(models.Model):
    """What a creator is told about their content, shown on their pages and emailed (an outbox)."""

    class Kind(models.TextChoices):
        HELD = "held", "Held for review"
        HIDDEN = "hidden", "Hidden"
        REMOVED = "removed", "Removed"
        SUSPENDED = "suspended", "Account suspended"
        RESTORED = "restored", "Restored"
        CLEARED = "cleared", "Cleared by a moderator"
        APPEAL_DENIED = "appeal_denied", "Appeal denied"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notices")
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    # The outbox: set by the email task once the mail has gone (a retry never sends twice).
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject
