import pytest
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import User
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


def test_seed_demo_prints_logins_and_can_run_twice(capsys):
    from django.core.management import call_command

    call_command("seed_demo", force=True)  # tests run with DEBUG off
    call_command("seed_demo", force=True)
    out = capsys.readouterr().out
    assert "admin" in out
    assert "password:" in out
    assert User.objects.filter(username="admin", is_superuser=True).count() == 1
    assert User.objects.filter(username="demo").count() == 1


def test_seed_demo_refuses_with_debug_off_unless_forced():
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError):
        call_command("seed_demo")
