from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from accounts import services
from accounts.models import User


class UserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "email")


class UserEditForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


def _bulk(service, label):
    def action(modeladmin, request, queryset):
        count = 0
        for user in queryset:
            service(user=user)
            count += 1
        modeladmin.message_user(request, f"{label}: {count} user(s).", messages.SUCCESS)

    action.__name__ = service.__name__
    action.short_description = f"{label} selected users"
    return action


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    list_display = (
        "username",
        "email",
        "display_name",
        "role",
        "status",
        "is_premium",
        "is_verified",
        "is_staff",
        "last_login",
        "created_at",
    )
    list_filter = ("role", "status", "is_premium", "is_verified", "is_staff")
    search_fields = ("username", "email", "display_name")
    ordering = ("-created_at",)
    readonly_fields = ("id", "created_at", "updated_at", "last_login")
    fieldsets = (
        (None, {"fields": ("id", "username", "email", "password")}),
        ("Profile", {"fields": ("display_name", "bio", "avatar", "avatar_small")}),
        ("Standing", {"fields": ("role", "status", "is_verified", "is_premium")}),
        ("Permissions", {"fields": ("is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "created_at", "updated_at")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "email", "password1", "password2")}),
    )
    actions = [
        _bulk(services.user_suspend, "Suspend"),
        _bulk(services.user_reactivate, "Reactivate"),
        _bulk(services.user_verify, "Verify"),
        _bulk(services.user_grant_premium, "Grant premium to"),
    ]
