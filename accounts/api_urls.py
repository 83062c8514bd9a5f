from django.urls import path

from accounts import api

urlpatterns = [
    path("auth/register", api.RegisterApi.as_view(), name="auth-register"),
    path("auth/login", api.LoginApi.as_view(), name="auth-login"),
    path("auth/refresh", api.RefreshApi.as_view(), name="auth-refresh"),
    path("auth/logout", api.LogoutApi.as_view(), name="auth-logout"),
    path("auth/forgot-password", api.ForgotPasswordApi.as_view(), name="auth-forgot-password"),
    path("auth/reset-password", api.ResetPasswordApi.as_view(), name="auth-reset-password"),
    path("users/profile", api.ProfileApi.as_view(), name="users-profile"),
    path("users/avatar", api.AvatarApi.as_view(), name="users-avatar"),
    path("users/<uuid:user_id>", api.UserDetailApi.as_view(), name="users-detail"),
]
