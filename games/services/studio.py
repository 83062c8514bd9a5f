"""The studio: prompts and change requests become games in a Celery task, progress pushed live."""

from __future__ import annotations

import logging
import random
import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gamefactory import metrics
from gamefactory.content import content_check
from gamefactory.errors import ApplicationError
from gamefactory.notifications import notify_user
from games import limits, selectors
from games.models import Game, GenerationRequest
from games.services.catalogue import game_delete
from games.services.publishing import game_publish

logger = logging.getLogger(__name__)


# --- the studio: generation requests ---------------------------------------------------------


def _check_quota(user) -> None:
    quota = selectors.quota_for(user=user)
    if quota["remaining"] <= 0:
        raise ApplicationError(
            f"You have used your {quota['limit']} AI tokens for this month; more arrive on {quota['resets_at']:%Y-%m-%d}.",
            code="quota_exceeded",
            status=429,
        )


def _notify_progress(request: GenerationRequest) -> None:
    notify_user(user_id=request.user_id, event=selectors.generation_event(request=request))


def generation_request_create(
    *, user, prompt, mechanic: str | None = None, parameters: dict | None = None, seed: int | None = None
) -> GenerationRequest:
    """Queue a prompt for the studio; the designer runs in `game_generate_task`.

    The prompt is content-checked first: a refused one raises before any request exists, so no
    generation runs and no token is spent; a held one makes a game that stays out of view until
    a moderator has looked at it.
    """
    from generation import services as engine
    from generation.selectors import mechanic_available_slugs
    from generation.selectors import mechanic_definition as mechanic_get

    prompt = engine.prompt_clean(prompt)
    content_check(kind="prompt", text=prompt, field="prompt", user=user)
    if mechanic and (mechanic_get(mechanic) is None or mechanic not in mechanic_available_slugs()):
        raise ApplicationError.for_field(
            "template", f"Unknown template {mechanic!r}.", code="unknown_mechanic"
        )
    if parameters is not None and not isinstance(parameters, dict):
        raise ApplicationError.for_field("parameters", "Parameters are an object.", code="invalid")
    seed = engine.seed_clean(seed) if seed is not None else random.SystemRandom().randrange(0, 2**31 - 1)
    _check_quota(user)
    with transaction.atomic():
        request = GenerationRequest.objects.create(
            user=user,
            kind=GenerationRequest.Kind.GENERATE,
            prompt=prompt,
            mechanic=mechanic or "",
            parameters=parameters or {},
            provider=settings.STUDIO_PROVIDER,
            seed=seed,
            stage="queued",
        )
        _enqueue(request)
    return request


def generation_change_request_create(
    *, user, game: Game, change, mechanic: str | None = None, parameters: dict | None = None
) -> GenerationRequest:
    """A change request on an existing game: the designer runs again and a new version is added."""
    from generation import services as engine
    from generation.selectors import mechanic_definition as mechanic_get

    if not game.can_edit(user) or game.status != Game.Status.ACTIVE:
        raise ApplicationError("You can only change your own games.", code="permission_denied", status=403)
    change = engine.prompt_clean(change)
    if len(change) > limits.CHANGE_MAX_CHARS:
        raise ApplicationError.for_field(
            "prompt",
            f"A change request is at most {limits.CHANGE_MAX_CHARS} characters.",
            code="prompt_too_long",
        )
    content_check(kind="prompt", text=change, field="prompt", user=user)
    if mechanic and mechanic_get(mechanic) is None:
        raise ApplicationError.for_field(
            "template", f"Unknown template {mechanic!r}.", code="unknown_mechanic"
        )
    if parameters is not None and not isinstance(parameters, dict):
        raise ApplicationError.for_field("parameters", "Parameters are an object.", code="invalid")
    _check_quota(user)
    provenance = (game.spec or {}).get("provenance") or {}
    with transaction.atomic():
        request = GenerationRequest.objects.create(
            user=user,
            kind=GenerationRequest.Kind.REGENERATE,
            prompt=change,
            mechanic=mechanic or game.mechanic or "",
            parameters=parameters or {},
            provider=settings.STUDIO_PROVIDER,
            seed=int(provenance.get("seed") or 0),
            base_game=game,
            stage="queued",
        )
        _enqueue(request)
    return request


def _enqueue(request: GenerationRequest) -> None:
    from games.tasks import game_generate_task

    _notify_progress(request)
    transaction.on_commit(lambda: game_generate_task.delay(str(request.pk)))


def _progress(request: GenerationRequest, *, progress: int, stage: str, **fields) -> None:
    request.progress = progress
    request.stage = stage
    for name, value in fields.items():
        setattr(request, name, value)
    request.save(update_fields=["progress", "stage", *fields])
    _notify_progress(request)


def _design_prompt(request: GenerationRequest) -> str:
    """The prompt the designer sees: for a change request, the game's own prompt plus the change."""
    if request.kind != GenerationRequest.Kind.REGENERATE or request.base_game is None:
        return request.prompt
    original = ((request.base_game.spec or {}).get("provenance") or {}).get(
        "prompt"
    ) or request.base_game.title
    from generation import limits as generation_limits

    combined = f"{original}\n{request.prompt}"
    return combined[-generation_limits.PROMPT_MAX_CHARS :]


def _change_of(request: GenerationRequest) -> dict:
    """For a change request: the base game's spec and the change, so the design changes only what it names."""
    if (
        request.kind != GenerationRequest.Kind.REGENERATE
        or request.base_game is None
        or not request.base_game.spec
    ):
        return {}
    return {"base_spec": request.base_game.spec, "change": request.prompt}


def generation_run(*, request_id) -> GenerationRequest | None:
    """Do one generation: design, build, store, publish; progress pushed as it goes.

    Safe to run again: a finished request is returned as it is, and publishing is idempotent.
    """
    from generation.services import game_design

    request = GenerationRequest.objects.select_related("user", "base_game").filter(pk=request_id).first()
    if request is None or request.is_finished:
        return request
    started = time.monotonic()
    # Checked again now (thresholds may have moved since it was queued): a held prompt holds its game.
    prompt_verdict = content_check(
        kind="prompt", text=request.prompt, field="prompt", user=request.user, raise_on_refuse=False
    )
    if prompt_verdict.action == "refuse":
        return _fail(
            request,
            started,
            code="content_refused",
            message=prompt_verdict.reason,
            fields={"prompt": [prompt_verdict.reason]},
        )
    _progress(
        request,
        progress=5,
        stage="designing",
        status=GenerationRequest.Status.PROCESSING,
        started_at=timezone.now(),
    )
    try:
        result = game_design(
            prompt=_design_prompt(request),
            seed=request.seed,
            provider=request.provider,
            mechanic=request.mechanic or None,
            params=request.parameters or None,
            **_change_of(request),
        )
        usage = result.usage
        tokens = int(usage.input_tokens or 0) + int(usage.output_tokens or 0)
        metrics.ai_tokens(
            provider=result.provider or request.provider,
            source="studio",
            input_tokens=int(usage.input_tokens or 0),
            output_tokens=int(usage.output_tokens or 0),
        )
        _progress(request, progress=45, stage="building", tokens_used=tokens, usage=usage.as_dict())
        base_game = request.base_game if request.kind == GenerationRequest.Kind.REGENERATE else None
        is_change = base_game is not None
        version = game_publish(
            creator=request.user,
            spec=result.spec,
            origin=Game.Origin.STUDIO,
            provenance=base_game.provenance
            if base_game is not None
            else {
                "source": "studio",
                "request_id": str(request.pk),
                "prompt": request.prompt,
                "provider": result.provider,
                "fallback": result.fallback_reason,
            },
            changelog=request.prompt if is_change else "",
            is_public=base_game.is_public if base_game is not None else False,
            game=base_game,
            logic_source=result.logic_js or None,
            content_verdicts=_publish_checks(
                request=request, spec=result.spec, prompt_verdict=prompt_verdict
            ),
        )
    except ApplicationError as exc:
        return _fail(request, started, code=exc.code, message=exc.message, fields=exc.fields)
    except Exception:
        logger.exception("games: generation %s failed", request.pk)
        return _fail(
            request, started, code="generation_failed", message="The game could not be made; try again."
        )
    _progress(
        request,
        progress=100,
        stage="done",
        status=GenerationRequest.Status.COMPLETED,
        result_game=version.game,
        result_version=version,
        completed_at=timezone.now(),
        processing_time_ms=int((time.monotonic() - started) * 1000),
    )
    return request


def _publish_checks(*, request: GenerationRequest, spec, prompt_verdict) -> list:
    """The prompt's verdict plus the checks of what the designer wrote (a new game's title and description)."""
    from games.services.publishing import game_texts_check

    verdicts = [prompt_verdict]
    if request.kind != GenerationRequest.Kind.REGENERATE or request.base_game is None:
        verdicts += game_texts_check(
            user=request.user,
            title=getattr(spec, "title", None),
            description=getattr(spec, "description", None),
        )
    return verdicts


def _fail(
    request: GenerationRequest, started: float, *, code: str, message: str, fields=None
) -> GenerationRequest:
    _progress(
        request,
        progress=request.progress,
        stage="failed",
        status=GenerationRequest.Status.FAILED,
        error_code=code[:50],
        error_message=message,
        error_fields=fields or {},
        completed_at=timezone.now(),
        processing_time_ms=int((time.monotonic() - started) * 1000),
    )
    return request


def generation_discard(*, request: GenerationRequest, user) -> None:
    """The studio's "discard": the draft game made by this request is deleted (soft)."""
    if request.user_id != user.pk:
        raise ApplicationError("No such generation.", code="not_found", status=404)
    if request.result_game is not None and request.kind == GenerationRequest.Kind.GENERATE:
        game_delete(game=request.result_game, user=user)
