import zoneinfo

from django import forms
from django.contrib import admin, messages

from analytics import keys, services
from analytics.models import AggregatedDay, DailyMetrics, GameReporting, IngestKey


@admin.register(IngestKey)
class IngestKeyAdmin(admin.ModelAdmin):
    list_display = ("prefix", "game", "status", "created_at", "expires_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("prefix", "game__title", "game__slug")
    list_select_related = ("game",)
    readonly_fields = (
        "id",
        "game",
        "prefix",
        "public_key",
        "secret",
        "created_at",
        "expires_at",
        "revoked_at",
    )
    fields = readonly_fields
    actions = ["rotate", "revoke"]

    def has_add_permission(self, request):
        return False  # keys are issued by the factory, or by rotating

    @admin.display(description="public key")
    def public_key(self, obj):
        return keys.public_key_for(obj.salt)

    @admin.display(description="secret (signs requests)")
    def secret(self, obj):
        return keys.secret_for(obj.salt)

    @admin.action(description="Rotate: new key for these games, old one works 24 h more")
    def rotate(self, request, queryset):
        games = {key.game for key in queryset.select_related("game")}
        for game in games:
            services.ingest_key_rotate(game=game)
        self.message_user(request, f"Rotated the keys of {len(games)} game(s).", messages.SUCCESS)

    @admin.action(description="Revoke at once")
    def revoke(self, request, queryset):
        count = sum(services.ingest_key_revoke(key=key) for key in queryset)
        self.message_user(request, f"Revoked {count} key(s).", messages.SUCCESS)


class GameReportingForm(forms.ModelForm):
    class Meta:
        model = GameReporting
        fields = ("game", "timezone")

    def clean_timezone(self):
        name = self.cleaned_data["timezone"]
        try:
            zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise forms.ValidationError("Not an IANA timezone (e.g. Europe/Paris).") from exc
        return name


@admin.register(GameReporting)
class GameReportingAdmin(admin.ModelAdmin):
    form = GameReportingForm
    list_display = ("game", "timezone")
    search_fields = ("game__title", "game__slug", "timezone")
    raw_id_fields = ("game",)

    def save_model(self, request, obj, form, change):
        services.game_reporting_set(game=obj.game, timezone_name=obj.timezone)


@admin.register(DailyMetrics)
class DailyMetricsAdmin(admin.ModelAdmin):
    list_display = ("game", "day", "dau", "new_players", "sessions", "events", "errors", "computed_at")
    list_filter = ("day",)
    search_fields = ("game__title", "game__slug")
    list_select_related = ("game",)
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AggregatedDay)
class AggregatedDayAdmin(admin.ModelAdmin):
    list_display = ("day", "timezone", "events", "seconds", "computed_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
