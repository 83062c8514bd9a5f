"""Project-wide middleware.

- `InputCheckMiddleware`: bad characters in the path, query string or a form post, and uniqueness
  races. Both answer 400 naming the field, for every app's pages and API alike (JSON bodies are
  checked by the API's parser, gamefactory/api/parsers.py): a new app is covered by being routed.
- `NotFoundPageMiddleware`: a view's Http404 gets the platform's own 404 page, DEBUG or not.
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render

from gamefactory import inputs
from gamefactory.errors import ApplicationError, unique_violation_error

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _answer(request, exc: ApplicationError):
    if request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(exc.as_dict(), status=exc.status_code)
    return render(request, "400.html", {"message": exc.message}, status=exc.status_code)


class InputCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            inputs.text_check(request.path_info, field="path", identifier=True)
            inputs.querydict_check(request.GET, identifier=True)
            if request.method == "POST" and request.content_type in FORM_TYPES:
                inputs.querydict_check(request.POST, identifier=False)
        except ApplicationError as exc:
            return _answer(request, exc)
        except MultiPartParserError as exc:
            return _answer(
                request, ApplicationError(f"The form body could not be read: {exc}", code="parse_error")
            )
        except RequestDataTooBig:
            too_big = ApplicationError(
                "The request body is larger than this endpoint accepts.", code="request_too_large", status=413
            )
            return _answer(request, too_big)
        return self.get_response(request)

    def process_exception(self, request, exception):
        """A uniqueness race lost on a page (the API's handler does the same for API views)."""
        error = unique_violation_error(exception)
        if error is None:
            return None
        return _answer(request, error)


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
