from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


def user_can_authenticate(user) -> bool:
    """Only active accounts sign in or refresh tokens; suspended and deleted ones cannot."""
    return user is not None and user.is_active


class UsernameOrEmailBackend(ModelBackend):
    """Sign in with username or email, both matched case-insensitively."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        User = get_user_model()
        field = "email__iexact" if "@" in username else "username__iexact"
        try:
            user = User._default_manager.get(**{field: username})
        except User.DoesNotExist:
            # Spend the same time as a real check so the answer does not reveal the account.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
