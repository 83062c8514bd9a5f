import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

USERNAME_VALIDATOR = RegexValidator(
    r"^[A-Za-z0-9_.-]{3,50}$",
    "3 to 50 characters: letters, digits, dot, dash and underscore.",
    code="invalid_username",
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(username__iexact=username)

    def _create_user(self, username, email, password, **extra):
        if not username:
            raise ValueError("username is required")
        if not email:
            raise ValueError("email is required")
        user = self.model(username=username, email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, username, email=None, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(username, email, password, **extra)

    def create_superuser(self, username, email=None, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True, role=User.Role.ADMIN, is_verified=True)
        return self._create_user(username, email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person on the platform: player, creator, moderator or staff."""

    class Role(models.TextChoices):
        USER = "user", "User"
        PREMIUM = "premium", "Premium"
        MODERATOR = "moderator", "Moderator"
        ADMIN = "admin", "Admin"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"
        DELETED = "deleted", "Deleted"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    username = models.CharField(max_length=50, unique=True, validators=[USERNAME_VALIDATOR])
    email = models.EmailField(max_length=255, unique=True)
    display_name = models.CharField(max_length=100, blank=True)
    avatar = models.ImageField(upload_to="avatars/", blank=True)
    avatar_small = models.ImageField(upload_to="avatars/", blank=True)
    bio = models.CharField(max_length=500, blank=True)
    is_verified = models.BooleanField(default=False)
    is_premium = models.BooleanField(default=False)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.USER)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    is_staff = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["email"]

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique"),
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.username

    # Django's auth reads `is_active`; here it is derived from `status`, the one source of truth.
    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @is_active.setter
    def is_active(self, value: bool) -> None:
        self.status = self.Status.ACTIVE if value else self.Status.SUSPENDED

    @property
    def name(self) -> str:
        return self.display_name or self.username

    @property
    def is_moderator(self) -> bool:
        return self.is_staff or self.role in (self.Role.MODERATOR, self.Role.ADMIN)

    @property
    def has_premium(self) -> bool:
        return self.is_premium or self.role == self.Role.PREMIUM
