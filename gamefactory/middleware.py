"""Project-wide middleware."""

from __future__ import annotations

from django.http import Http404


class NotFoundPageMiddleware:
    """A view that says "no such thing" (raises Http404) gets the platform's 404 page, DEBUG or not.

    With DEBUG on, Django shows its technical 404 page (the URL patterns) for every Http404. That page
    helps a developer who mistypes a route, so it stays for URLs that match no pattern (the resolver's
    404 never reaches a view's `process_exception`), and Django's debug page stays for real errors
    (500). A missing game, though, is what any visitor meets: it gets the page it would get in
    production.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            from gamefactory.views import page_not_found

            return page_not_found(request, exception)
        return None
