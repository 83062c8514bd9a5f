"""The studio: prompts and change requests become games in a Celery task, progress pushed live."""

from __future__ import annotations

import logging
import random
import time
from decimal import Decimal

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


def _notify_progress(request: GenerationRequest) -> None:
    notify_user(user_id=request.user_id, event=selectors.generation_event(request=request))


def _budget_lock(user) -> None:
    """Serialize budget decisions: the platform's (an advisory lock on PostgreSQL), then the user's row.

    Held until the request row that reserves tokens is written, so two parallel requests never
    both see the same tokens left. Always in this order, so two of them cannot deadlock.
    """
    from django.contrib.auth import get_user_model
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [BUDGET_LOCK_KEY])
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()


# pg_advisory_xact_lock key of the studio's budgets (any constant unique in the project).
BUDGET_LOCK_KEY = 0x5_7D10_B0D6


def _request_record(
    *, user, kind: str, prompt: str, design_prompt: str, change: str | None, mechanic: str | None,
    parameters: dict | None, seed: int, base_game: Game | None,
) -> GenerationRequest:  # fmt: skip
    """Route the prompt and record the request, reserving its tokens under the budget lock."""
    from generation import services as engine

    with transaction.atomic():
        _budget_lock(user)
        left = selectors.studio_budget_left(user=user)
        reserve = min(settings.STUDIO_TOKEN_RESERVATION, left["user_tokens"], left["global_tokens"])
        route = engine.provider_route(
            prompt=design_prompt, change=change, mechanic=mechanic, budget=left, tokens_needed=reserve
        )
        request = GenerationRequest.objects.create(
            user=user,
            kind=kind,
            prompt=prompt,
            mechanic=mechanic or "",
            parameters=parameters or {},
            provider=route.provider,
            routing_reason=route.reason[:300],
            tokens_reserved=0 if route.is_local else reserve,
            seed=seed,
            base_game=base_game,
            stage="queued",
        )
        _enqueue(request)
    return request


def generation_request_create(
    *, user, prompt, mechanic: str | None = None, parameters: dict | None = None, seed: int | None = None
) -> GenerationRequest:
    """Queue a prompt for the studio; the designer runs in `game_generate_task`.

    Input is checked by the designer's own cleaning functions (the one place). The prompt is
    content-checked first: a refused one raises before any request exists, so no generation runs
    and no token is spent; a held one makes a game that stays out of view until a moderator has
    looked at it. The routing policy picks the designer (the request says which and why); a
    request sent to an LLM reserves its tokens under the user's row lock.
    """
    from generation import services as engine

    prompt = engine.prompt_clean(prompt)
    content_check(kind="prompt", text=prompt, field="prompt", user=user)
    mechanic = engine.mechanic_clean(mechanic, field="template")
    parameters = engine.params_clean(parameters, field="parameters")
    seed = engine.seed_clean(seed) if seed is not None else random.SystemRandom().randrange(0, 2**31 - 1)
    return _request_record(
        user=user,
        kind=GenerationRequest.Kind.GENERATE,
        prompt=prompt,
        design_prompt=prompt,
        change=None,
        mechanic=mechanic,
        parameters=parameters,
        seed=seed,
        base_game=None,
    )


def generation_change_request_create(
    *, user, game: Game, change, mechanic: str | None = None, parameters: dict | None = None
) -> GenerationRequest:
    """A change request on an existing game: the designer runs again and a new version is added.

    The same checks as a new prompt (a switched-off mechanic is refused here too, named or
    inherited from the game), and a small change is routed to the offline designer.
    """
    from generation import services as engine

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
    mechanic = engine.mechanic_clean(mechanic or game.mechanic or None, field="template")
    parameters = engine.params_clean(parameters, field="parameters")
    provenance = (game.spec or {}).get("provenance") or {}
    return _request_record(
        user=user,
        kind=GenerationRequest.Kind.REGENERATE,
        prompt=change,
        design_prompt=_combined_prompt(game, change),
        change=change,
        mechanic=mechanic,
        parameters=parameters,
        seed=int(provenance.get("seed") or 0),
        base_game=game,
    )


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


def _combined_prompt(game: Game, change: str) -> str:
    """The prompt the designer sees for a change request: the game's own prompt plus the change."""
    from generation import limits as generation_limits

    original = ((game.spec or {}).get("provenance") or {}).get("prompt") or game.title
    combined = f"{original}\n{change}"
    return combined[-generation_limits.PROMPT_MAX_CHARS :]


def _design_prompt(request: GenerationRequest) -> str:
    if request.kind != GenerationRequest.Kind.REGENERATE or request.base_game is None:
        return request.prompt
    return _combined_prompt(request.base_game, request.prompt)


def _change_of(request: GenerationRequest) -> dict:
    """For a change request: the base game's spec and the change, so the design changes only what it names."""
    if (
        request.kind != GenerationRequest.Kind.REGENERATE
        or request.base_game is None
        or not request.base_game.spec
    ):
        return {}
    return {"base_spec": request.base_game.spec, "change": request.prompt}


def _design(request: GenerationRequest, *, seed: int):
    """Run the routed designer; what it spent is added to the request's records (and the metric)."""
    from generation.services import game_design

    result = game_design(
        prompt=_design_prompt(request),
        seed=seed,
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
    request.tokens_used += tokens
    request.cost_usd += Decimal(usage.cost_usd or 0)
    request.usage = usage.as_dict()
    request.provider_used = result.provider or request.provider
    if result.provider == "local" and request.provider != "local" and result.fallback_reason:
        # The LLM failed (or answered nothing usable): the offline designer made it, and the creator is told.
        request.routing_reason = (
            f"{request.provider} failed ({result.fallback_reason}), so the offline designer made it"
        )[:300]
    return result


def _publish(request: GenerationRequest, result, *, game: Game | None, prompt_verdict, retry_seed=None):
    base_game = request.base_game if request.kind == GenerationRequest.Kind.REGENERATE else None
    target = game or base_game
    if retry_seed is not None:
        changelog = f"Designed again with seed {retry_seed}: the previous version did not pass its playtest."
    else:
        changelog = request.prompt if base_game is not None else ""
    return game_publish(
        creator=request.user,
        spec=result.spec,
        origin=Game.Origin.STUDIO,
        provenance=target.provenance
        if target is not None
        else {
            "source": "studio",
            "request_id": str(request.pk),
            "prompt": request.prompt,
            "provider": result.provider,
            "fallback": result.fallback_reason,
        },
        changelog=changelog,
        # A new game is a draft until its playtest passes and its creator publishes it.
        is_public=False if target is None else target.is_public,
        game=target,
        logic_source=result.logic_js or None,
        content_verdicts=_publish_checks(request=request, spec=result.spec, prompt_verdict=prompt_verdict)
        if target is None
        else [prompt_verdict],
    )


def generation_run(*, request_id) -> GenerationRequest | None:
    """Do one generation: design, build, store (a draft, or a version waiting for its playtest), then
    the quality gate: the game is shown at once ("checking it plays…") and played headless; a failed
    playtest designs again with another seed, up to `STUDIO_PLAYTEST_ATTEMPTS` playtests, then the
    failure is reported with its reason. Progress and the verdict are pushed as they come.

    Safe to run again: a finished request is returned as it is (a playtest cut short is resumed),
    and publishing is idempotent.
    """
    request = (
        GenerationRequest.objects.select_related("user", "base_game", "result_game", "result_version")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        return request
    if request.is_finished:
        if request.playtest_status == GenerationRequest.PlaytestStatus.CHECKING:
            return _playtest_gate(request)
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
        result = _design(request, seed=request.seed)
        _progress(
            request,
            progress=45,
            stage="building",
            tokens_used=request.tokens_used,
            cost_usd=request.cost_usd,
            usage=request.usage,
            provider_used=request.provider_used,
            routing_reason=request.routing_reason,
        )
        version = _publish(request, result, game=None, prompt_verdict=prompt_verdict)
    except ApplicationError as exc:
        return _fail(request, started, code=exc.code, message=exc.message, fields=exc.fields)
    except Exception:
        logger.exception("games: generation %s failed", request.pk)
        return _fail(
            request, started, code="generation_failed", message="The game could not be made; try again."
        )
    # The game exists: the creator sees it now, while it is played.
    _progress(
        request,
        progress=100,
        stage="checking",
        status=GenerationRequest.Status.COMPLETED,
        result_game=version.game,
        result_version=version,
        tokens_reserved=0,
        playtest_status=GenerationRequest.PlaytestStatus.CHECKING,
        playtest_attempts=1,
        completed_at=timezone.now(),
        processing_time_ms=int((time.monotonic() - started) * 1000),
    )
    return _playtest_gate(request, prompt_verdict=prompt_verdict)


def _playtest_gate(request: GenerationRequest, *, prompt_verdict=None) -> GenerationRequest:
    from games.services.playtests import version_playtest

    limit = max(1, settings.STUDIO_PLAYTEST_ATTEMPTS)
    while True:
        version = request.result_version
        if version is None:  # the version went away (the game was discarded meanwhile)
            _progress(
                request,
                progress=100,
                stage="done",
                playtest_status=GenerationRequest.PlaytestStatus.FAILED,
                playtest_reason="The game was discarded before its playtest finished.",
            )
            return request
        verdict = version.playtest or version_playtest(version=version)
        if verdict.get("passed") is True:
            _progress(
                request, progress=100, stage="done", playtest_status=GenerationRequest.PlaytestStatus.PASSED
            )
            return request
        reason = "; ".join(str(f) for f in (verdict.get("failures") or [])[:3]) or "it did not play"
        if request.playtest_attempts >= limit:
            _progress(
                request,
                progress=100,
                stage="unplayable",
                playtest_status=GenerationRequest.PlaytestStatus.FAILED,
                playtest_reason=f"It did not pass its playtest in {request.playtest_attempts} tries: {reason}",
            )
            return request
        # Another seed: a different level layout and parameters of the same idea.
        seed = (request.seed + request.playtest_attempts * RETRY_SEED_STEP) % (2**31 - 1)
        _progress(request, progress=100, stage="retrying", playtest_reason=reason)
        if prompt_verdict is None:
            prompt_verdict = content_check(
                kind="prompt", text=request.prompt, field="prompt", user=request.user, raise_on_refuse=False
            )
        try:
            result = _design(request, seed=seed)
            version = _publish(
                request, result, game=request.result_game, prompt_verdict=prompt_verdict, retry_seed=seed
            )
        except Exception as exc:
            logger.exception("games: generation %s could not be designed again", request.pk)
            _progress(
                request,
                progress=100,
                stage="unplayable",
                playtest_status=GenerationRequest.PlaytestStatus.FAILED,
                playtest_reason=f"It did not pass its playtest ({reason}) and could not be made again: {exc}"[
                    :2000
                ],
            )
            return request
        _progress(
            request,
            progress=100,
            stage="checking",
            result_version=version,
            playtest_attempts=request.playtest_attempts + 1,
            tokens_used=request.tokens_used,
            cost_usd=request.cost_usd,
            usage=request.usage,
            provider_used=request.provider_used,
        )


# A large prime: the seeds of the retries land far from the first one.
RETRY_SEED_STEP = 1_000_003


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
        tokens_reserved=0,
        tokens_used=request.tokens_used,
        cost_usd=request.cost_usd,
        provider_used=request.provider_used,
        routing_reason=request.routing_reason,
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
