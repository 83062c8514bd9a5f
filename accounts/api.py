"""The seed's auth and users API under /api/v1/."""

from django.conf import settings
from django.contrib.auth.models import update_last_login
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.serializers import TokenRefreshSerializer
from rest_framework_simplejwt.tokens import RefreshToken

from accounts import serializers as s
from accounts import services
from accounts.models import User
from gamefactory.api.parsers import FormParser, MultiPartParser
from gamefactory.api.throttles import AuthThrottle
from gamefactory.errors import ApplicationError


class RegisterApi(APIView):
    permission_classes = [permissions.AllowAny]
    throttle_classes = [AuthThrottle]

    @extend_schema(request=s.RegisterInput, responses={201: s.TokenPairOutput}, tags=["auth"])
    def post(self, request):
        data = s.RegisterInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_register(**data.validated_data)
        out = s.TokenPairOutput(s.TokenPairOutput.for_user(user), context={"request": request})
        return Response(out.data, status=status.HTTP_201_CREATED)


class LoginApi(APIView):
    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [AuthThrottle]

    @extend_schema(request=s.LoginInput, responses={200: s.TokenPairOutput}, tags=["auth"])
    def post(self, request):
        data = s.LoginInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        user = data.validated_data["user"]
        update_last_login(None, user)
        return Response(
            s.TokenPairOutput(s.TokenPairOutput.for_user(user), context={"request": request}).data
        )


def _token_error(exc: TokenError) -> ApplicationError:
    return ApplicationError.for_field("refresh", str(exc), code="token_not_valid", status=401)


class RefreshApi(APIView):
    """Exchange a refresh token for a new access token and a new refresh token; the old one is blacklisted."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    @extend_schema(request=s.RefreshInput, responses={200: s.AccessOutput}, tags=["auth"])
    def post(self, request):
        serializer = TokenRefreshSerializer(data=request.data)
        try:
            serializer.is_valid(raise_exception=True)
        except TokenError as exc:
            raise _token_error(exc) from exc
        except User.DoesNotExist:
            raise _token_error(TokenError("The account of this token no longer exists.")) from None
        return Response(serializer.validated_data)


class LogoutApi(APIView):
    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    @extend_schema(request=s.RefreshInput, responses={200: s.DetailOutput}, tags=["auth"])
    def post(self, request):
        data = s.RefreshInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            RefreshToken(data.validated_data["refresh"]).blacklist()
        except TokenError as exc:
            raise _token_error(exc) from exc
        return Response({"detail": "Signed out: this refresh token no longer works."})


class ForgotPasswordApi(APIView):
    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [AuthThrottle]

    @extend_schema(request=s.ForgotPasswordInput, responses={202: s.DetailOutput}, tags=["auth"])
    def post(self, request):
        data = s.ForgotPasswordInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.password_reset_request(email=data.validated_data["email"])
        return Response(
            {"detail": "If an account uses this address, a reset link is on its way."},
            status=status.HTTP_202_ACCEPTED,
        )


class ResetPasswordApi(APIView):
    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [AuthThrottle]

    @extend_schema(request=s.ResetPasswordInput, responses={200: s.DetailOutput}, tags=["auth"])
    def post(self, request):
        data = s.ResetPasswordInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.password_reset_confirm(**data.validated_data)
        return Response({"detail": "Password changed. Sign in with the new one."})


class ProfileApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: s.ProfileOutput}, tags=["users"])
    def get(self, request):
        return Response(s.ProfileOutput(request.user, context={"request": request}).data)

    @extend_schema(request=s.ProfileInput, responses={200: s.ProfileOutput}, tags=["users"])
    def put(self, request):
        data = s.ProfileInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        user = services.user_update_profile(user=request.user, **data.validated_data)
        return Response(s.ProfileOutput(user, context={"request": request}).data)


class UserDetailApi(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: s.PublicUserOutput}, tags=["users"])
    def get(self, request, user_id):
        user = get_object_or_404(User.objects.filter(status=User.Status.ACTIVE), pk=user_id)
        return Response(s.PublicUserOutput(user, context={"request": request}).data)


class AvatarApi(APIView):
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=s.AvatarInput, responses={200: s.ProfileOutput}, tags=["users"])
    def post(self, request):
        data = s.AvatarInput(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["avatar"]
        if upload.size > settings.AVATAR_MAX_BYTES:
            raise ApplicationError.for_field("avatar", "The file is too large.", code="too_large")
        user = services.user_set_avatar(user=request.user, data=upload.read())
        return Response(s.ProfileOutput(user, context={"request": request}).data)
