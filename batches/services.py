"""Writes of the factory that staff drive: create and cancel batches, resolve manual review.

The admin, the API, the dashboard and `run_batch` all call these. The engine that runs attempts
is batches/execution.py; tasks are only ever sent from here or there, after commit.
"""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from batches import execution, inline, limits
from batches.faults import faults_clean
from batches.models import Artifact, Batch, Production, StepRun
from batches.planning import concept_clean, concepts_plan, genres_clean
from batches.selectors import batch_concept_clashes
from batches.steps import step_title
from batches.steps.base import StoredFile, TagRequest
from gamefactory.errors import ApplicationError


def _text(value, *, field: str, max_chars: int, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ApplicationError.for_field(field, "Must be text.")
    value = value.strip()
    if required and not value:
        raise ApplicationError.for_field(field, "This field is required.", code="required")
    if len(value) > max_chars:
        raise ApplicationError.for_field(field, f"At most {max_chars} characters.", code="too_long")
    if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in value):
        raise ApplicationError.for_field(field, "Control characters are not allowed.")
    return value


def _count(value) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not limits.MIN_GAMES <= value <= limits.MAX_GAMES
    ):
        raise ApplicationError.for_field(
            "count", f"A whole number of games from {limits.MIN_GAMES} to {limits.MAX_GAMES}.", code="invalid"
        )
    return value


def _provider(value) -> str:
    from generation.selectors import provider_get

    if not isinstance(value, str) or not value:
        raise ApplicationError.for_field("provider", "Name a design provider (local, openai, anthropic).")
    provider_get(value)  # ApplicationError on `provider` when unknown
    return value


def _send_batch(batch_id) -> None:
    def send() -> None:
        if inline.active():
            execution.batch_process(batch_id=batch_id)
            return
        from batches.tasks import process_batch_task

        process_batch_task.delay(str(batch_id))

    transaction.on_commit(send, robust=True)


def batch_clean(
    *,
    brief: str,
    count: int,
    name: str = "",
    theme: str = "",
    genres=None,
    audience: str = "",
    provider: str = "local",
    allow_repeats: bool = False,
    seed: int | None = None,
    faults: dict | None = None,
) -> dict:
    """The brief checked field by field, with the games planned; ApplicationError names the field."""
    brief = _text(brief, field="brief", max_chars=limits.BRIEF_MAX_CHARS, required=True)
    count = _count(count)
    theme = _text(theme, field="theme", max_chars=limits.THEME_MAX_CHARS)
    audience = _text(audience, field="audience", max_chars=limits.AUDIENCE_MAX_CHARS)
    name = _text(name, field="name", max_chars=limits.NAME_MAX_CHARS) or _default_name(brief)
    provider = _provider(provider)
    genres = genres_clean(genres)
    if not isinstance(allow_repeats, bool):
        raise ApplicationError.for_field("allow_repeats", "true or false.")
    if seed is None:
        seed = secrets.randbelow(2**31 - 1)
    elif isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**31 - 1:
        raise ApplicationError.for_field("seed", "An integer from 0 to 2147483646.")
    faults = faults_clean(faults)
    concepts = concepts_plan(
        brief=brief,
        theme=theme,
        genres=genres,
        audience=audience,
        count=count,
        allow_repeats=allow_repeats,
        seed=seed,
    )
    return {
        "fields": {
            "name": name,
            "brief": brief,
            "theme": theme,
            "genres": genres,
            "audience": audience,
            "count": count,
            "provider": provider,
            "allow_repeats": allow_repeats,
            "seed": seed,
        },
        "faults": faults,
        "concepts": concepts,
    }


@transaction.atomic
def batch_create(*, created_by, **brief) -> Batch:
    """Plan N distinct games from a brief and start them: each production begins at step 1.

    Arguments: brief, count, and optionally name, theme, genres, audience, provider,
    allow_repeats, seed, faults (see `batch_clean`).
    """
    if created_by is None or not getattr(created_by, "is_staff", False):
        raise ApplicationError("Only staff start batches.", code="permission_denied", status=403)
    planned = batch_clean(**brief)
    batch = Batch.objects.create(created_by=created_by, **planned["fields"])
    Production.objects.bulk_create(
        [
            Production(batch=batch, index=index, concept=concept, faults=planned["faults"])
            for index, concept in enumerate(planned["concepts"], 1)
        ]
    )
    _send_batch(batch.pk)
    return batch


def _default_name(brief: str) -> str:
    words = brief.split()
    head = " ".join(words[:6]) + ("…" if len(words) > 6 else "")
    return f"{head} ({timezone.now():%Y-%m-%d %H:%M})"[: limits.NAME_MAX_CHARS]


def _cancel_production(production: Production) -> None:
    for run in StepRun.objects.select_for_update().filter(production=production, state__in=StepRun.ACTIVE):
        run.cancel()
        run.error = "Cancelled by staff."
        run.save()
    production.step_state = StepRun.State.CANCELLED
    production.cancel()
    production.save()


@transaction.atomic
def batch_cancel(*, batch: Batch, user) -> Batch:
    """Stop the batch: no further step of any of its games starts (a running step's result is dropped)."""
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    if batch.cancelled_at:
        return batch
    live = list(
        Production.objects.select_for_update().filter(batch=batch).exclude(state__in=Production.TERMINAL)
    )
    if not live and batch.finished_at:
        raise ApplicationError(
            "The batch has finished: there is nothing left to cancel.", code="finished", status=409
        )
    for production in live:
        _cancel_production(production)
    batch.cancelled_at = timezone.now()
    batch.cancelled_by = user
    batch.finished_at = batch.finished_at or batch.cancelled_at
    batch.save(update_fields=["cancelled_at", "cancelled_by", "finished_at", "updated_at"])
    return batch


def _locked(production: Production) -> Production:
    return Production.objects.select_for_update().select_related("batch").get(pk=production.pk)


@transaction.atomic
def production_cancel(*, production: Production, user) -> Production:
    production = _locked(production)
    if production.is_terminal:
        raise ApplicationError(
            f"The production is already {production.state}.", code="invalid_state", status=409
        )
    _cancel_production(production)
    execution.batch_check_finished(production.batch_id)
    return production


def _review_run(production: Production) -> StepRun:
    run = (
        StepRun.objects.select_for_update()
        .filter(production=production, state=StepRun.State.MANUAL_REVIEW)
        .order_by("-step", "-attempt")
        .first()
    )
    if run is None:
        raise ApplicationError(
            "No step of this production is waiting for review.", code="not_in_review", status=409
        )
    return run


@transaction.atomic
def production_retry(*, production: Production, user) -> StepRun:
    """Staff retry the step in review: a fresh series of attempts (with its own retries)."""
    production = _locked(production)
    review = _review_run(production)
    review.dismiss(user=user, resolution="retried")
    review.save()
    run = execution.run_create(production=production, step=review.step, reason=StepRun.Reason.STAFF_RETRY)
    if production.state == Production.State.WAITING_REVIEW:
        production.resume()
        production.step_state = StepRun.State.PENDING
        production.save()
    execution.run_dispatch(run)
    return run


@transaction.atomic
def production_approve(*, production: Production, user) -> StepRun:
    """Staff accept the output of the step in review as it is, and the production moves on."""
    production = _locked(production)
    review = _review_run(production)
    if not review.candidate_sha:
        raise ApplicationError(
            f"Step {review.step} produced no output to approve ({review.error[:200]}); retry it instead.",
            code="nothing_to_approve",
            status=409,
        )
    for field, value in (review.updates or {}).items():
        setattr(production, field, value)
    artifacts = list(review.artifacts.all())
    tags = [
        TagRequest(
            name=a.name,
            message=a.metadata.get("message", a.name),
            release_title=a.metadata.get("release_title", ""),
            release_body=a.metadata.get("release_body", ""),
            release_assets=a.metadata.get("release_assets", []),
        )
        for a in artifacts
        if a.kind == Artifact.Kind.TAG
    ]
    stored = [
        StoredFile(
            name=a.name, kind=a.kind, storage_path=a.storage_path, content_hash=a.content_hash, size=a.size
        )
        for a in artifacts
        if a.storage_path
    ]
    # Recorded here, pushed after commit by the push outbox (no network I/O under these locks).
    execution.commit_record(production, run=review, sha=review.candidate_sha, tags=tags, stored=stored)
    review.approve(user=user)
    review.validated = True
    review.finished_at = review.finished_at or timezone.now()
    review.save()
    execution.artifacts_replace(production, review)
    if production.state == Production.State.WAITING_REVIEW:
        production.resume()
    execution.production_advance(production, review)
    return review


def _step_clean(value) -> int:
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= limits.STEP_COUNT:
        raise ApplicationError.for_field("from_step", f"A step from 1 to {limits.STEP_COUNT}.")
    return value


@transaction.atomic
def production_rerun(
    *, production: Production, user, from_step, reason: str = StepRun.Reason.RERUN
) -> StepRun:
    """Run the production again from `from_step`: that step and every later one are redone."""
    from_step = _step_clean(from_step)
    production = _locked(production)
    if production.state not in (
        Production.State.WAITING_REVIEW,
        Production.State.FAILED,
        Production.State.PUBLISHED,
    ):
        raise ApplicationError(
            f"A {production.get_state_display().lower()} production cannot be re-run; "
            "wait for review, failure or publication (or cancel it).",
            code="invalid_state",
            status=409,
        )
    if (
        from_step > 1
        and not StepRun.objects.filter(
            production=production, step=from_step - 1, state=StepRun.State.COMPLETED
        ).exists()
    ):
        raise ApplicationError.for_field(
            "from_step", f"Step {from_step - 1} has never completed: re-run from an earlier step.", status=409
        )
    for review in StepRun.objects.select_for_update().filter(
        production=production, state=StepRun.State.MANUAL_REVIEW
    ):
        review.dismiss(user=user, resolution=f"re-run from step {from_step}")
        review.save()
    for active in StepRun.objects.select_for_update().filter(production=production, state__in=StepRun.ACTIVE):
        active.cancel()
        active.error = f"Superseded by a re-run from step {from_step}."
        active.save()
    production.rerun(from_step=from_step)
    production.step_state = StepRun.State.PENDING
    run = execution.run_create(production=production, step=from_step, reason=reason)
    production.save()
    Batch.objects.filter(pk=production.batch_id).update(finished_at=None)
    execution.run_dispatch(run)
    return run


@transaction.atomic
def production_edit_and_continue(*, production: Production, user, concept=None, faults=None) -> StepRun:
    """Change the game's concept or fault plan while it waits for review, then carry on.

    A new concept redoes the game from step 1 (everything derives from it); other edits retry
    the step in review.
    """
    production = _locked(production)
    if production.state != Production.State.WAITING_REVIEW:
        raise ApplicationError(
            "Only a production waiting for review can be edited.", code="invalid_state", status=409
        )
    if concept is None and faults is None:
        raise ApplicationError.for_field("concept", "Change the concept or the faults.", code="required")
    changed_concept = False
    if concept is not None:
        cleaned = concept_clean(concept, current=production.concept)
        if not production.batch.allow_repeats:
            clash = batch_concept_clashes(
                production=production, mechanic=cleaned["mechanic"], setting=cleaned["setting"]
            )
            if clash:
                raise ApplicationError.for_field(
                    "concept.setting", f"{clash} already has this mechanic and setting.", code="not_distinct"
                )
        changed_concept = cleaned != production.concept
        production.concept = cleaned
    if faults is not None:
        production.faults = faults_clean(faults)
    production.save(update_fields=["concept", "faults"])
    if changed_concept:
        return production_rerun(production=production, user=user, from_step=1, reason=StepRun.Reason.EDIT)
    review = _review_run(production)
    review.dismiss(user=user, resolution="edited and retried")
    review.save()
    run = execution.run_create(production=production, step=review.step, reason=StepRun.Reason.EDIT)
    production.resume()
    production.step_state = StepRun.State.PENDING
    production.save()
    execution.run_dispatch(run)
    return run


@transaction.atomic
def production_abandon(*, production: Production, user, reason: str = "") -> Production:
    """Give up on a production waiting for review: it ends failed."""
    production = _locked(production)
    reason = _text(reason, field="reason", max_chars=500)
    if production.state != Production.State.WAITING_REVIEW:
        raise ApplicationError(
            "Only a production waiting for review can be abandoned.", code="invalid_state", status=409
        )
    for review in StepRun.objects.select_for_update().filter(
        production=production, state=StepRun.State.MANUAL_REVIEW
    ):
        review.dismiss(user=user, resolution="abandoned")
        review.save()
    production.abandon(
        reason=reason
        or f"Abandoned by staff at step {production.current_step} ({step_title(production.current_step)})."
    )
    production.step_state = StepRun.State.PERMANENTLY_FAILED
    production.save()
    execution.batch_check_finished(production.batch_id)
    return production


@transaction.atomic
def production_set_faults(*, production: Production, user, faults) -> Production:
    """Staff fault injection for one production (see batches/faults.py)."""
    production = _locked(production)
    production.faults = faults_clean(faults)
    production.save(update_fields=["faults"])
    return production
