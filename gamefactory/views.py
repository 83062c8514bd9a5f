"""Project-wide pages: the error pages in the platform's layout, the favicon.

404 and 500 pages are the platform's own (templates/404.html, 500.html); API paths answer in the
API's error shape instead. See `gamefactory.middleware.NotFoundPageMiddleware` for the 404 page
while DEBUG is on.
"""

from __future__ import annotations

import logging

from django.http import HttpResponseNotFound, HttpResponsePermanentRedirect, HttpResponseServerError
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe

from gamefactory.api.errors import json_error_view

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
SITE_NAME = "GameFactory"
# What a visitor sees when even the 500 template cannot be rendered (a broken template, settings...).
FALLBACK_500 = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Server error</title></head>'
    "<body><h1>Something went wrong on our side</h1><p>Try again in a moment. "
    '<a href="/">Go home</a>.</p></body></html>'
)


@requires_csrf_token
def page_not_found(request, exception=None):
    if request.path.startswith(API_PREFIX):
        return json_error_view(404, "not_found", "Nothing here.")(request)
    body = loader.render_to_string("404.html", {"request_path": request.path}, request)
    return HttpResponseNotFound(body)


@requires_csrf_token
def server_error(request):
    if request.path.startswith(API_PREFIX):
        return json_error_view(500, "server_error", "Something went wrong on our side.")(request)
    # No request context: the context processors (the user, the session) may be what failed.
    try:
        body = loader.render_to_string("500.html", {"SITE_NAME": SITE_NAME})
    except Exception:  # the error page itself must never fail
        logger.exception("gamefactory: the 500 page could not be rendered")
        body = FALLBACK_500
    return HttpResponseServerError(body)


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever a page links (the admin's pages link none)."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))
