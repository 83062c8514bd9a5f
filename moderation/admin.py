"""Staff in the Django admin: the review queue, the sandboxed preview, bulk actions, the audit log.

The queue is the open `Case`s, oldest first (or most reported first), filtered by content type,
report reason and scanner label. A case's page shows the item (a game plays in the sandboxed
player, through a grant for the moderator), its reports, scans, appeal and history, and the
decision buttons. Every action calls `moderation.services`; the audit log is read-only.
Moderators (`role == moderator`) need `is_staff` to sign in here; they then see this app.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.timesince import timesince

from gamefactory.errors import ApplicationError
from moderation import selectors, services
from moderation.models import (
    SCANNER_REASON,
    Appeal,
    Case,
    ContentScan,
    Decision,
    ModerationAction,
    Reason,
    Report,
)
from moderation.targets import target_get

# Show the queue's length and age on the admin's index page.
admin.site.index_template = "admin/moderation_index.html"


class ModeratorsOnly:
    """Moderators and staff see moderation in the admin; the audit and records are read-only."""

    def has_module_permission(self, request):
        return bool(request.user.is_active and request.user.is_staff and request.user.is_moderator)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReasonFilter(admin.SimpleListFilter):
    title = "reason"
    parameter_name = "reason"

    def lookups(self, request, model_admin):
        return [*Reason.choices, (SCANNER_REASON, "Held by the scanner")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(reasons__contains=f" {self.value()} ")
        return queryset


class LabelFilter(admin.SimpleListFilter):
    title = "scanner label"
    parameter_name = "label"

    def lookups(self, request, model_admin):
        labels: set[str] = set()
        for value in (
            Case.objects.filter(status=Case.Status.OPEN)
            .exclude(labels="")
            .values_list("labels", flat=True)[:2000]
        ):
            labels.update(value.split())
        return [(label, label) for label in sorted(labels)]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(labels__contains=f" {self.value()} ")
        return queryset


class QueueOrder(admin.SimpleListFilter):
    """Not a filter: the two orders of the queue, as links beside the filters."""

    title = "order"
    parameter_name = "order"

    def lookups(self, request, model_admin):
        return [("oldest", "Oldest first"), ("most_reported", "Most reported first")]

    def queryset(self, request, queryset):
        return queryset.order_by(
            *selectors.QUEUE_ORDERS.get(self.value() or "oldest", selectors.QUEUE_ORDERS["oldest"])
        )


class ReportInline(admin.TabularInline):
    model = Report
    extra = 0
    can_delete = False
    fields = ["created_at", "reporter", "reason", "details", "status", "moderator", "reviewed_at"]
    readonly_fields = fields
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


class ScanInline(admin.TabularInline):
    model = ContentScan
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "field", "action", "labels", "reason", "text"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class AppealInline(admin.TabularInline):
    model = Appeal
    extra = 0
    can_delete = False
    fields = ["created_at", "appellant", "decision", "text", "status", "reviewed_by", "reviewed_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0
    can_delete = False
    fields = ["created_at", "action", "moderator", "automatic", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ActionInline(admin.TabularInline):
    model = ModerationAction
    fk_name = "case"
    extra = 0
    can_delete = False
    fields = ["created_at", "actor", "verb", "reason"]
    readonly_fields = fields
    ordering = ["created_at", "id"]
    verbose_name_plural = "audit log"

    def has_add_permission(self, request, obj=None):
        return False


def _decide(action: str, label: str):
    def bulk(modeladmin, request, queryset):
        done, skipped = 0, []
        for case in queryset:
            try:
                services.case_decide(case=case, moderator=request.user, action=action)
                done += 1
            except ApplicationError as exc:
                skipped.append(f"{case}: {exc.message}")
        if done:
            modeladmin.message_user(request, f"{label}: {done} case(s).", messages.SUCCESS)
        for message in skipped:
            modeladmin.message_user(request, message, messages.WARNING)

    bulk.__name__ = f"bulk_{action}"
    bulk.short_description = f"{label} the selected cases"
    bulk.allowed_permissions = ("moderate",)
    return bulk


@admin.register(Case)
class CaseAdmin(ModeratorsOnly, admin.ModelAdmin):
    change_form_template = "admin/moderation/case/change_form.html"
    list_display = [
        "item",
        "content_type",
        "report_count",
        "held_badge",
        "reason_tags",
        "label_tags",
        "waiting",
        "status",
    ]
    list_display_links = ["item"]
    list_filter = [QueueOrder, "status", "content_type", ReasonFilter, LabelFilter, "held", "appeal_pending"]
    search_fields = ["title", "content_id", "creator__username"]
    list_select_related = ["creator"]
    ordering = ["opened_at"]
    list_per_page = 50
    inlines = [ReportInline, ScanInline, AppealInline, DecisionInline, ActionInline]
    fields = ["content_type", "content_id", "title", "creator", "status", "held", "report_count", "reasons", "labels",
              "appeal_pending", "opened_at", "decided_at"]  # fmt: skip
    readonly_fields = fields
    actions = [
        _decide(Decision.Action.DISMISS, "Approve (dismiss the reports)"),
        _decide(Decision.Action.HIDE, "Hide"),
        _decide(Decision.Action.DELETE, "Delete"),
        _decide(Decision.Action.SUSPEND, "Suspend the creator of"),
    ]

    def get_ordering(self, request):
        order = request.GET.get(QueueOrder.parameter_name) or "oldest"
        return list(selectors.QUEUE_ORDERS.get(order, selectors.QUEUE_ORDERS["oldest"]))

    def has_moderate_permission(self, request):
        return self.has_module_permission(request)

    @admin.display(description="item", ordering="title")
    def item(self, case):
        return case.title or case.content_id

    @admin.display(description="held", boolean=True, ordering="held")
    def held_badge(self, case):
        return case.held

    @admin.display(description="reasons")
    def reason_tags(self, case):
        return ", ".join(case.reason_list)

    @admin.display(description="scanner labels")
    def label_tags(self, case):
        return ", ".join(case.label_list)

    @admin.display(description="waiting", ordering="opened_at")
    def waiting(self, case):
        return timesince(case.opened_at) if case.is_open else "-"

    def changelist_view(self, request, extra_context=None):
        # The queue is the default view: open cases, unless a status is asked for.
        if "status__exact" not in request.GET and "_all" not in request.GET and not request.GET.get("q"):
            query = request.GET.copy()
            query["status__exact"] = Case.Status.OPEN
            return HttpResponseRedirect(f"{request.path}?{query.urlencode()}")
        return super().changelist_view(request, extra_context=extra_context)

    def get_urls(self):
        return [
            path(
                "<uuid:case_id>/decide/",
                self.admin_site.admin_view(self.decide_view),
                name="moderation_case_decide",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        case = get_object_or_404(Case, pk=object_id)
        context = {**(extra_context or {}), **self._item_context(request, case)}
        response = super().change_view(request, object_id, form_url, extra_context=context)
        if context.get("preview_url"):
            # The preview is the sandboxed player: allow frames from the bundles' origin only.
            sources = " ".join(["'self'", settings.GAME_ORIGIN]).strip()
            response.headers["Content-Security-Policy"] = f"frame-src {sources}; child-src {sources}"
        return response

    def _item_context(self, request, case: Case) -> dict:
        target = target_get(case.content_type, case.content_id)
        context = {"target": target, "case_actions": self._case_actions(case)}
        if target is not None and case.content_type in ("game", "version"):
            from games import access

            game = target.obj
            version = game.current_version
            if case.content_type == "version":
                version = game.versions.filter(pk=case.content_id).first()
            url = access.play_url_for(game=game, version=version, user=request.user)
            if url:
                context["preview_url"] = url
                services.case_preview_record(case=case, moderator=request.user)
            context["game"] = game
        return context

    def _case_actions(self, case: Case) -> list[tuple[str, str, str]]:
        if not case.is_open:
            return []
        if case.appeal_pending:
            return [
                (Decision.Action.RESTORE, "Grant the appeal (restore)", "default"),
                (Decision.Action.KEEP, "Deny the appeal (keep it down)", ""),
                (Decision.Action.DELETE, "Deny and delete", "danger"),
            ]
        return [
            (Decision.Action.DISMISS, "Approve (dismiss the reports)", "default"),
            (Decision.Action.HIDE, "Hide", ""),
            (Decision.Action.DELETE, "Delete", "danger"),
            (Decision.Action.SUSPEND, "Suspend the creator", "danger"),
        ]

    def decide_view(self, request, case_id):
        case = get_object_or_404(Case, pk=case_id)
        if request.method != "POST" or not self.has_module_permission(request):
            return redirect(reverse("admin:moderation_case_change", args=[case.pk]))
        try:
            decision = services.case_decide(
                case=case,
                moderator=request.user,
                action=request.POST.get("action", ""),
                note=request.POST.get("note", ""),
            )
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return redirect(reverse("admin:moderation_case_change", args=[case.pk]))
        self.message_user(request, f"{case}: {decision.get_action_display()}.", messages.SUCCESS)
        following = selectors.queue().exclude(pk=case.pk).first()
        if following is not None:
            return redirect(reverse("admin:moderation_case_change", args=[following.pk]))
        return redirect(reverse("admin:moderation_case_changelist"))


@admin.register(Report)
class ReportAdmin(ModeratorsOnly, admin.ModelAdmin):
    list_display = [
        "created_at",
        "content_type",
        "content_id",
        "reporter",
        "reason",
        "status",
        "moderator",
        "reviewed_at",
    ]
    list_filter = ["status", "content_type", "reason"]
    search_fields = ["content_id", "reporter__username", "details"]
    list_select_related = ["reporter", "moderator"]
    readonly_fields = [f.name for f in Report._meta.fields]


@admin.register(Appeal)
class AppealAdmin(ModeratorsOnly, admin.ModelAdmin):
    list_display = ["created_at", "case_link", "appellant", "status", "reviewed_by", "reviewed_at"]
    list_filter = ["status"]
    list_select_related = ["case", "appellant", "reviewed_by"]
    readonly_fields = [f.name for f in Appeal._meta.fields]

    @admin.display(description="case")
    def case_link(self, appeal):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:moderation_case_change", args=[appeal.case_id]), appeal.case
        )


@admin.register(ContentScan)
class ContentScanAdmin(ModeratorsOnly, admin.ModelAdmin):
    list_display = ["created_at", "kind", "field", "action", "label_list", "user", "duration_us"]
    list_filter = ["action", "kind"]
    search_fields = ["text", "user__username", "reason"]
    list_select_related = ["user"]
    readonly_fields = [f.name for f in ContentScan._meta.fields]
    date_hierarchy = "created_at"

    @admin.display(description="labels")
    def label_list(self, scan):
        return ", ".join(scan.labels)


@admin.register(ModerationAction)
class ModerationActionAdmin(ModeratorsOnly, admin.ModelAdmin):
    """The audit log: read-only, newest first."""

    list_display = [
        "created_at",
        "actor_name",
        "verb",
        "content_type",
        "content_id",
        "case_link",
        "reason_short",
    ]
    list_filter = ["verb", "content_type"]
    search_fields = ["content_id", "actor__username", "reason"]
    list_select_related = ["actor", "case"]
    readonly_fields = [f.name for f in ModerationAction._meta.fields]
    date_hierarchy = "created_at"

    @admin.display(description="who")
    def actor_name(self, action):
        return action.actor.username if action.actor_id else "platform"

    @admin.display(description="case")
    def case_link(self, action):
        if not action.case_id:
            return "-"
        return format_html(
            '<a href="{}">open</a>', reverse("admin:moderation_case_change", args=[action.case_id])
        )

    @admin.display(description="why")
    def reason_short(self, action):
        return (action.reason or "")[:120]
