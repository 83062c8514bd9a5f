"""Where the signing keys come from: the environment, else a random key made once per install.

Imported by settings, so it imports nothing from Django. No key is ever written in the repository:
with no `SECRET_KEY` set, the first process to start writes 64 random bytes (URL-safe text) to
`VAR_DIR/secret_key` with mode 600, and every later process of this install (web, workers, beat,
`make test`) reads the same file. Keys for other purposes are derived from it with HMAC-SHA256 under
distinct labels (a PRF: knowing one derived key tells nothing of another or of SECRET_KEY), unless
they are set themselves.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import os
import secrets
from pathlib import Path

MIN_LENGTH = 32


def install_key(path: Path) -> str:
    """The key in `path`, created (mode 600, atomically: concurrent first starts agree) if missing."""
    path = Path(path)
    try:
        key = path.read_text().strip()
    except FileNotFoundError:
        key = ""
    if len(key) >= MIN_LENGTH:
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    candidate = secrets.token_urlsafe(64)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(candidate + "\n")
        # link() fails if another process got there first: then its key is the key.
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    key = path.read_text().strip()
    if len(key) < MIN_LENGTH:
        raise RuntimeError(f"{path} holds no usable key: delete it and start again.")
    return key


def derive(secret: str, label: str) -> str:
    """A key for one purpose, derived from `secret` (HMAC-SHA256 keyed by it, over the label)."""
    digest = hmac.new(secret.encode(), f"gamefactory/{label}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")
