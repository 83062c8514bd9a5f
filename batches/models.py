"""The factory: a Batch of games, one Production per game, a StepRun per attempt, Artifacts.

Two state machines (django-fsm-2, protected fields, optimistic locking on the state column with
`ConcurrentTransitionMixin`): the production's trip and each step attempt's life. The seed's combined
label (`STEP_3_RUNNING`) is derived from both and stored for filtering; see `production_label`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from batches import limits

STEP_VALIDATORS = [MinValueValidator(1), MaxValueValidator(limits.STEP_COUNT)]


class Batch(models.Model):
    """A brief and a count: staff ask for N games, the factory makes N productions."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=limits.NAME_MAX_CHARS)
    brief = models.TextField(help_text="What the games should be: the idea every game starts from.")
    theme = models.CharField(max_length=limits.THEME_MAX_CHARS, blank=True)
    genres = models.JSONField(default=list, blank=True, help_text="Mechanics or genres to choose from.")
    audience = models.CharField(max_length=limits.AUDIENCE_MAX_CHARS, blank=True)
    count = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(limits.MIN_GAMES), MaxValueValidator(limits.MAX_GAMES)]
    )
    provider = models.CharField(max_length=30, default="local")
    allow_repeats = models.BooleanField(
        default=False, help_text="Let two games of the batch share a mechanic and a theme."
    )
    seed = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="batches")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "batches"
        constraints = [
            models.CheckConstraint(
                condition=Q(count__gte=limits.MIN_GAMES) & Q(count__lte=limits.MAX_GAMES),
                name="batches_batch_count_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def status(self) -> str:
        if self.cancelled_at:
            return "cancelled"
        if self.finished_at:
            return "finished"
        return "running"


class Production(ConcurrentTransitionMixin, models.Model):
    """One game's trip through the 12 steps."""

    class State(models.TextChoices):
        CREATED = "created", "Created"
        RUNNING = "running", "Running"
        WAITING_REVIEW = "waiting_review", "Waiting for review"
        PUBLISHED = "published", "Published"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    TERMINAL = (State.PUBLISHED, State.FAILED, State.CANCELLED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="productions")
    index = models.PositiveSmallIntegerField(help_text="1-based position in the batch.")
    state = FSMField(default=State.CREATED, choices=State.choices, protected=True, db_index=True)
    current_step = models.PositiveSmallIntegerField(default=1, validators=STEP_VALIDATORS)
    # The state of the current step's latest attempt, mirrored here so the label needs no query.
    step_state = models.CharField(max_length=30, blank=True)
    label = models.CharField(max_length=30, default="CREATED", db_index=True, editable=False)
    # Design decisions: mechanic, setting, mood, seed, prompt; the title once step 1 has run.
    concept = models.JSONField(default=dict, blank=True)
    title = models.CharField(max_length=200, blank=True)
    game = models.ForeignKey(
        "games.Game", null=True, blank=True, on_delete=models.SET_NULL, related_name="productions"
    )
    repository_name = models.CharField(max_length=120, blank=True)
    repository_url = models.CharField(max_length=500, blank=True, help_text="Clone URL.")
    repository_web_url = models.CharField(max_length=500, blank=True)
    # Local commit -> remote commit, for backends whose commits are re-created remotely (GitHub).
    repository_refs = models.JSONField(default=dict, blank=True)
    # Staff fault injection, by step: {"3": {"mode": "raise", "times": 9}} (see batches/faults.py).
    faults = models.JSONField(default=dict, blank=True)
    review_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["batch", "index"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "index"], name="batches_production_index_unique"),
            models.CheckConstraint(
                condition=Q(current_step__gte=1) & Q(current_step__lte=limits.STEP_COUNT),
                name="batches_production_step_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.batch} #{self.index}"

    def save(self, *args, **kwargs):
        # The label is a pure function of three columns of this row: kept in step on every save.
        self.label = production_label(self.state, self.current_step, self.step_state)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "label", "updated_at"}
        super().save(*args, **kwargs)

    @property
    def is_terminal(self) -> bool:
        return self.state in self.TERMINAL

    @property
    def steps_completed(self) -> int:
        """Steps done, as shown by the progress bar (current step - 1 while running)."""
        if self.state == self.State.PUBLISHED:
            return limits.STEP_COUNT
        return self.current_step - 1

    def _all_steps_completed(self) -> bool:
        done = self.step_runs.filter(state=StepRun.State.COMPLETED).values_list("step", flat=True).distinct()
        return set(done) >= set(range(1, limits.STEP_COUNT + 1))

    # -- transitions (side effects live in services) -------------------------------------

    @transition(field=state, source=State.CREATED, target=State.RUNNING)
    def start(self):
        self.started_at = timezone.now()

    @transition(field=state, source=State.RUNNING, target=State.WAITING_REVIEW)
    def hold(self, *, reason: str):
        self.review_reason = reason

    @transition(field=state, source=State.WAITING_REVIEW, target=State.RUNNING)
    def resume(self):
        self.review_reason = ""

    @transition(
        field=state,
        source=[State.WAITING_REVIEW, State.FAILED, State.PUBLISHED],
        target=State.RUNNING,
    )
    def rerun(self, *, from_step: int):
        self.review_reason = ""
        self.current_step = from_step
        self.finished_at = None

    @transition(field=state, source=State.RUNNING, target=State.PUBLISHED, conditions=[_all_steps_completed])
    def publish(self):
        now = timezone.now()
        self.finished_at = now
        self.published_at = self.published_at or now

    @transition(field=state, source=State.WAITING_REVIEW, target=State.FAILED)
    def abandon(self, *, reason: str):
        self.review_reason = reason
        self.finished_at = timezone.now()

    @transition(
        field=state, source=[State.CREATED, State.RUNNING, State.WAITING_REVIEW], target=State.CANCELLED
    )
    def cancel(self):
        self.finished_at = timezone.now()


def production_label(state: str, step: int, step_state: str) -> str:
    """The seed's combined label: CREATED, STEP_3_PENDING, STEP_3_RUNNING, STEP_3_FAILED, PUBLISHED..."""
    if state == Production.State.CREATED:
        return "CREATED"
    if state in (Production.State.PUBLISHED, Production.State.CANCELLED, Production.State.FAILED):
        return state.upper()
    if state == Production.State.WAITING_REVIEW:
        return f"STEP_{step}_FAILED"
    if step_state == StepRun.State.RUNNING:
        return f"STEP_{step}_RUNNING"
    if step_state in (StepRun.State.FAILED, StepRun.State.TIMED_OUT, StepRun.State.PERMANENTLY_FAILED):
        return f"STEP_{step}_FAILED"
    return f"STEP_{step}_PENDING"


def label_choices() -> list[tuple[str, str]]:
    out = [("CREATED", "Created")]
    for step in range(1, limits.STEP_COUNT + 1):
        for phase in ("PENDING", "RUNNING", "FAILED"):
            out.append((f"STEP_{step}_{phase}", f"Step {step} {phase.lower()}"))
    out += [("PUBLISHED", "Published"), ("FAILED", "Failed"), ("CANCELLED", "Cancelled")]
    return out


class StepRun(ConcurrentTransitionMixin, models.Model):
    """One attempt at one step of one production."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Failed"
        TIMED_OUT = "timed_out", "Timed out"
        PERMANENTLY_FAILED = "permanently_failed", "Permanently failed"
        MANUAL_REVIEW = "manual_review", "Manual review"
        CANCELLED = "cancelled", "Cancelled"

    ACTIVE = (State.PENDING, State.RUNNING)

    class Reason(models.TextChoices):
        FIRST = "first", "First attempt"
        RETRY = "retry", "Automatic retry"
        STAFF_RETRY = "staff_retry", "Retried by staff"
        RERUN = "rerun", "Re-run by staff"
        EDIT = "edit", "Edited by staff"
        POSTLAUNCH = "postlaunch", "Daily post-launch review"

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="step_runs")
    step = models.PositiveSmallIntegerField(validators=STEP_VALIDATORS)
    attempt = models.PositiveSmallIntegerField(default=1)
    # Attempts in this series (reset by a staff retry or a re-run); retries stop at max_attempts().
    series_attempt = models.PositiveSmallIntegerField(default=1)
    state = FSMField(default=State.PENDING, choices=State.choices, protected=True, db_index=True)
    reason = models.CharField(max_length=20, choices=Reason.choices, default=Reason.FIRST)
    created_at = models.DateTimeField(auto_now_add=True)
    not_before = models.DateTimeField(null=True, blank=True, help_text="Retry backoff: not sent before.")
    dispatched_at = models.DateTimeField(null=True, blank=True)
    dispatch_count = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True, db_index=True)
    worker = models.CharField(max_length=200, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True)
    traceback = models.TextField(blank=True)
    log = models.TextField(blank=True)
    tokens_in = models.PositiveIntegerField(default=0)
    tokens_out = models.PositiveIntegerField(default=0)
    cost = models.DecimalField(max_digits=12, decimal_places=6, default=0)
    validated = models.BooleanField(default=False)
    commit_sha = models.CharField(max_length=64, blank=True)
    # The output of an attempt that ran but did not validate, kept for staff to approve.
    candidate_sha = models.CharField(max_length=64, blank=True)
    # What the attempt learnt for the production (title, repository, game), applied on completion;
    # kept for an attempt waiting in review so that approving it applies them too.
    updates = models.JSONField(default=dict, blank=True)
    # Deliveries of this attempt's message that found it already taken and stood down.
    duplicate_deliveries = models.PositiveIntegerField(default=0)
    resolution = models.CharField(max_length=30, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["production", "step", "attempt"]
        constraints = [
            models.UniqueConstraint(
                fields=["production", "step", "attempt"], name="batches_steprun_attempt_unique"
            ),
            # At most one live attempt per step of a production: a second one would race the first.
            models.UniqueConstraint(
                fields=["production", "step"],
                condition=Q(state__in=["pending", "running"]),
                name="batches_steprun_one_active",
            ),
        ]
        indexes = [models.Index(fields=["state", "not_before"], name="batches_steprun_due")]

    def __str__(self) -> str:
        return f"step {self.step} attempt {self.attempt} of {self.production_id}"

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None

    def _output_valid(self) -> bool:
        return self.validated and bool(self.commit_sha)

    def _has_candidate(self) -> bool:
        return bool(self.candidate_sha)

    @transition(field=state, source=State.PENDING, target=State.RUNNING)
    def start(self, *, worker: str, deadline, task_id: str = ""):
        self.started_at = timezone.now()
        self.worker = worker[:200]
        self.deadline = deadline
        self.task_id = task_id or self.task_id

    @transition(field=state, source=State.RUNNING, target=State.COMPLETED, conditions=[_output_valid])
    def complete(self):
        self.finished_at = timezone.now()

    @transition(field=state, source=State.RUNNING, target=State.FAILED)
    def fail(self, *, error: str, traceback: str = ""):
        self.finished_at = timezone.now()
        self.error = error[: limits.ERROR_MAX_CHARS]
        self.traceback = traceback[-limits.TRACEBACK_MAX_CHARS :]

    @transition(field=state, source=State.RUNNING, target=State.TIMED_OUT)
    def time_out(self, *, error: str, traceback: str = ""):
        self.finished_at = timezone.now()
        self.error = error[: limits.ERROR_MAX_CHARS]
        self.traceback = traceback[-limits.TRACEBACK_MAX_CHARS :]

    @transition(field=state, source=[State.FAILED, State.TIMED_OUT], target=State.PERMANENTLY_FAILED)
    def exhaust(self):
        pass

    @transition(field=state, source=State.PERMANENTLY_FAILED, target=State.MANUAL_REVIEW)
    def hold_for_review(self):
        pass

    @transition(field=state, source=State.MANUAL_REVIEW, target=State.COMPLETED, conditions=[_has_candidate])
    def approve(self, *, user):
        self.commit_sha = self.candidate_sha
        self.resolution = "approved"
        self.resolved_by = user

    @transition(field=state, source=State.MANUAL_REVIEW, target=State.PERMANENTLY_FAILED)
    def dismiss(self, *, user, resolution: str):
        self.resolution = resolution
        self.resolved_by = user

    @transition(field=state, source=[State.PENDING, State.RUNNING], target=State.CANCELLED)
    def cancel(self):
        self.finished_at = timezone.now()


class Artifact(models.Model):
    """Something a step made: a file in the repository, a stored file, the step's commit."""

    class Kind(models.TextChoices):
        DOC = "doc", "Document"
        FILE = "file", "Repository file"
        COMMIT = "commit", "Commit"
        BUILD = "build", "Build"
        REPORT = "report", "Report"
        SCREENSHOT = "screenshot", "Screenshot"
        DATA = "data", "Data"
        TAG = "tag", "Tag"

    step_run = models.ForeignKey(StepRun, on_delete=models.CASCADE, related_name="artifacts")
    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="artifacts")
    step = models.PositiveSmallIntegerField(validators=STEP_VALIDATORS)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=300)
    storage_path = models.CharField(max_length=500, blank=True)
    repository_path = models.CharField(max_length=500, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    metadata = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["production", "step", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["step_run", "kind", "name"], name="batches_artifact_unique"),
        ]
        indexes = [models.Index(fields=["production", "step"], name="batches_artifact_step")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.name}"


class RepositoryPush(models.Model):
    """The outbox of the game's repository: a commit to publish there, once its step has committed.

    Written in the transaction that completes the step (or approves it); `repository_push_task` does
    the network I/O after commit, outside any transaction, and marks it pushed. Keyed by the commit:
    the same commit is never queued twice, and pushing it again (a retry, a lost worker) is a no-op.
    """

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        PUSHED = "pushed", "Pushed"

    production = models.ForeignKey(Production, on_delete=models.CASCADE, related_name="pushes")
    step_run = models.ForeignKey(
        StepRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="pushes"
    )
    step = models.PositiveSmallIntegerField(validators=STEP_VALIDATORS)
    sha = models.CharField(max_length=64)
    # Tags to publish with it: [{"name", "message", "release_title", "release_body", "release_assets"}].
    tags = models.JSONField(default=list, blank=True)
    # Stored files a release may attach: [{"name", "storage_path"}].
    stored = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    # A pusher holds the production's pending pushes until then (no database lock across the I/O);
    # past it, a killed pusher's work is taken over.
    leased_until = models.DateTimeField(null=True, blank=True)
    leased_by = models.CharField(max_length=200, blank=True)
    release_urls = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    pushed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["production", "id"]
        constraints = [
            models.UniqueConstraint(fields=["production", "sha"], name="batches_push_one_per_commit"),
        ]

    def __str__(self) -> str:
        return f"push {self.sha[:10]} (step {self.step}) of {self.production_id}: {self.state}"
