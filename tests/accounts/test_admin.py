import pytest
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import User
from games.models import Game, GameVersion
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/accounts/user/"


def act(client, action, users):
    return client.post(
        CHANGELIST, {"action": action, "_selected_action": [str(u.pk) for u in users]}, follow=True
    )


def test_admin_lists_users_with_role_status_premium_verified(client, staff):
    UserFactory(username="listed")
    client.force_login(staff)
    r = client.get(CHANGELIST + "?status__exact=active&q=listed")
    assert r.status_code == 200
    text = r.content.decode()
    assert "listed" in text
    for column in ("Role", "Status", "Is premium", "Is verified"):
        assert column in text


def test_admin_suspend_blocks_login_and_refresh(client, staff, api):
    # given
    target = UserFactory()
    refresh = str(RefreshToken.for_user(target))
    client.force_login(staff)
    # when
    r = act(client, "user_suspend", [target])
    # then
    assert r.status_code == 200
    target.refresh_from_db()
    assert target.status == User.Status.SUSPENDED
    assert api.post("/api/v1/auth/refresh", {"refresh": refresh}).status_code in (401, 403)


def test_admin_reactivate_verify_and_grant_premium(client, staff):
    target = UserFactory(status=User.Status.SUSPENDED)
    client.force_login(staff)
    act(client, "user_reactivate", [target])
    act(client, "user_verify", [target])
    act(client, "user_grant_premium", [target])
    target.refresh_from_db()
    assert target.status == User.Status.ACTIVE
    assert target.is_verified
    assert target.is_premium
    assert target.role == User.Role.PREMIUM


def test_admin_is_staff_only(client, user):
    client.force_login(user)
    r = client.get(CHANGELIST)
    assert r.status_code == 302


def test_seed_demo_prints_logins_and_can_run_twice(capsys, settings):
    from django.core.management import call_command

    # given a demo of one mechanic (`make run` seeds every one; tests/games/test_views.py plays them
    # all), played in Chromium on every run: no verdict cached by an earlier test
    settings.DEMO_GAME_MECHANICS = ["snake"]
    settings.PLAYTEST_VERDICT_CACHE = False
    # when it is seeded twice
    call_command("seed_demo", force=True)  # tests run with DEBUG off
    first = capsys.readouterr().out
    call_command("seed_demo", force=True)
    second = capsys.readouterr().out
    # then both runs print the logins, and the accounts exist once
    for out in (first, second):
        assert "admin" in out
        assert "password:" in out
    assert User.objects.filter(username="admin", is_superuser=True).count() == 1
    assert User.objects.filter(username="demo").count() == 1
    # and the first run published the demo game once its playtest passed; the second made nothing new
    game = Game.objects.get(creator__username="demo")
    assert game.mechanic == "snake" and game.is_public
    assert game.current_version.playtest["passed"] is True
    assert game.current_version.playtest["source"] == "studio"
    assert f"Catalogue demo: {game.title!r} (/games/{game.slug}/)" in first
    assert "Catalogue demo:" not in second and "Analytics demo:" not in second
    assert GameVersion.objects.filter(game__creator__username="demo").count() == 1


def test_seed_demo_refuses_with_debug_off_unless_forced():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError):
        call_command("seed_demo")
