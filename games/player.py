"""Serving game bundles to the sandboxed player: `/play/<version>/<bundle hash>/[~<grant>/]<path>`.

Every file is streamed from the default storage (local or S3) with the sandbox's CSP, so a
bundle can load nothing from anywhere but its own origin and reach no network at all. The
CSP's own `sandbox allow-scripts` keeps a bundle opened outside the player (a direct link)
in an opaque origin too, with no access to the platform's cookies or pages. Only the
platform's origin may frame a bundle. URLs are content-addressed, so they are cached for a
year. With `GAME_ORIGIN` set, bundles are served only on that origin. A game that is not
open to everyone (a draft, a held or paid game) is served only through a signed grant in the
path (games/access.py).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from games import access, bundles, limits
from games.models import GameVersion


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def platform_origins() -> list[str]:
    origins = [_origin(settings.SITE_URL)]
    origins += [_origin(o) for o in settings.CSRF_TRUSTED_ORIGINS]
    return [o for o in dict.fromkeys(origins) if o]


def sandbox_csp() -> str:
    ancestors = " ".join(platform_origins())
    if not settings.GAME_ORIGIN:
        # Same origin as the platform: its own pages are the frame's ancestors.
        ancestors = f"'self' {ancestors}".strip()
    return (
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; media-src 'self' data: blob:; connect-src 'none'; "
        f"frame-ancestors {ancestors}; base-uri 'none'; form-action 'none'; sandbox allow-scripts"
    )


def _on_game_origin(request) -> bool:
    if not settings.GAME_ORIGIN:
        return True
    return request.get_host().lower() == urlsplit(settings.GAME_ORIGIN).netloc.lower()


def _immutable(response, etag: str):
    response["Cache-Control"] = f"public, max-age={limits.BUNDLE_CACHE_SECONDS}, immutable"
    response["ETag"] = f'"{etag}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


def _not_modified(request, etag: str) -> bool:
    return request.headers.get("If-None-Match", "").strip() == f'"{etag}"'


@xframe_options_exempt
@require_safe
def bundle_file(request, version_id, bundle_hash: str, path: str, grant: str | None = None):
    """One file of a bundle: open to all for an open game, else only through a valid grant."""
    if not _on_game_origin(request):
        raise Http404("Bundles are served from the game origin.")
    version = (
        GameVersion.objects.filter(pk=version_id, bundle_hash=bundle_hash)
        .select_related("game")
        .only(
            "bundle_path",
            "manifest",
            "game__status",
            "game__is_public",
            "game__play_restricted",
            "game__creator_id",
        )
        .first()
    )
    if version is None:
        raise Http404("No such bundle.")
    game = version.game
    if grant is None:
        if not access.game_is_open(game):
            raise Http404("This game is not available.")
    else:
        parsed = access.bundle_grant_read(grant, version_id=version.pk)
        if parsed is None or not access.bundle_grant_allows(grant=parsed, game=game):
            raise Http404("This game is not available.")
    entry = version.manifest.get(path)
    if entry is None:
        raise Http404("No such file in this bundle.")
    if _not_modified(request, entry["sha256"]):
        response = HttpResponseNotModified()
    else:
        response = FileResponse(
            bundles.bundle_open(bundle_path=version.bundle_path, path=path), content_type=entry["type"]
        )
        response["Content-Length"] = str(entry["size"])
    response["Content-Security-Policy"] = sandbox_csp()
    response = _immutable(response, entry["sha256"])
    if grant is not None:
        # Per-user URLs: never in a shared cache, and not kept past the grant's re-check.
        response["Cache-Control"] = f"private, max-age={settings.BUNDLE_GRANT_RECHECK_SECONDS}"
    return response


@xframe_options_exempt
@require_safe
def phaser_file(request, version: str):
    if not _on_game_origin(request) or version != bundles.phaser_version():
        raise Http404("No such library.")
    etag = f"phaser-{version}"
    if _not_modified(request, etag):
        return _immutable(HttpResponseNotModified(), etag)
    source = bundles.phaser_file()
    if not source.is_file():
        raise Http404("Phaser is not installed (npm ci).")
    response = FileResponse(source.open("rb"), content_type="text/javascript; charset=utf-8")
    return _immutable(response, etag)
