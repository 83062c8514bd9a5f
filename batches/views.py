"""The staff factory pages: live dashboard (htmx polling), a batch, a production's timeline."""

from __future__ import annotations

import mimetypes

from django import forms
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from batches import git as gitlib
from batches import limits, selectors, services
from batches.models import Artifact, Production
from batches.steps import STEPS
from gamefactory.errors import ApplicationError

POLL_SECONDS = 3
IMAGE_TYPES = {"image/png", "image/webp", "image/jpeg", "image/gif"}


class BatchForm(forms.Form):
    name = forms.CharField(required=False, max_length=limits.NAME_MAX_CHARS)
    brief = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=limits.BRIEF_MAX_CHARS)
    theme = forms.CharField(required=False, max_length=limits.THEME_MAX_CHARS)
    genres = forms.CharField(required=False, help_text="Mechanics or genres, comma separated.")
    audience = forms.CharField(required=False, max_length=limits.AUDIENCE_MAX_CHARS)
    count = forms.IntegerField(min_value=limits.MIN_GAMES, max_value=limits.MAX_GAMES, initial=10)


def _rows(batches) -> list[dict]:
    return [
        {"batch": b, "productions": [(p, selectors.production_segments(p)) for p in b.productions.all()]}
        for b in batches
    ]


def _recent_batches(limit: int = 8):
    from django.db.models import Prefetch

    from batches.models import StepRun

    productions = Production.objects.prefetch_related(
        Prefetch("step_runs", queryset=StepRun.objects.order_by("step", "attempt"))
    )
    return list(
        selectors.batch_list().prefetch_related(Prefetch("productions", queryset=productions))[:limit]
    )


@staff_member_required
def dashboard(request):
    form = BatchForm()
    if request.method == "POST":
        form = BatchForm(request.POST)
        if form.is_valid():
            try:
                batch = services.batch_create(created_by=request.user, **form.cleaned_data)
            except ApplicationError as exc:
                for field, errors in exc.fields.items() or [(None, [exc.message])]:
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(request, f"Batch “{batch.name}” started: {batch.count} game(s).")
                return redirect("batches:batch", batch_id=batch.pk)
    return render(request, "batches/dashboard.html", {**_live_context(), "form": form, "poll": POLL_SECONDS})


def _live_context() -> dict:
    return {
        "stats": selectors.dashboard_stats(),
        "rows": _rows(_recent_batches()),
        "durations": selectors.step_durations(),
        "steps": STEPS,
    }


@staff_member_required
def dashboard_live(request):
    return render(request, "batches/_live.html", _live_context())


@staff_member_required
def batch_page(request, batch_id):
    batch = selectors.batch_get(batch_id=batch_id)
    return render(request, "batches/batch.html", _batch_context(batch) | {"poll": POLL_SECONDS})


def _batch_context(batch) -> dict:
    return {
        "batch": batch,
        "rows": _rows([batch]),
        "durations": selectors.step_durations(batch=batch),
        "steps": STEPS,
    }


@staff_member_required
def batch_live(request, batch_id):
    batch = selectors.batch_get(batch_id=batch_id)
    return render(request, "batches/_batch_live.html", _batch_context(batch))


@staff_member_required
@require_POST
def batch_cancel(request, batch_id):
    batch = selectors.batch_get(batch_id=batch_id)
    try:
        services.batch_cancel(batch=batch, user=request.user)
        messages.success(request, "Batch cancelled: no further step will start.")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("batches:batch", batch_id=batch_id)


@staff_member_required
def production_page(request, production_id):
    production = selectors.production_get(production_id=production_id)
    commits = gitlib.commit_list(gitlib.staging_path(production.pk))
    return render(
        request,
        "batches/production.html",
        {
            "production": production,
            "segments": selectors.production_segments(production),
            "timeline": selectors.production_timeline(production),
            "artifacts": list(production.artifacts.all()),
            "commits": commits,
            "steps": STEPS,
        },
    )


ACTIONS = {
    "retry": (services.production_retry, "Retrying the step."),
    "approve": (services.production_approve, "Approved: the factory moves on."),
    "cancel": (services.production_cancel, "Cancelled."),
    "abandon": (services.production_abandon, "Abandoned."),
}


@staff_member_required
@require_POST
def production_action(request, production_id, action):
    production = get_object_or_404(Production, pk=production_id)
    try:
        if action == "rerun":
            services.production_rerun(
                production=production, user=request.user, from_step=request.POST.get("from_step", "")
            )
            messages.success(request, f"Re-running from step {request.POST.get('from_step')}.")
        elif action in ACTIONS:
            service, done = ACTIONS[action]
            service(production=production, user=request.user)
            messages.success(request, done)
        else:
            raise Http404
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("batches:production", production_id=production_id)


@staff_member_required
def artifact_view(request, artifact_id):
    """An artifact's content: from the default storage, or from the staging repository at its commit."""
    artifact = get_object_or_404(Artifact.objects.select_related("step_run"), pk=artifact_id)
    if artifact.storage_path:
        try:
            with default_storage.open(artifact.storage_path, "rb") as fh:
                data = fh.read()
        except FileNotFoundError as exc:
            raise Http404("The stored file is gone.") from exc
    elif artifact.repository_path:
        commit = (
            artifact.metadata.get("commit") or artifact.step_run.commit_sha or artifact.step_run.candidate_sha
        )
        try:
            data = gitlib.file_at(
                gitlib.staging_path(artifact.production_id), commit, artifact.repository_path
            )
        except gitlib.GitError as exc:
            raise Http404("Not in the repository.") from exc
    else:
        data = "\n".join(f"{k}: {v}" for k, v in artifact.metadata.items()).encode()
    content_type = mimetypes.guess_type(artifact.name)[0] or "text/plain"
    if content_type not in IMAGE_TYPES and not artifact.name.endswith(".zip"):
        content_type = "text/plain; charset=utf-8"  # never render generated HTML on our origin
    response = HttpResponse(data, content_type=content_type)
    response["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    )
    if artifact.name.endswith(".zip"):
        response["Content-Disposition"] = f'attachment; filename="{artifact.name.rsplit("/", 1)[-1]}"'
    return response
