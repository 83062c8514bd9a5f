from django.contrib import admin, messages
from django.db.models import QuerySet

from multiplayer import services
from multiplayer.models import MultiplayerSession, SessionParticipant


class LiveFilter(admin.SimpleListFilter):
    title = "live"
    parameter_name = "live"

    def lookups(self, request, model_admin):
        return [("yes", "Live (waiting or active)"), ("no", "Completed")]

    def queryset(self, request, queryset: QuerySet):
        if self.value() == "yes":
            return queryset.filter(status__in=MultiplayerSession.LIVE)
        if self.value() == "no":
            return queryset.filter(status=MultiplayerSession.Status.COMPLETED)
        return queryset


class ParticipantInline(admin.TabularInline):
    model = SessionParticipant
    extra = 0
    can_delete = False
    fields = ("seat", "user", "is_active", "connected", "ready", "joined_at", "left_at", "disconnected_at")
    readonly_fields = fields
    ordering = ("-is_active", "seat")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(MultiplayerSession)
class MultiplayerSessionAdmin(admin.ModelAdmin):
    list_display = (
        "session_code",
        "game",
        "host",
        "status",
        "current_players",
        "max_players",
        "mode",
        "created_at",
    )
    list_filter = (LiveFilter, "status", "mode", "is_private")
    search_fields = ("session_code", "game__title", "host__username")
    list_select_related = ("game", "host")
    readonly_fields = (
        "id",
        "session_code",
        "game",
        "host",
        "current_players",
        "created_at",
        "started_at",
        "ended_at",
    )
    inlines = [ParticipantInline]
    actions = ["end_sessions"]

    @admin.action(description="End the selected sessions (everyone leaves)")
    def end_sessions(self, request, queryset):
        ended = 0
        for session_id in queryset.filter(status__in=MultiplayerSession.LIVE).values_list("pk", flat=True):
            services.session_end(session_id=session_id, by=request.user)
            ended += 1
        self.message_user(request, f"{ended} session(s) ended.", messages.SUCCESS)
