import json

from django.contrib import admin, messages
from django.utils.html import format_html

from generation.mechanics import mechanic_get
from generation.models import Mechanic
from generation.services import CODE_OWNED_FIELDS, mechanic_sync, repo_path


@admin.register(Mechanic)
class MechanicAdmin(admin.ModelAdmin):
    """Mechanics are code: browse them here, switch them on or off, re-sync; never edit the code's fields."""

    list_display = ("slug", "name", "category", "genre", "is_active", "updated_at")
    list_filter = ("category", "genre", "is_active")
    search_fields = ("slug", "name", "description", "keywords")
    list_editable = ("is_active",)
    ordering = ("slug",)
    readonly_fields = (
        "slug",
        *(
            f
            for f in CODE_OWNED_FIELDS
            if not f.endswith("_schema") and f not in ("example_prompts", "keywords")
        ),
        "example_prompts_list",
        "keywords_list",
        "params_schema_pretty",
        "level_schema_pretty",
        "package_files",
        "created_at",
        "updated_at",
    )
    fields = (
        "slug",
        "name",
        "is_active",
        "description",
        "genre",
        "category",
        "example_prompts_list",
        "keywords_list",
        "params_schema_pretty",
        "level_schema_pretty",
        "package_files",
        "js_path",
        "dart_template",
        "created_at",
        "updated_at",
    )
    actions = ["sync_from_code"]

    def has_add_permission(self, request):
        return False  # a mechanic is added in code, then synced

    def has_delete_permission(self, request, obj=None):
        return False  # games keep their mechanic; switch it off instead

    @admin.display(description="Example prompts")
    def example_prompts_list(self, obj):
        return "\n".join(obj.example_prompts)

    @admin.display(description="Keywords")
    def keywords_list(self, obj):
        return ", ".join(obj.keywords)

    @admin.display(description="Package")
    def package_files(self, obj):
        """What the mechanic's folder holds now (the code, not the row): its files and who plays it."""
        definition = mechanic_get(obj.slug)
        if definition is None:
            return "No longer in the code (switched off by the sync)."
        root = definition.package_dir
        files = sorted(
            p.relative_to(root).as_posix()
            for p in root.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        )
        bot = "its own bot (bot.py)" if definition.bot_path.is_file() else "the generic bot"
        return format_html(
            "<code>{}</code><br>{}<br>Playtested by {}.", repo_path(root), ", ".join(files), bot
        )

    @admin.display(description="Parameters (JSON Schema)")
    def params_schema_pretty(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.params_schema, indent=2))

    @admin.display(description="Level (JSON Schema)")
    def level_schema_pretty(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.level_schema, indent=2))

    @admin.action(description="Sync every mechanic from the code")
    def sync_from_code(self, request, queryset):
        result = mechanic_sync()
        self.message_user(
            request,
            f"Created {len(result.created)}, updated {len(result.updated)}, "
            f"deactivated {len(result.deactivated)}, unchanged {len(result.unchanged)}.",
            messages.SUCCESS,
        )
