"""No key in the repository signs anything: forged and unsigned tokens are refused by the staff API.

Every string the repository holds (Python literals, and every word, value and line of every other
tracked text file: docs, `.env.example`, Docker files, templates) is tried as an HS256 signing key.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import hmac
import io
import json
import re
import subprocess
import time
import tokenize
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
# The key this repository used to fall back on: it must stay useless.
OLD_FALLBACK = "insecure-dev-key-only-for-debug-mode-do-not-deploy"
TEXT_SUFFIXES = {".py", ".md", ".txt", ".toml", ".yml", ".yaml", ".json", ".html", ".js", ".css", ".cfg", ".ini", ".example", ".sh", ""}  # fmt: skip
WORD_RE = re.compile(r"[^\s\"'`=:,;(){}\[\]<>]+")


def _tracked_files() -> list[Path]:
    try:
        out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
        names = out.splitlines()
    except (OSError, subprocess.CalledProcessError):
        names = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*") if p.is_file()]
    skip = ("node_modules/", ".venv/", "var/", "tests/generation/jscorpus/")
    return [ROOT / n for n in names if not n.startswith(skip) and Path(n).suffix in TEXT_SUFFIXES]


def _python_strings(text: str) -> set[str]:
    found = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.STRING:
                try:
                    value = ast.literal_eval(token.string)
                except (ValueError, SyntaxError):
                    continue
                if isinstance(value, str):
                    found.add(value)
                elif isinstance(value, bytes):
                    found.add(value.decode(errors="replace"))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    return found


def repository_strings() -> set[str]:
    found: set[str] = {OLD_FALLBACK, ""}
    for path in _tracked_files():
        try:
            text = path.read_text()
        except (UnicodeDecodeError, OSError):
            continue
        if path.suffix == ".py":
            strings = _python_strings(text)
            found |= strings
            # "x" * 50 and the like: literals repeated, as settings tests build keys
            for s in list(strings):
                if len(s) == 1:
                    found |= {s * n for n in (32, 50, 64)}
        for line in text.splitlines():
            line = line.strip()
            found.add(line)
            found.update(WORD_RE.findall(line))
            if "=" in line:
                found.add(line.split("=", 1)[1].strip().strip("\"'"))
    return found


def _claims(user) -> dict:
    now = int(time.time())
    return {
        "token_type": "access",
        "exp": now + 600,
        "iat": now,
        "jti": uuid.uuid4().hex,
        "user_id": str(user.pk),
    }


def _b64(data: dict | bytes) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def hs256(claims: dict, key: str) -> str:
    """A JWT signed the way HS256 signs (by hand: any key, the empty one too)."""
    signing_input = f"{_b64({'alg': 'HS256', 'typ': 'JWT'})}.{_b64(claims)}"
    signature = hmac.new(key.encode(errors="surrogatepass"), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def test_the_signing_keys_are_not_in_the_repository():
    strings = repository_strings()
    assert len(strings) > 1000  # the scan did read the repository
    for name, key in (
        ("SECRET_KEY", settings.SECRET_KEY),
        ("JWT signing key", settings.SIMPLE_JWT["SIGNING_KEY"]),
        ("ingest-key secret", settings.ANALYTICS_KEY_SECRET),
    ):
        assert key not in strings, f"the {name} is written in the repository"


def test_a_token_signed_with_any_string_of_the_repository_is_refused(staff, api):
    # given every string of the repository as an HS256 key
    claims = _claims(staff)
    authenticator = JWTAuthentication()
    accepted = []
    # when each forged token meets the API's authenticator
    for key in repository_strings():
        token = hs256(claims, key)
        try:
            authenticator.get_validated_token(token.encode())
        except InvalidToken:
            continue
        accepted.append(key)
    # then none signs, and the staff API says so for the one this repository used to fall back on
    assert accepted == []
    api.credentials(HTTP_AUTHORIZATION="Bearer " + hs256(claims, OLD_FALLBACK))
    response = api.get("/api/v1/batches")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_not_valid"


@pytest.mark.parametrize("alg", ["none", "None", "NONE"])
def test_an_unsigned_token_is_refused(staff, api, alg):
    token = f"{_b64({'alg': alg, 'typ': 'JWT'})}.{_b64(_claims(staff))}."
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = api.get("/api/v1/batches")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_not_valid"


def test_a_token_signed_with_the_ingest_secret_is_refused(staff, api):
    # the two keys used to be one; a leaked ingest secret must not sign in as staff
    token = hs256(_claims(staff), settings.ANALYTICS_KEY_SECRET)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/v1/batches").status_code == 401


def test_a_real_token_works(staff, api):
    # the control: the same claims signed with the real key are accepted
    token = hs256(_claims(staff), settings.SIMPLE_JWT["SIGNING_KEY"])
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/v1/batches").status_code == 200
