import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from PIL import Image
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import User
from gamefactory.api.throttles import AuthThrottle
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

REGISTER = "/api/v1/auth/register"
LOGIN = "/api/v1/auth/login"
REFRESH = "/api/v1/auth/refresh"
LOGOUT = "/api/v1/auth/logout"
FORGOT = "/api/v1/auth/forgot-password"
RESET = "/api/v1/auth/reset-password"
PROFILE = "/api/v1/users/profile"
AVATAR = "/api/v1/users/avatar"


def assert_error(response, status, field=None, code=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}, body
    assert {"code", "message", "fields"} <= set(body["error"])
    assert body["error"]["message"]
    if field:
        assert field in body["error"]["fields"], body
    if code:
        assert body["error"]["code"] == code, body
    return body["error"]


def png_bytes(size=(64, 48), color=(200, 30, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


# --- register ---------------------------------------------------------------


def test_register_creates_account_and_returns_tokens(api):
    # when
    r = api.post(
        REGISTER, {"username": "Alice", "email": "Alice@Example.com", "password": "a-fine-password-42"}
    )
    # then
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["access"] and body["refresh"]
    assert body["user"]["username"] == "Alice"
    assert body["user"]["email"] == "alice@example.com"
    user = User.objects.get(username="Alice")
    assert user.password.startswith("argon2")
    assert user.role == User.Role.USER and user.status == User.Status.ACTIVE


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"username": "PLAYER0", "email": "new@example.com", "password": "a-fine-password-42"}, "username"),
        ({"username": "newname", "email": "PLAYER0@EXAMPLE.COM", "password": "a-fine-password-42"}, "email"),
        ({"username": "newname", "email": "new@example.com", "password": "123"}, "password"),
        ({"username": "newname", "email": "new@example.com", "password": "password"}, "password"),
        ({"username": "newname", "password": "a-fine-password-42"}, "email"),
        ({"username": "newname", "email": "not-an-email", "password": "a-fine-password-42"}, "email"),
        ({"username": ["x"], "email": "new@example.com", "password": "a-fine-password-42"}, "username"),
        ({"username": "a b", "email": "new@example.com", "password": "a-fine-password-42"}, "username"),
        ({"username": "x" * 51, "email": "new@example.com", "password": "a-fine-password-42"}, "username"),
    ],
)
def test_register_bad_input_names_the_field(api, payload, field):
    # given
    UserFactory(username="player0", email="player0@example.com")
    # when
    r = api.post(REGISTER, payload, format="json")
    # then
    assert_error(r, 400, field)
    assert User.objects.count() == 1


def test_register_rejects_json_that_is_not_an_object(api):
    r = api.post(REGISTER, "[1, 2, 3]", content_type="application/json")
    assert_error(r, 400)


def test_register_rejects_malformed_json(api):
    r = api.post(REGISTER, '{"username": ', content_type="application/json")
    assert_error(r, 400, code="parse_error")


def test_ten_megabytes_of_json_is_refused_with_413(api):
    body = '{"username": "' + "x" * (10 * 1024 * 1024) + '"}'
    r = api.post(REGISTER, body, content_type="application/json")
    assert_error(r, 413, code="request_too_large")
    assert User.objects.count() == 0


# --- login, refresh, logout -------------------------------------------------------


def test_login_with_username_or_email_any_case(api, user):
    for ident in (user.username, user.username.upper(), user.email.upper()):
        r = api.post(LOGIN, {"username": ident, "password": DEFAULT_PASSWORD})
        assert r.status_code == 200, r.content
        assert r.json()["access"]
    user.refresh_from_db()
    assert user.last_login is not None


def test_login_wrong_password_is_400_and_then_throttled(api, user, monkeypatch):
    # an hourly window: the count cannot slide out of it however slow the machine is
    monkeypatch.setattr(AuthThrottle, "rate", "10/hour", raising=False)
    statuses = [
        api.post(LOGIN, {"username": user.username, "password": "nope"}).status_code for _ in range(20)
    ]
    assert statuses[0] == 400
    assert 429 in statuses, statuses
    r = api.post(LOGIN, {"username": user.username, "password": "nope"})
    err = assert_error(r, 429, code="throttled")
    assert err["retry_after"] >= 1


def test_suspended_user_cannot_login_or_refresh(api, user):
    refresh = RefreshToken.for_user(user)
    user.status = User.Status.SUSPENDED
    user.save()
    assert_error(api.post(LOGIN, {"username": user.username, "password": DEFAULT_PASSWORD}), 400, "password")
    r = api.post(REFRESH, {"refresh": str(refresh)})
    assert r.status_code in (401, 403)
    assert "error" in r.json()


def test_suspended_user_access_token_stops_working(api, user):
    access = str(RefreshToken.for_user(user).access_token)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    assert api.get(PROFILE).status_code == 200
    user.status = User.Status.SUSPENDED
    user.save()
    assert_error(api.get(PROFILE), 401)


def test_refresh_rotates_and_blacklists_the_old_token(api, user):
    tokens = api.post(LOGIN, {"username": user.username, "password": DEFAULT_PASSWORD}).json()
    # when
    r = api.post(REFRESH, {"refresh": tokens["refresh"]})
    # then
    assert r.status_code == 200, r.content
    new = r.json()
    assert new["access"] and new["refresh"] and new["refresh"] != tokens["refresh"]
    assert_error(api.post(REFRESH, {"refresh": tokens["refresh"]}), 401, "refresh", "token_not_valid")
    assert api.post(REFRESH, {"refresh": new["refresh"]}).status_code == 200


def test_refresh_with_garbage_or_expired_token(api, user, settings):
    assert_error(api.post(REFRESH, {"refresh": "not-a-token"}), 401, "refresh")
    assert_error(api.post(REFRESH, {}), 400, "refresh")
    token = RefreshToken.for_user(user)
    token.set_exp(lifetime=-__import__("datetime").timedelta(seconds=1))
    assert_error(api.post(REFRESH, {"refresh": str(token)}), 401, "refresh")


def test_logout_blacklists_refresh_token(api, user):
    tokens = api.post(LOGIN, {"username": user.username, "password": DEFAULT_PASSWORD}).json()
    r = api.post(LOGOUT, {"refresh": tokens["refresh"]})
    assert r.status_code == 200
    assert_error(api.post(REFRESH, {"refresh": tokens["refresh"]}), 401)
    assert_error(api.post(LOGOUT, {"refresh": tokens["refresh"]}), 401)


def test_token_lifetimes_come_from_settings(settings):
    assert settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"].total_seconds() == 15 * 60
    assert settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"].days == 30


# --- password reset ---------------------------------------------------------------


def test_forgot_password_same_answer_whether_or_not_the_email_exists(api, user):
    known = api.post(FORGOT, {"email": user.email.upper()})
    unknown = api.post(FORGOT, {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]


def test_reset_password_flow_through_the_outbox(api, user):
    api.post(FORGOT, {"email": user.email})
    token = re.search(r"^([\w-]+\.[\w-]+)$", mail.outbox[0].body, re.M).group(1)
    # a weak password is refused and changes nothing
    assert_error(api.post(RESET, {"token": token, "password": "123"}), 400, "password")
    # when
    r = api.post(RESET, {"token": token, "password": "brand-new-secret-77"})
    # then
    assert r.status_code == 200, r.content
    assert api.post(LOGIN, {"username": user.username, "password": "brand-new-secret-77"}).status_code == 200
    # the token worked once
    assert_error(api.post(RESET, {"token": token, "password": "another-secret-88"}), 400, "token")


def test_reset_password_with_bad_token(api, user):
    assert_error(api.post(RESET, {"token": "bogus", "password": "brand-new-secret-77"}), 400, "token")
    assert_error(api.post(RESET, {"token": "MQ.abc", "password": "brand-new-secret-77"}), 400, "token")


# --- profile -------------------------------------------------------------------------


def test_profile_requires_authentication(api):
    assert_error(api.get(PROFILE), 401, code="not_authenticated")
    assert_error(api.put(PROFILE, {"display_name": "x"}), 401)
    assert_error(api.post(AVATAR, {}), 401)


def test_profile_get_and_put(auth_api):
    r = auth_api.get(PROFILE)
    assert r.status_code == 200
    assert r.json()["email"] == auth_api.user.email
    r = auth_api.put(PROFILE, {"display_name": "Neo", "bio": "I play"})
    assert r.status_code == 200, r.content
    assert r.json()["display_name"] == "Neo"
    auth_api.user.refresh_from_db()
    assert auth_api.user.bio == "I play"


def test_profile_put_refuses_taken_email_and_read_only_fields(auth_api):
    UserFactory(email="taken@example.com")
    assert_error(auth_api.put(PROFILE, {"email": "TAKEN@example.com"}), 400, "email")
    assert_error(auth_api.put(PROFILE, {"role": "admin"}), 400, "role")
    assert_error(auth_api.put(PROFILE, {"is_premium": True}), 400, "is_premium")
    auth_api.user.refresh_from_db()
    assert auth_api.user.role == User.Role.USER
    assert not auth_api.user.is_premium


def test_public_user_shows_public_fields_only(api, user):
    r = api.get(f"/api/v1/users/{user.pk}")
    assert r.status_code == 200
    body = r.json()
    assert body["username"] == user.username
    assert "email" not in body and "role" not in body and "status" not in body
    assert_error(api.get("/api/v1/users/00000000-0000-0000-0000-000000000000"), 404)


# --- avatar ---------------------------------------------------------------------------


def test_avatar_is_reencoded_to_webp_at_two_sizes(auth_api):
    upload = io.BytesIO(png_bytes((300, 200)))
    upload.name = "me.png"
    r = auth_api.post(AVATAR, {"avatar": upload}, format="multipart")
    assert r.status_code == 200, r.content
    user = auth_api.user
    user.refresh_from_db()
    with user.avatar.open() as f:
        big = Image.open(f)
        assert big.format == "WEBP" and big.size == (256, 256)
    with user.avatar_small.open() as f:
        small = Image.open(f)
        assert small.format == "WEBP" and small.size == (64, 64)
    assert r.json()["avatar_url"].endswith(".webp")


def test_avatar_pdf_renamed_png_is_refused(auth_api):
    upload = io.BytesIO(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF")
    upload.name = "avatar.png"
    assert_error(auth_api.post(AVATAR, {"avatar": upload}, format="multipart"), 400, "avatar", "not_an_image")
    auth_api.user.refresh_from_db()
    assert not auth_api.user.avatar


def test_avatar_decompression_bomb_is_refused_before_decoding(auth_api):
    # A 20000x20000 PNG compresses to a few hundred KB; it must be refused on its header.
    out = io.BytesIO()
    Image.new("1", (20000, 20000)).save(out, format="PNG")
    upload = io.BytesIO(out.getvalue())
    upload.name = "bomb.png"
    assert_error(
        auth_api.post(AVATAR, {"avatar": upload}, format="multipart"), 400, "avatar", "too_many_pixels"
    )
    auth_api.user.refresh_from_db()
    assert not auth_api.user.avatar


def test_avatar_just_over_the_pixel_limit_is_refused(auth_api, settings):
    settings.AVATAR_MAX_PIXELS = 100 * 100
    upload = io.BytesIO(png_bytes((101, 100)))
    upload.name = "big.png"
    assert_error(
        auth_api.post(AVATAR, {"avatar": upload}, format="multipart"), 400, "avatar", "too_many_pixels"
    )


def test_avatar_missing_file(auth_api):
    assert_error(auth_api.post(AVATAR, {}, format="multipart"), 400, "avatar")


def test_openapi_schema_lists_the_auth_api(api):
    r = api.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert r.status_code == 200
    text = r.content.decode()
    for path in (
        "/api/v1/auth/register",
        "/api/v1/auth/login",
        "/api/v1/users/profile",
        "/api/v1/users/avatar",
    ):
        assert path in text
    assert api.get(reverse("api-docs")).status_code == 200
