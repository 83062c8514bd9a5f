"""How the web process is started: uvicorn's options derived from settings, in one place.

`scripts/serve.py` (the Procfile's `web`) and the tests that start a real server both use
`uvicorn_args`, so what the tests prove about client addresses is what production runs.
"""

from __future__ import annotations

# Imported by settings: nothing from Django here.


def is_loopback(host: str) -> bool:
    host = host.strip().strip("[]").lower()
    return host in ("localhost", "::1") or host.startswith("127.")


def proxy_args(settings) -> list[str]:
    """uvicorn's proxy options agreeing with DRF's NUM_PROXIES (settings.TRUSTED_PROXIES).

    No trusted proxy: X-Forwarded-For is ignored (uvicorn would otherwise trust it from 127.0.0.1).
    N proxies: only the proxies' own addresses may set it (never `*`, which trusts the client's list).
    """
    if not settings.TRUSTED_PROXIES:
        return ["--no-proxy-headers"]
    allowed = ",".join(settings.FORWARDED_ALLOW_IPS) or "127.0.0.1"
    return ["--proxy-headers", f"--forwarded-allow-ips={allowed}"]


def uvicorn_args(settings, *, host: str | None = None, port: int | None = None) -> list[str]:
    return [
        "gamefactory.asgi:application",
        f"--host={host or settings.WEB_HOST}",
        f"--port={port if port is not None else settings.WEB_PORT}",
        "--lifespan=off",
        *proxy_args(settings),
    ]


def debug_bind_problem(settings, host: str) -> str | None:
    """Why this bind must not start with DEBUG on, or None."""
    if settings.DEBUG and not is_loopback(host):
        return (
            f"Refusing to start: DEBUG is on and the web process would bind {host}. Debug pages show "
            "settings and source code to anyone who reaches them. Bind 127.0.0.1, or set DEBUG=0."
        )
    return None
