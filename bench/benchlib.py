"""What the benchmarks share: a free loopback port, their own PostgreSQL database made on demand, and
the CPU seconds a process tree used.

Each bench runs as a script (`python bench/<name>.py`), so this folder is on `sys.path`.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path


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


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def processes() -> dict[int, tuple[int, float, float, str]]:
    """Every process: pid -> (parent, CPU seconds it used itself and through its exited children,
    CPU seconds it used itself, cmdline)."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            cmdline = (
                Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            )
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        ticks = [int(v) for v in fields[11:15]]
        found[int(entry)] = (int(fields[1]), sum(ticks) / CLOCK_TICKS, sum(ticks[:2]) / CLOCK_TICKS, cmdline)
    return found


def process_tree(found: dict, roots: list[int]) -> list[int]:
    """`roots` and all their descendants among `found`."""
    children: dict[int, list[int]] = {}
    for pid, (parent, *_) in found.items():
        children.setdefault(parent, []).append(pid)
    todo, seen = [pid for pid in roots if pid in found], set()
    while todo:
        pid = todo.pop()
        if pid not in seen:
            seen.add(pid)
            todo.extend(children.get(pid, ()))
    return list(seen)


def tree_cpu(roots: list[int]) -> float:
    """CPU seconds used so far by the processes `roots` and all their descendants (Chromium, its
    renderers, the Playwright driver), the exited ones included through their parents' child times."""
    found = processes()
    return sum(found[pid][1] for pid in process_tree(found, roots))
