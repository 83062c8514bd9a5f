"""One error shape for every 4xx of the API: {"error": {"code", "message", "fields"}}."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from gamefactory.errors import ApplicationError, unique_violation_error


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _flatten(detail) -> list[str]:
    if isinstance(detail, dict):
        return [f"{k}: {m}" for k, v in detail.items() for m in _flatten(v)]
    if isinstance(detail, list | tuple):
        return [m for item in detail for m in _flatten(item)]
    return [str(detail)]


def _fields(detail) -> dict:
    """DRF's nested error detail as {field: [messages]}; nested objects keep their nesting."""
    if isinstance(detail, dict):
        out = {}
        for key, value in detail.items():
            if isinstance(value, dict):
                out[key] = _fields(value)
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                out[key] = [_fields(v) if v else {} for v in value]
            else:
                out[key] = _flatten(value)
        return out
    return {"non_field_errors": _flatten(detail)}


def _validation_response(detail) -> tuple[str, dict]:
    fields = _fields(detail)
    if list(fields) == ["non_field_errors"]:
        message = "; ".join(fields["non_field_errors"])
    else:
        first = next(iter(fields))
        first_msgs = fields[first]
        first_msg = first_msgs[0] if isinstance(first_msgs, list) and first_msgs else "is invalid"
        if not isinstance(first_msg, str):
            first_msg = "is invalid"
        message = f"{first}: {first_msg}"
    return message, fields


def exception_handler(exc, context):
    exc = unique_violation_error(exc) or exc
    if isinstance(exc, ApplicationError):
        set_rollback()
        return Response(exc.as_dict(), status=exc.status_code)
    if isinstance(exc, RequestDataTooBig):
        return Response(
            error_body("request_too_large", "The request body is larger than this endpoint accepts."),
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, TooManyFieldsSent):
        return Response(error_body("too_many_fields", str(exc)), status=400)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real server error: let Django log it and answer 500

    if isinstance(exc, exceptions.ValidationError):
        message, fields = _validation_response(exc.detail)
        response.data = error_body("invalid", message, fields)
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        if isinstance(detail, dict) and "code" in detail:
            # simplejwt's errors: {"detail", "code": "token_not_valid", "messages": [...]}
            code = str(detail["code"])
            detail = detail.get("detail", code)
        if isinstance(code, dict | list):
            code = "error"
        body = error_body(str(code), " ".join(_flatten(detail)))
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
            body["error"]["retry_after"] = int(exc.wait)
        response.data = body
    return response


def json_error_view(status_code: int, code: str, message: str):
    def view(request, exception=None):
        return JsonResponse(error_body(code, message), status=status_code)

    return view
