"""What can be reported, and what moderation does to each kind of item.

Each content type has a handler: find the item (None when it does not exist; `deleted` when it
was removed), and hide, restore or delete it through its own app's services. The catalogue's
and accounts' handlers are here; apps that come later (the marketplace's listings, the
multiplayer chat) add theirs from their `AppConfig.ready` with `target_type_register`:

    from moderation.targets import Target, target_type_register
    target_type_register("listing", ListingTargets())

Until a handler is registered, reports on that type are refused with a clear 400.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Protocol

from gamefactory.errors import ApplicationError


@dataclass(frozen=True)
class Target:
    content_type: str
    content_id: str
    title: str
    creator: Any  # the owner (a User) or None
    obj: Any
    url: str = ""
    deleted: bool = False
    hidden: bool = False


class TargetType(Protocol):
    label: str

    def resolve(self, content_id: str) -> Target | None: ...

    def can_see(self, target: Target, user) -> bool: ...

    def hide(self, target: Target) -> None: ...

    def restore(self, target: Target) -> None: ...

    def delete(self, target: Target) -> None: ...


_TYPES: dict[str, TargetType] = {}


def target_type_register(content_type: str, handler: TargetType) -> None:
    _TYPES[content_type] = handler


def target_type(content_type: str) -> TargetType:
    handler = _TYPES.get(content_type)
    if handler is None:
        raise ApplicationError.for_field(
            "content_type",
            f"Reports on {content_type.replace('_', ' ')}s are not available yet.",
            code="unsupported",
        )
    return handler


def target_get(content_type: str, content_id) -> Target | None:
    return target_type(content_type).resolve(str(content_id))


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        return None


class GameTargets:
    label = "game"

    def resolve(self, content_id: str) -> Target | None:
        from django.urls import reverse

        from games.models import Game

        pk = _uuid(content_id)
        game = Game.objects.select_related("creator").filter(pk=pk).first() if pk else None
        if game is None:
            return None
        return Target(
            content_type="game",
            content_id=str(game.pk),
            title=game.title,
            creator=game.creator,
            obj=game,
            url=reverse("games:detail", args=[game.slug]),
            deleted=game.status == Game.Status.DELETED,
            hidden=game.status == Game.Status.MODERATED,
        )

    def can_see(self, target: Target, user) -> bool:
        return target.obj.can_view(user)

    def _set(self, target: Target, status: str) -> None:
        from games.services import game_moderation_set

        game_moderation_set(game=target.obj, status=status)

    def hide(self, target: Target) -> None:
        self._set(target, "moderated")

    def restore(self, target: Target) -> None:
        self._set(target, "active")

    def delete(self, target: Target) -> None:
        self._set(target, "deleted")


class VersionTargets(GameTargets):
    """A version is judged with its game: hiding a version hides the game it belongs to."""

    label = "game version"

    def resolve(self, content_id: str) -> Target | None:
        from games.models import GameVersion

        pk = _uuid(content_id)
        version = (
            GameVersion.objects.select_related("game", "game__creator").filter(pk=pk).first() if pk else None
        )
        if version is None:
            return None
        game = GameTargets().resolve(str(version.game_id))
        return Target(
            content_type="version",
            content_id=str(version.pk),
            title=f"{version.game.title} v{version.number}",
            creator=version.game.creator,
            obj=version.game,
            url=game.url,
            deleted=game.deleted,
            hidden=game.hidden,
        )


class UserTargets:
    """A profile: hiding or deleting it takes down its display name, bio and avatar."""

    label = "user"

    def resolve(self, content_id: str) -> Target | None:
        from django.contrib.auth import get_user_model
        from django.urls import reverse

        pk = _uuid(content_id)
        user = get_user_model().objects.filter(pk=pk).first() if pk else None
        if user is None:
            return None
        return Target(
            content_type="user",
            content_id=str(user.pk),
            title=user.username,
            creator=user,
            obj=user,
            url=reverse("accounts:public_profile", args=[user.username]),
            deleted=user.status == "deleted",
            hidden=user.status == "suspended",
        )

    def can_see(self, target: Target, user) -> bool:
        return target.obj.is_active or bool(user and user.is_authenticated and user.is_staff)

    def hide(self, target: Target) -> None:
        from accounts.services import user_profile_clear

        user_profile_clear(user=target.obj)

    def restore(self, target: Target) -> None:
        from accounts.services import user_reactivate

        if target.obj.status == "suspended":
            user_reactivate(user=target.obj)

    delete = hide


class ListingTargets:
    """A marketplace listing: hiding takes it off sale until reviewed; the game itself is judged apart."""

    label = "listing"

    def resolve(self, content_id: str) -> Target | None:
        from django.urls import reverse

        from marketplace.selectors import listing_by_id

        listing = listing_by_id(listing_id=_uuid(content_id))
        if listing is None:
            return None
        return Target(
            content_type="listing",
            content_id=str(listing.pk),
            title=f"{listing.game.title} (listing)",
            creator=listing.seller,
            obj=listing,
            url=reverse("games:detail", args=[listing.game.slug]),
            deleted=listing.game.status == "deleted",
            hidden=listing.held_for_review,
        )

    def can_see(self, target: Target, user) -> bool:
        return target.obj.game.can_view(user)

    def _set(self, target: Target, action: str) -> None:
        from marketplace.services import listing_moderation_set

        listing_moderation_set(listing=target.obj, action=action)

    def hide(self, target: Target) -> None:
        self._set(target, "hide")

    def restore(self, target: Target) -> None:
        self._set(target, "restore")

    def delete(self, target: Target) -> None:
        self._set(target, "delete")


def register_builtin() -> None:
    target_type_register("game", GameTargets())
    target_type_register("version", VersionTargets())
    target_type_register("user", UserTargets())
    target_type_register("listing", ListingTargets())
