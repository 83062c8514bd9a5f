import datetime as dt

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path

from gamefactory.errors import ApplicationError
from games import selectors, services
from games.models import Asset, Game, GameVersion, GenerationRequest, Play, Rating, Tag


class VersionInline(admin.TabularInline):
    model = GameVersion
    fk_name = "game"
    extra = 0
    can_delete = False
    fields = ["number", "bundle_hash", "bundle_size", "changelog", "created_by", "created_at"]
    readonly_fields = fields
    show_change_link = True


@admin.register(Game)
class GameAdmin(admin.ModelAdmin):
    list_display = [
        "title", "creator", "category", "origin", "status", "is_public", "is_featured", "play_count", "rating",
        "rating_count", "created_at",
    ]  # fmt: skip
    list_filter = ["status", "is_public", "is_featured", "origin", "category", "difficulty"]
    search_fields = ["title", "slug", "description", "creator__username"]
    list_select_related = ["creator"]
    raw_id_fields = ["creator", "forked_from", "current_version"]
    readonly_fields = ["id", "play_count", "rating", "rating_count", "rating_sum", "created_at", "updated_at"]
    filter_horizontal = ["tags"]
    inlines = [VersionInline]
    actions = ["feature", "unfeature", "soft_delete"]

    @admin.action(description="Feature in the catalogue")
    def feature(self, request, queryset):
        self._update(request, queryset, is_featured=True)

    @admin.action(description="Stop featuring")
    def unfeature(self, request, queryset):
        self._update(request, queryset, is_featured=False)

    @admin.action(description="Delete (soft: hidden, bundle no longer served)")
    def soft_delete(self, request, queryset):
        for game in queryset:
            services.game_delete(game=game, user=request.user)
        self.message_user(request, f"{queryset.count()} game(s) deleted.")

    def _update(self, request, queryset, **fields):
        done = 0
        for game in queryset:
            try:
                services.game_update(game=game, user=request.user, **fields)
                done += 1
            except ApplicationError as exc:
                self.message_user(request, f"{game}: {exc.message}", level=messages.ERROR)
        self.message_user(request, f"{done} game(s) updated.")


@admin.register(GameVersion)
class GameVersionAdmin(admin.ModelAdmin):
    list_display = ["game", "number", "bundle_hash", "bundle_size", "created_by", "created_at"]
    search_fields = ["game__title", "bundle_hash"]
    list_select_related = ["game", "created_by"]
    raw_id_fields = ["game", "created_by", "parent"]
    readonly_fields = [f.name for f in GameVersion._meta.fields]


@admin.register(Asset)
class AssetAdmin(admin.ModelAdmin):
    list_display = ["path", "kind", "content_type", "size", "version"]
    list_filter = ["kind"]
    search_fields = ["path", "sha256"]
    raw_id_fields = ["version"]


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["game", "user", "stars", "updated_at"]
    list_select_related = ["game", "user"]
    raw_id_fields = ["game", "user"]


@admin.register(Play)
class PlayAdmin(admin.ModelAdmin):
    list_display = ["game", "user", "anonymous_id", "started_at", "duration_ms", "score", "completed"]
    list_select_related = ["game", "user"]
    raw_id_fields = ["game", "user", "version"]
    date_hierarchy = "started_at"


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(GenerationRequest)
class GenerationRequestAdmin(admin.ModelAdmin):
    list_display = [
        "id", "user", "kind", "status", "provider", "provider_used", "tokens_used", "cost_usd",
        "playtest_status", "created_at",
    ]  # fmt: skip
    list_filter = ["status", "kind", "provider", "provider_used", "playtest_status"]
    search_fields = ["prompt", "user__username", "routing_reason"]
    list_select_related = ["user"]
    raw_id_fields = ["user", "base_game", "result_game", "result_version"]
    readonly_fields = [f.name for f in GenerationRequest._meta.fields]
    change_list_template = "admin/games/generationrequest/change_list.html"

    def get_urls(self):
        return [
            path(
                "spend/",
                self.admin_site.admin_view(self.spend_view),
                name="games_generationrequest_spend",
            ),
            *super().get_urls(),
        ]

    def spend_view(self, request):
        """AI spend per day, per provider and per user (the routing policy's effect), charted."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        days = 30
        spend = selectors.studio_spend(days=days)
        labels = [(spend["since"] + dt.timedelta(days=n)).isoformat() for n in range(days + 1)]
        providers = sorted({row["provider"] for row in spend["days"]}) or ["local"]
        by_key = {(row["day"].isoformat(), row["provider"]): row for row in spend["days"]}

        def series(field, cast):
            return [
                {"label": p, "data": [cast(by_key[(d, p)][field]) if (d, p) in by_key else 0 for d in labels]}
                for p in providers
            ]

        chart = {
            "labels": labels,
            "currency_symbol": "$",
            "charts": {
                "chart-spend-usd": {"type": "bar", "money": True, "datasets": series("usd", float)},
                "chart-spend-tokens": {"type": "bar", "datasets": series("tokens", int)},
                "chart-spend-requests": {"type": "line", "datasets": series("requests", int)},
            },
        }
        context = {
            **self.admin_site.each_context(request),
            "title": "AI spend: per day, provider and user",
            "opts": self.model._meta,
            "spend": spend,
            "days": days,
            "chart": chart,
            "budgets": {
                "user_usd": settings.STUDIO_BUDGET_USER_USD,
                "global_usd": settings.STUDIO_BUDGET_GLOBAL_USD,
                "global_tokens": settings.STUDIO_BUDGET_GLOBAL_TOKENS,
                "policy": settings.STUDIO_ROUTING,
                "llm": settings.STUDIO_PROVIDER,
            },
        }
        return TemplateResponse(request, "admin/games/generationrequest/spend.html", context)
