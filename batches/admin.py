"""Staff controls in the Django admin: start batches, watch productions, resolve manual review."""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from batches import services
from batches.models import Artifact, Batch, Production, RepositoryPush, StepRun, label_choices
from batches.selectors import production_segments
from batches.steps import STEPS, step_title
from gamefactory.errors import ApplicationError


def _apply_errors(form: forms.Form, exc: ApplicationError, known: set[str]) -> None:
    if not exc.fields:
        form.add_error(None, exc.message)
        return
    for field, errors in exc.fields.items():
        name = field.split(".")[0]
        for error in errors if isinstance(errors, list) else [str(errors)]:
            form.add_error(name if name in known else None, f"{field}: {error}" if name != field else error)


def progress_bar(production: Production) -> str:
    """Twelve segments, one per step, coloured by the step's latest attempt."""
    segments = production_segments(production)
    cells = format_html_join(
        "",
        '<span class="gf-seg gf-seg-{}" title="Step {}: {} ({}, {} attempt(s))"></span>',
        ((s["state"], s["step"], step_title(s["step"]), s["state"], s["attempts"]) for s in segments),
    )
    return format_html(
        '<span class="gf-steps" aria-label="{} of 12 steps done">{}</span>', production.steps_completed, cells
    )


# The designers a batch can name; the admin offers only those this server is configured for.
DESIGN_PROVIDERS = ("local", "openai", "anthropic")


def configured_providers() -> list[str]:
    from generation.selectors import provider_get

    return [name for name in DESIGN_PROVIDERS if provider_get(name).is_configured()]


class FactoryMedia:
    css = {"all": ("batches/factory.css",)}


# --- batches -----------------------------------------------------------------------------------


class BatchCreateForm(forms.ModelForm):
    genres_text = forms.CharField(
        label="Genres",
        required=False,
        help_text="Mechanics or genres, comma separated (empty: any). E.g. snake, puzzle.",
    )
    seed = forms.IntegerField(required=False, min_value=0, help_text="Empty: a random plan.")
    provider = forms.ChoiceField(
        choices=(), help_text="Only the designers this server has keys for are offered."
    )
    faults_json = forms.CharField(
        label="Fault injection",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text='For every game, by step: {"3": {"mode": "raise", "times": 9}} (modes: raise, sleep, invalid, push_fail).',
    )

    class Meta:
        model = Batch
        fields = ("name", "brief", "theme", "audience", "count", "provider", "allow_repeats")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False
        self.fields["count"].initial = 10
        self.fields["provider"].choices = [(name, name) for name in configured_providers()]
        self.fields["provider"].initial = "local"

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            faults = json.loads(data.get("faults_json") or "{}")
        except ValueError as exc:
            self.add_error("faults_json", f"Not JSON: {exc}")
            return data
        try:
            self.planned = services.batch_clean(
                name=data.get("name") or "",
                brief=data.get("brief") or "",
                count=data.get("count"),
                theme=data.get("theme") or "",
                genres=data.get("genres_text") or [],
                audience=data.get("audience") or "",
                provider=data.get("provider") or "local",
                allow_repeats=bool(data.get("allow_repeats")),
                seed=data.get("seed"),
                faults=faults,
            )
        except ApplicationError as exc:
            known = set(self.fields) | {"genres", "faults"}
            _apply_errors(self, exc, known={k for k in known if k in self.fields})
        return data


class ProductionInline(admin.TabularInline):
    model = Production
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ("index", "title_link", "label", "progress", "repository_url", "game")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="Production")
    def title_link(self, obj):
        url = reverse("admin:batches_production_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.title or f"#{obj.index}")

    @admin.display(description="Progress")
    def progress(self, obj):
        return progress_bar(obj)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("game").prefetch_related("step_runs")


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin):
    Media = FactoryMedia
    list_display = ("name", "count", "provider", "status", "published", "created_by", "created_at")
    list_filter = ("provider", "created_at")
    search_fields = ("name", "brief", "theme")
    readonly_fields = (
        "id",
        "brief",
        "theme",
        "genres",
        "audience",
        "count",
        "provider",
        "allow_repeats",
        "seed",
        "created_by",
        "created_at",
        "finished_at",
        "cancelled_at",
        "cancelled_by",
        "dashboard_link",
    )
    inlines = [ProductionInline]
    actions = ["cancel_batches"]

    def get_queryset(self, request):
        from batches.selectors import batch_list

        return batch_list()

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = BatchCreateForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return (
                "name",
                "brief",
                "theme",
                "genres_text",
                "audience",
                "count",
                "provider",
                "allow_repeats",
                "seed",
                "faults_json",
            )
        return ("name", *self.readonly_fields)

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def get_inlines(self, request, obj):
        return [] if obj is None else self.inlines

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Status")
    def status(self, obj):
        return obj.status

    @admin.display(description="Published")
    def published(self, obj):
        return f"{getattr(obj, 'n_published', 0)} / {obj.count}"

    @admin.display(description="Live view")
    def dashboard_link(self, obj):
        return format_html(
            '<a href="{}">Open in the factory dashboard</a>', reverse("batches:batch", args=[obj.pk])
        )

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["name", "updated_at"])
            return
        planned = form.planned
        batch = services.batch_create(
            created_by=request.user,
            faults=planned["faults"],
            **planned["fields"],
        )
        obj.pk = batch.pk
        obj.__dict__.update({k: v for k, v in batch.__dict__.items() if not k.startswith("_")})
        obj._state.adding = False

    def response_add(self, request, obj, post_url_continue=None):
        # After starting a batch, staff want to watch it: its page, with the productions' progress.
        if "_addanother" in request.POST or "_popup" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        self.message_user(request, f"Batch “{obj}” started: {obj.count} game(s).", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:batches_batch_change", args=[obj.pk]))

    @admin.action(description="Cancel the selected batches")
    def cancel_batches(self, request, queryset):
        done = 0
        for batch in queryset:
            try:
                services.batch_cancel(batch=batch, user=request.user)
                done += 1
            except ApplicationError as exc:
                self.message_user(request, f"{batch}: {exc.message}", messages.WARNING)
        self.message_user(request, f"Cancelled {done} batch(es).", messages.SUCCESS)


# --- productions -------------------------------------------------------------------------------


class LabelFilter(admin.SimpleListFilter):
    title = "label"
    parameter_name = "label"

    def lookups(self, request, model_admin):
        present = set(model_admin.get_queryset(request).values_list("label", flat=True).distinct())
        return [(value, value) for value, _ in label_choices() if value in present]

    def queryset(self, request, queryset):
        return queryset.filter(label=self.value()) if self.value() else queryset


class ProductionForm(forms.ModelForm):
    class Meta:
        model = Production
        fields = ("concept", "faults")
        help_texts = {
            "concept": "Edit while the game waits for review, then save: the factory continues (a new concept restarts from step 1).",
            "faults": 'Fault injection by step, e.g. {"6": {"mode": "raise", "times": 9}}; {} clears it.',
        }

    def clean(self):
        data = super().clean()
        from batches.faults import faults_clean
        from batches.planning import concept_clean

        production = self.instance
        try:
            if "faults" in self.changed_data:
                data["faults"] = faults_clean(data.get("faults"))
            if "concept" in self.changed_data:
                if production.state != Production.State.WAITING_REVIEW:
                    raise ApplicationError.for_field(
                        "concept", "The concept can be edited only while the game waits for review."
                    )
                data["concept"] = concept_clean(data.get("concept"), current={})
        except ApplicationError as exc:
            _apply_errors(self, exc, known={"concept", "faults"})
        return data


class RerunForm(forms.Form):
    from_step = forms.TypedChoiceField(
        coerce=int, choices=[(s.number, f"{s.number}. {s.title}") for s in STEPS], label="Re-run from step"
    )


def _each(service, label):
    def action(modeladmin, request, queryset):
        done = 0
        for production in queryset:
            try:
                service(production=production, user=request.user)
                done += 1
            except ApplicationError as exc:
                modeladmin.message_user(request, f"{production}: {exc.message}", messages.WARNING)
        if done:
            modeladmin.message_user(request, f"{label}: {done} production(s).", messages.SUCCESS)

    action.__name__ = service.__name__
    action.short_description = f"{label} (selected games)"
    return action


@admin.register(Production)
class ProductionAdmin(admin.ModelAdmin):
    Media = FactoryMedia
    form = ProductionForm
    list_display = ("__str__", "batch", "index", "label", "progress", "attempts", "repository", "game")
    list_filter = (LabelFilter, "state", "batch")
    list_select_related = ("batch", "game")
    search_fields = ("title", "batch__name", "repository_name")
    readonly_fields = (
        "batch",
        "index",
        "label",
        "state",
        "current_step",
        "progress",
        "title",
        "review_reason",
        "repository",
        "game",
        "created_at",
        "started_at",
        "published_at",
        "finished_at",
        "timeline",
        "artifacts_list",
    )
    fieldsets = (
        (None, {"fields": ("batch", "index", "title", "label", "progress", "review_reason")}),
        ("Where it lives", {"fields": ("repository", "game")}),
        ("Timeline", {"fields": ("timeline",)}),
        ("Artifacts", {"fields": ("artifacts_list",)}),
        ("Design and fault injection", {"fields": ("concept", "faults")}),
        ("Dates", {"fields": ("created_at", "started_at", "published_at", "finished_at")}),
    )
    actions = [
        _each(services.production_retry, "Retry the step in review"),
        _each(services.production_approve, "Approve the step in review"),
        "rerun_from_step",
        _each(services.production_abandon, "Abandon"),
        _each(services.production_cancel, "Cancel"),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("step_runs")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Progress")
    def progress(self, obj):
        return progress_bar(obj)

    @admin.display(description="Attempts")
    def attempts(self, obj):
        return len(obj.step_runs.all())

    @admin.display(description="Repository")
    def repository(self, obj):
        if not obj.repository_url:
            return "-"
        if obj.repository_web_url:
            return format_html('<a href="{}">{}</a>', obj.repository_web_url, obj.repository_url)
        return format_html("<code>git clone {}</code>", obj.repository_url)

    @admin.display(description="Step runs")
    def timeline(self, obj):
        runs = obj.step_runs.all().order_by("created_at", "step", "attempt")
        rows = format_html_join(
            "",
            '<tr class="gf-run gf-run-{}"><td>{}. {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>'
            "<td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
            (
                (
                    run.state,
                    run.step,
                    step_title(run.step),
                    run.attempt,
                    run.get_reason_display(),
                    run.get_state_display() + (f" ({run.resolution})" if run.resolution else ""),
                    f"{run.duration_seconds:.2f} s" if run.duration_seconds is not None else "-",
                    run.worker or "-",
                    (run.error[:300] or "-"),
                    run.commit_sha[:10] or run.candidate_sha[:10] or "-",
                )
                for run in runs
            ),
        )
        detail = reverse("batches:production", args=[obj.pk])
        return format_html(
            '<table class="gf-timeline"><thead><tr><th>Step</th><th>Attempt</th><th>Why</th><th>State</th>'
            "<th>Duration</th><th>Worker</th><th>Error</th><th>Commit</th></tr></thead><tbody>{}</tbody></table>"
            '<p><a href="{}">Logs, tracebacks and the repository</a></p>',
            rows or mark_safe("<tr><td colspan=8>Not started.</td></tr>"),
            detail,
        )

    @admin.display(description="Artifacts")
    def artifacts_list(self, obj):
        items = obj.artifacts.select_related("step_run").order_by("step", "kind", "name")
        rows = [
            (
                a.step,
                a.step_run.attempt,
                ""
                if a.step_run.state == StepRun.State.COMPLETED
                else f" ({a.step_run.get_state_display().lower()})",
                a.kind,
                reverse("batches:artifact", args=[a.pk]),
                a.name,
                f"({a.size} B)" if a.size else "",
            )
            for a in items
        ]
        if not rows:
            return "-"
        return format_html_join(
            mark_safe("<br>"), 'Step {} · attempt {}{} · {} · <a href="{}">{}</a> {}', rows
        )

    def save_model(self, request, obj, form, change):
        """Edits go through the services: edit-and-continue in review, fault changes otherwise."""
        concept = form.cleaned_data.get("concept") if "concept" in form.changed_data else None
        faults = form.cleaned_data.get("faults") if "faults" in form.changed_data else None
        try:
            if obj.state == Production.State.WAITING_REVIEW and (concept is not None or faults is not None):
                services.production_edit_and_continue(
                    production=obj, user=request.user, concept=concept, faults=faults
                )
                self.message_user(
                    request, "Saved: the factory continues with your changes.", messages.SUCCESS
                )
            elif faults is not None:
                services.production_set_faults(production=obj, user=request.user, faults=faults)
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)

    @admin.action(description="Re-run from step N (selected games)")
    def rerun_from_step(self, request, queryset):
        if "apply" in request.POST:
            form = RerunForm(request.POST)
            if form.is_valid():
                done = 0
                for production in queryset:
                    try:
                        with transaction.atomic():
                            services.production_rerun(
                                production=production,
                                user=request.user,
                                from_step=form.cleaned_data["from_step"],
                            )
                        done += 1
                    except ApplicationError as exc:
                        self.message_user(request, f"{production}: {exc.message}", messages.WARNING)
                if done:
                    self.message_user(request, f"Re-running {done} production(s).", messages.SUCCESS)
                return HttpResponseRedirect(request.get_full_path())
        else:
            form = RerunForm()
        return TemplateResponse(
            request,
            "batches/admin_rerun.html",
            {
                **self.admin_site.each_context(request),
                "title": "Re-run from a step",
                "form": form,
                "productions": queryset,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(StepRun)
class StepRunAdmin(admin.ModelAdmin):
    list_display = ("production", "step", "attempt", "state", "reason", "worker", "started_at", "finished_at")
    list_filter = ("state", "step", "reason")
    list_select_related = ("production",)
    search_fields = ("production__title", "error", "worker")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in StepRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Artifact)
class ArtifactAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "step", "production", "size", "created_at")
    list_filter = ("kind", "step")
    search_fields = ("name", "production__title")
    list_select_related = ("production",)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Artifact._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RepositoryPush)
class RepositoryPushAdmin(admin.ModelAdmin):
    """The push outbox: what is waiting for the game's repository, and why a push failed."""

    list_display = ("production", "step", "short_sha", "state", "attempts", "error_head", "updated_at")
    list_filter = ("state",)
    search_fields = ("sha", "production__title", "production__repository_name")
    readonly_fields = [f.name for f in RepositoryPush._meta.fields]
    list_select_related = ("production",)

    @admin.display(description="commit")
    def short_sha(self, obj) -> str:
        return obj.sha[:10]

    @admin.display(description="error")
    def error_head(self, obj) -> str:
        return obj.error[:120]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
