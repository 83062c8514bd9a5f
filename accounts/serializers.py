from django.conf import settings
from django.contrib.auth import authenticate
from rest_framework import serializers
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import User
from gamefactory.errors import ApplicationError


class RegisterInput(serializers.Serializer):
    username = serializers.CharField(max_length=50)
    email = serializers.EmailField(max_length=255)
    password = serializers.CharField(max_length=128, write_only=True, style={"input_type": "password"})
    display_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class LoginInput(serializers.Serializer):
    username = serializers.CharField(max_length=255, help_text="Username or email.")
    password = serializers.CharField(max_length=128, write_only=True, style={"input_type": "password"})

    def validate(self, attrs):
        request = self.context.get("request")
        user = authenticate(request, username=attrs["username"], password=attrs["password"])
        if user is None and getattr(request, "axes_locked_out", False):
            minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
            raise ApplicationError(
                f"Too many wrong passwords for this account: it is locked for {minutes} minutes "
                "from the last one. A password reset unlocks it now.",
                code="locked_out",
                status=429,
                fields={"username": ["This account is locked for a while after too many wrong passwords."]},
            )
        if user is None:
            raise serializers.ValidationError(
                {"password": ["Wrong username or password, or the account is not active."]},
                code="invalid_credentials",
            )
        attrs["user"] = user
        return attrs


class TokenPairOutput(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()
    user = serializers.SerializerMethodField()

    def get_user(self, obj) -> dict:
        return ProfileOutput(obj["user"], context=self.context).data

    @staticmethod
    def for_user(user) -> dict:
        refresh = RefreshToken.for_user(user)
        return {"access": str(refresh.access_token), "refresh": str(refresh), "user": user}


class RefreshInput(serializers.Serializer):
    refresh = serializers.CharField()


class AccessOutput(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class ForgotPasswordInput(serializers.Serializer):
    email = serializers.EmailField(max_length=255)


class ResetPasswordInput(serializers.Serializer):
    token = serializers.CharField(max_length=300)
    password = serializers.CharField(max_length=128, write_only=True)


class DetailOutput(serializers.Serializer):
    detail = serializers.CharField()


def _file_url(request, field) -> str | None:
    if not field:
        return None
    url = field.url
    return request.build_absolute_uri(url) if request is not None and url.startswith("/") else url


class PublicUserOutput(serializers.ModelSerializer):
    avatar_url = serializers.SerializerMethodField()
    avatar_small_url = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "display_name",
            "bio",
            "avatar_url",
            "avatar_small_url",
            "is_verified",
            "created_at",
        ]
        read_only_fields = fields

    def get_avatar_url(self, obj) -> str | None:
        return _file_url(self.context.get("request"), obj.avatar)

    def get_avatar_small_url(self, obj) -> str | None:
        return _file_url(self.context.get("request"), obj.avatar_small)


class ProfileOutput(PublicUserOutput):
    class Meta(PublicUserOutput.Meta):
        fields = PublicUserOutput.Meta.fields + [
            "email",
            "is_premium",
            "role",
            "status",
            "last_login",
            "updated_at",
        ]
        read_only_fields = fields


class ProfileInput(serializers.Serializer):
    username = serializers.CharField(max_length=50, required=False)
    email = serializers.EmailField(max_length=255, required=False)
    display_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    bio = serializers.CharField(max_length=500, required=False, allow_blank=True)

    def validate(self, attrs):
        unknown = set(self.initial_data) - set(self.fields) if isinstance(self.initial_data, dict) else set()
        if unknown:
            raise serializers.ValidationError(
                {name: ["This field cannot be changed."] for name in sorted(unknown)}
            )
        return attrs


class AvatarInput(serializers.Serializer):
    avatar = serializers.FileField()
