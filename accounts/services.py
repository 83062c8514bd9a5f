"""Writes on accounts. Views, API and admin all call these."""

from __future__ import annotations

import hashlib
import io
import logging

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from PIL import Image, UnidentifiedImageError

from accounts.models import USERNAME_VALIDATOR, User
from gamefactory.content import ContentKind, content_check
from gamefactory.errors import ApplicationError

logger = logging.getLogger(__name__)

AVATAR_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}


def _check_unique(*, username: str | None = None, email: str | None = None, exclude=None) -> None:
    qs = User.objects.all()
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    if username is not None and qs.filter(username__iexact=username).exists():
        raise ApplicationError.for_field("username", "This username is already taken.", code="username_taken")
    if email is not None and qs.filter(email__iexact=email).exists():
        raise ApplicationError.for_field(
            "email", "An account with this email already exists.", code="email_taken"
        )


def _validate_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError(
            "password: " + " ".join(exc.messages), code="weak_password", fields={"password": exc.messages}
        ) from exc


def _profile_texts_check(*, user, username=None, display_name=None, bio=None) -> None:
    """What others see of a person is content-checked; a name or bio that would be held is refused
    (a profile cannot wait in private for review). Outside transactions: the decision stays recorded."""
    checks: tuple[tuple[ContentKind, str, str | None], ...] = (
        ("display_name", "username", username),
        ("display_name", "display_name", display_name),
        ("bio", "bio", bio),
    )
    for kind, field, text in checks:
        if text:
            verdict = content_check(kind=kind, text=text, field=field, user=user)
            if verdict.action == "hold":
                what = field.replace("_", " ")
                raise ApplicationError.for_field(
                    field, f"This {what} may break our rules; please choose another.", code="content_refused"
                )


def user_register(*, username: str, email: str, password: str, display_name: str = "") -> User:
    """Create an active account; username and email must be free in any letter case."""
    try:
        USERNAME_VALIDATOR(username)
    except ValidationError as exc:
        raise ApplicationError.for_field("username", exc.messages[0], code="invalid_username") from exc
    _profile_texts_check(user=None, username=username, display_name=display_name)
    return _user_register(username=username, email=email, password=password, display_name=display_name)


@transaction.atomic
def _user_register(*, username: str, email: str, password: str, display_name: str) -> User:
    email = email.strip().lower()
    _check_unique(username=username, email=email)
    user = User(username=username, email=email, display_name=display_name)
    _validate_password(password, user)
    user.set_password(password)
    user.save()
    return user


def user_update_profile(*, user: User, **fields) -> User:
    """Change the editable profile fields; email changes keep uniqueness and drop verification.

    A new username, display name or bio is content-checked first."""
    allowed = {"display_name", "bio", "email", "username"}
    unknown = set(fields) - allowed
    if unknown:
        raise ApplicationError(f"Cannot change: {', '.join(sorted(unknown))}.", code="read_only")
    _profile_texts_check(
        user=user,
        username=fields["username"] if fields.get("username") not in (None, user.username) else None,
        display_name=fields["display_name"]
        if fields.get("display_name") not in (None, user.display_name)
        else None,
        bio=fields["bio"] if fields.get("bio") not in (None, user.bio) else None,
    )
    return _user_update_profile(user=user, **fields)


@transaction.atomic
def _user_update_profile(*, user: User, **fields) -> User:
    if "username" in fields and fields["username"] != user.username:
        try:
            USERNAME_VALIDATOR(fields["username"])
        except ValidationError as exc:
            raise ApplicationError.for_field("username", exc.messages[0], code="invalid_username") from exc
        _check_unique(username=fields["username"], exclude=user)
    if "email" in fields:
        fields["email"] = fields["email"].strip().lower()
        if fields["email"] != user.email:
            _check_unique(email=fields["email"], exclude=user)
            user.is_verified = False
    for name, value in fields.items():
        setattr(user, name, value)
    user.save()
    return user


def _sniff_image(data: bytes) -> Image.Image:
    if len(data) > settings.AVATAR_MAX_BYTES:
        raise ApplicationError.for_field(
            "avatar",
            f"The file is larger than {settings.AVATAR_MAX_BYTES // (1024 * 1024)} MB.",
            code="too_large",
        )
    too_many = ApplicationError.for_field(
        "avatar",
        f"The image has more than the {settings.AVATAR_MAX_PIXELS:,} pixels accepted.",
        code="too_many_pixels",
    )
    try:
        # open() reads only the header: the pixel count is known before anything is decoded.
        image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as exc:
        raise too_many from exc
    except (UnidentifiedImageError, OSError) as exc:
        raise ApplicationError.for_field(
            "avatar", "The file is not an image (PNG, JPEG, GIF or WebP).", code="not_an_image"
        ) from exc
    if image.format not in AVATAR_FORMATS:
        raise ApplicationError.for_field(
            "avatar",
            f"{image.format} images are not accepted; use PNG, JPEG, GIF or WebP.",
            code="bad_format",
        )
    width, height = image.size
    if width * height > settings.AVATAR_MAX_PIXELS:
        raise too_many
    try:
        image.load()
    except (OSError, Image.DecompressionBombError, ValueError) as exc:
        raise ApplicationError.for_field(
            "avatar", "The image data is damaged.", code="corrupt_image"
        ) from exc
    return image


def _square_webp(image: Image.Image, size: int) -> bytes:
    image = image.convert("RGBA")
    side = min(image.size)
    left = (image.width - side) // 2
    top = (image.height - side) // 2
    image = image.crop((left, top, left + side, top + side)).resize((size, size), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="WEBP", quality=85, method=4)
    return out.getvalue()


def user_set_avatar(*, user: User, data: bytes) -> User:
    """Sniff the upload, refuse non-images and decompression bombs, store WebP at two sizes."""
    image = _sniff_image(data)
    large_size, small_size = settings.AVATAR_SIZES
    large = _square_webp(image, large_size)
    small = _square_webp(image, small_size)
    digest = hashlib.sha256(large).hexdigest()[:16]
    old = [f for f in (user.avatar, user.avatar_small) if f]
    with transaction.atomic():
        user.avatar.save(f"{user.pk}/{digest}-{large_size}.webp", ContentFile(large), save=False)
        user.avatar_small.save(f"{user.pk}/{digest}-{small_size}.webp", ContentFile(small), save=False)
        user.save(update_fields=["avatar", "avatar_small", "updated_at"])
        old_names = [f.name for f in old if f.name]
        storage = user.avatar.storage

        def _delete_old():
            for name in old_names:
                if name not in (user.avatar.name, user.avatar_small.name):
                    storage.delete(name)

        transaction.on_commit(_delete_old)
    return user


@transaction.atomic
def user_profile_clear(*, user: User) -> User:
    """Take down what a profile shows others: display name, bio and avatar (moderation's "hide")."""
    old = [f.name for f in (user.avatar, user.avatar_small) if f and f.name]
    storage = user.avatar.storage
    user.display_name = ""
    user.bio = ""
    user.avatar = ""
    user.avatar_small = ""
    user.save(update_fields=["display_name", "bio", "avatar", "avatar_small", "updated_at"])

    def delete_files() -> None:
        for name in old:
            storage.delete(name)

    transaction.on_commit(delete_files)
    return user


def _set_status(user: User, status: str) -> User:
    user.status = status
    user.save(update_fields=["status", "updated_at"])
    return user


def user_suspend(*, user: User) -> User:
    """Suspend: the account can no longer sign in, and its refresh tokens stop working."""
    user = _set_status(user, User.Status.SUSPENDED)
    tokens_blacklist_all(user=user)
    return user


def user_reactivate(*, user: User) -> User:
    return _set_status(user, User.Status.ACTIVE)


def user_verify(*, user: User) -> User:
    user.is_verified = True
    user.save(update_fields=["is_verified", "updated_at"])
    return user


def user_grant_premium(*, user: User) -> User:
    user.is_premium = True
    if user.role == User.Role.USER:
        user.role = User.Role.PREMIUM
    user.save(update_fields=["is_premium", "role", "updated_at"])
    return user


def tokens_blacklist_all(*, user: User) -> int:
    from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

    count = 0
    for token in OutstandingToken.objects.filter(user=user).exclude(blacklistedtoken__isnull=False):
        BlacklistedToken.objects.get_or_create(token=token)
        count += 1
    return count


def password_reset_token(*, user: User) -> str:
    return f"{urlsafe_base64_encode(force_bytes(user.pk))}.{default_token_generator.make_token(user)}"


def password_reset_request(*, email: str) -> None:
    """Mail a reset link if an active account has this address; the caller's answer never says which."""
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None or not user.is_active:
        logger.info("password reset asked for an unknown or inactive address")
        return
    token = password_reset_token(user=user)
    link = settings.SITE_URL + reverse("accounts:password_reset_confirm", kwargs={"token": token})
    context = {"user": user, "link": link, "token": token, "hours": settings.PASSWORD_RESET_TIMEOUT // 3600}
    send_mail(
        subject="Reset your GameFactory password",
        message=render_to_string("accounts/email/password_reset.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[user.email],
    )


def password_reset_user(*, token: str) -> User:
    """The user a reset token belongs to, if the token is still valid."""
    invalid = ApplicationError.for_field(
        "token", "This reset link is invalid or has expired. Ask for a new one.", code="invalid_token"
    )
    uid, _, key = token.partition(".")
    try:
        pk = force_str(urlsafe_base64_decode(uid))
        user = User.objects.get(pk=pk)
    except (ValueError, TypeError, User.DoesNotExist, ValidationError):
        raise invalid from None
    if not user.is_active or not default_token_generator.check_token(user, key):
        raise invalid
    return user


@transaction.atomic
def password_reset_confirm(*, token: str, password: str) -> User:
    """Set a new password from a reset token; the token is single-use and old sessions end."""
    user = password_reset_user(token=token)
    _validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password", "updated_at"])
    tokens_blacklist_all(user=user)
    lockout_clear(user=user)
    return user


def lockout_clear(*, user: User) -> int:
    """Lift the sign-in lockout of the account (a password reset proves who is asking)."""
    from axes.utils import reset

    from accounts.backends import lockout_username

    return reset(username=lockout_username(None, {"username": user.username}))
