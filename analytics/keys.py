"""Ingest key material: derivation, lookup hash and request signatures (no database writes here)."""

from __future__ import annotations

import base64
import hashlib
import hmac

from django.conf import settings

PUBLIC_PREFIX = "gfk_"
SECRET_PREFIX = "gfs_"


def _derive(purpose: str, salt: str) -> str:
    digest = hmac.new(
        settings.ANALYTICS_KEY_SECRET.encode(), f"{purpose}:{salt}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def public_key_for(salt: str) -> str:
    return PUBLIC_PREFIX + _derive("analytics-public", salt)[:32]


def secret_for(salt: str) -> str:
    return SECRET_PREFIX + _derive("analytics-secret", salt)


def public_hash(public_key: str) -> str:
    return hashlib.sha256(public_key.encode()).hexdigest()


def sign(secret: str, body: bytes) -> str:
    """The X-Ingest-Signature of a body: base64 of HMAC-SHA256(secret, body as sent)."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def signature_valid(secret: str, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, body).encode(), signature.strip().encode())
