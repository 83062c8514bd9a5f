"""The per-account lockout (django-axes): API login, sign-in page and admin; it always ends."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from accounts import services
from gamefactory.api.throttles import AuthThrottle
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/api/v1/auth/login"


@pytest.fixture(autouse=True)
def _no_address_throttle(settings, monkeypatch):
    # the per-address throttle would stop these tests first; the lockout is what they are about
    monkeypatch.setitem(AuthThrottle.THROTTLE_RATES, "auth", None)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_FAILURE_LIMIT = 3


def _fail(api, name, times, **extra):
    return [
        api.post(LOGIN, {"username": name, "password": "wrong"}, **extra).status_code for _ in range(times)
    ]


def test_wrong_passwords_lock_the_account_even_for_the_right_one(api, user):
    # when: three wrong passwords, each from another address
    codes = [
        api.post(
            LOGIN, {"username": user.username, "password": "x"}, REMOTE_ADDR=f"198.51.100.{i}"
        ).status_code
        for i in range(3)
    ]
    # then the right password is refused too, saying why
    response = api.post(LOGIN, {"username": user.username, "password": DEFAULT_PASSWORD})
    assert codes == [400, 400, 429]
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "locked_out"
    assert "username" in response.json()["error"]["fields"]


def test_username_and_email_in_any_case_count_as_one_account(api, user):
    for name in (user.username.upper(), user.email, user.email.upper()):
        _fail(api, name, 1)
    response = api.post(LOGIN, {"username": user.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 429


def test_other_accounts_are_not_affected(api, user, django_user_model):
    _fail(api, user.username, 3)
    other = django_user_model.objects.create_user("other", "other@example.com", DEFAULT_PASSWORD)
    response = api.post(LOGIN, {"username": other.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 200


def test_the_lock_ends_after_the_cool_off_however_many_tries_come_during_it(api, user, settings):
    # given a locked account, and an attacker who keeps trying during the lock
    _fail(api, user.username, 3)
    locked_at = AccessAttempt.objects.get().attempt_time
    _fail(api, user.username, 5)
    # then the tries did not extend it
    assert AccessAttempt.objects.get().attempt_time == locked_at
    # when the cool-off has passed since the lock
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - dt.timedelta(1))
    # then the owner signs in
    response = api.post(LOGIN, {"username": user.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 200


def test_a_password_reset_lifts_the_lock(api, user):
    _fail(api, user.username, 3)
    token = services.password_reset_token(user=user)
    services.password_reset_confirm(token=token, password="a-brand-new-passphrase")
    response = api.post(LOGIN, {"username": user.username, "password": "a-brand-new-passphrase"})
    assert response.status_code == 200


def test_the_sign_in_page_shows_the_lock(client, user):
    for _ in range(3):
        client.post("/accounts/login/", {"username": user.username, "password": "wrong"})
    response = client.post("/accounts/login/", {"username": user.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 429
    assert b"Too many wrong passwords" in response.content
    assert b"locked for 15 minutes" in response.content
    assert b"reset the password" in response.content
    assert "_auth_user_id" not in client.session
