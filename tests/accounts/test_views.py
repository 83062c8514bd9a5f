import io
import re

import pytest
from django.core import mail
from django.http import HttpRequest
from PIL import Image

from accounts.models import User
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_home_page_renders_for_anonymous_visitors(client):
    r = client.get("/")
    assert r.status_code == 200
    assert b"Sign up" in r.content
    assert b"vendor/htmx/htmx.min.js" in r.content


def test_signup_signs_in_and_lands_home(client):
    r = client.post(
        "/accounts/signup/",
        {"username": "newbie", "email": "newbie@example.com", "password": "a-fine-password-42"},
        follow=True,
    )
    assert r.status_code == 200
    assert r.context["user"].username == "newbie"
    assert b"Welcome" in r.content


def test_signup_errors_are_shown_on_the_field(client):
    UserFactory(username="taken")
    r = client.post("/accounts/signup/", {"username": "TAKEN", "email": "x@example.com", "password": "1"})
    assert r.status_code == 400
    assert "username" in r.context["form"].errors
    assert User.objects.count() == 1


def test_signin_and_signout(client, user):
    r = client.post("/accounts/login/", {"username": user.email, "password": DEFAULT_PASSWORD})
    assert r.status_code == 302
    assert client.get("/accounts/profile/").status_code == 200
    assert client.get("/accounts/logout/").status_code == 405  # sign-out is a POST, CSRF-protected
    client.post("/accounts/logout/")
    assert client.get("/accounts/profile/").status_code == 302


def test_signin_wrong_password(client, user):
    r = client.post("/accounts/login/", {"username": user.username, "password": "wrong"})
    assert r.status_code == 400
    assert r.context["form"].non_field_errors()


def test_signin_is_throttled(client, user, monkeypatch):
    from gamefactory.api.throttles import AuthThrottle

    monkeypatch.setattr(AuthThrottle, "rate", "10/hour", raising=False)
    codes = [
        client.post("/accounts/login/", {"username": user.username, "password": "x"}).status_code
        for _ in range(15)
    ]
    assert codes[-1] == 429


def test_csrf_is_enforced_on_pages(user):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    r = strict.post("/accounts/login/", {"username": user.username, "password": DEFAULT_PASSWORD})
    assert r.status_code == 403


def test_password_reset_pages_through_the_outbox(client, user):
    r = client.post("/accounts/password/reset/", {"email": user.email})
    assert r.status_code == 200
    link = re.search(r"http://\S+/accounts/password/reset/(\S+)/", mail.outbox[0].body)
    path = link.group(0).split("8000", 1)[1] if "8000" in link.group(0) else link.group(0)
    assert client.get(path).status_code == 200
    r = client.post(path, {"password": "fresh-password-123"})
    assert r.status_code == 302
    assert client.login(request=HttpRequest(), username=user.username, password="fresh-password-123")
    # used once
    assert client.get(path).status_code == 400


def test_password_reset_unknown_email_looks_the_same(client):
    r = client.post("/accounts/password/reset/", {"email": "ghost@example.com"})
    assert r.status_code == 200
    assert b"Check your inbox" in r.content
    assert len(mail.outbox) == 0


def test_profile_page_edits_profile_and_avatar(client, user):
    client.force_login(user)
    r = client.post("/accounts/profile/", {"display_name": "Trinity", "email": user.email, "bio": "hi"})
    assert r.status_code == 302
    user.refresh_from_db()
    assert user.display_name == "Trinity"
    buf = io.BytesIO()
    Image.new("RGB", (120, 120), (0, 128, 255)).save(buf, format="JPEG")
    buf.seek(0)
    buf.name = "me.jpg"
    r = client.post("/accounts/profile/", {"avatar": buf})
    assert r.status_code == 302
    user.refresh_from_db()
    assert user.avatar.name.endswith(".webp")


def test_profile_page_refuses_a_fake_image(client, user):
    client.force_login(user)
    fake = io.BytesIO(b"%PDF-1.4 not an image")
    fake.name = "me.png"
    r = client.post("/accounts/profile/", {"avatar": fake})
    assert r.status_code == 200
    assert "avatar" in r.context["avatar_form"].errors


def test_profile_page_requires_sign_in(client):
    r = client.get("/accounts/profile/")
    assert r.status_code == 302
    assert "/accounts/login/" in r["Location"]


def test_social_buttons_hidden_when_not_configured(client):
    r = client.get("/accounts/login/")
    assert b"Or continue with" not in r.content


def test_social_buttons_shown_when_configured(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "github": {"APPS": [{"client_id": "abc", "secret": "def", "key": ""}], "SCOPE": ["user:email"]}
    }
    r = client.get("/accounts/login/")
    assert b"Or continue with" in r.content
    assert b"/accounts/github/login/" in r.content


def test_social_login_redirects_to_the_provider_when_configured(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "github": {"APPS": [{"client_id": "abc", "secret": "def", "key": ""}], "SCOPE": ["user:email"]}
    }
    r = client.post("/accounts/github/login/")
    assert r.status_code == 302
    assert r["Location"].startswith("https://github.com/login/oauth/authorize")
    assert "client_id=abc" in r["Location"]
