"""What the benchmarks share: a free loopback port, and their own PostgreSQL database made on demand.

Each bench runs as a script (`python bench/<name>.py`), so this folder is on `sys.path`.
"""

from __future__ import annotations

import socket


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _name_and_admin(url: str) -> tuple[str, str]:
    """The database `url` names, and the URL of the server's `postgres` database to manage it from."""
    return url.rsplit("/", 1)[1].split("?", 1)[0], url.rsplit("/", 1)[0] + "/postgres"


def drop_database(url: str) -> None:
    """Drop the database `url` names, if it exists (a bench that must start from nothing)."""
    import psycopg

    name, admin = _name_and_admin(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def ensure_database(url: str) -> None:
    """Create the database `url` names if it is missing (a fresh machine has only `test`)."""
    import psycopg

    name, admin = _name_and_admin(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")
