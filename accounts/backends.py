from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


def lockout_username(request, credentials) -> str | None:
    """The account a sign-in attempt is about, as the lockout counts it: one name per account.

    Username or email, any letter case: an email is resolved to its account's username, so the
    two ways in share one count.
    """
    name = ((credentials or {}).get("username") or "").strip().lower()
    if not name:
        return None
    if "@" in name:
        User = get_user_model()
        username = User._default_manager.filter(email__iexact=name).values_list("username", flat=True).first()
        return username.lower() if username else name
    return name


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
