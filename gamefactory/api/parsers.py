"""The API's body parsers (REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]): one configuration for every view.

- JSON: bodies over DATA_UPLOAD_MAX_MEMORY_SIZE are a 413 before they are read; nesting deeper than
  JSON_MAX_DEPTH (or deep enough to exhaust Python's recursion, e.g. 100 000 `[`) is a 400;
  control characters in any string or key are a 400 naming the field (gamefactory/inputs.py).
- Forms and multipart: the same character check on every field (files are the view's business).

A view that lists parsers of its own must take them from here (tests/gamefactory/test_inputs.py
walks every URL and fails on a view that parses JSON with anything else).
"""

from __future__ import annotations

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from gamefactory import inputs


def _declared_length(parser_context) -> int | None:
    request = (parser_context or {}).get("request")
    meta = getattr(request, "META", {}) if request is not None else {}
    try:
        return int(meta.get("CONTENT_LENGTH") or 0) or None
    except (TypeError, ValueError):
        return None


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        declared = _declared_length(parser_context)
        if limit is not None and declared is not None and declared > limit:
            raise RequestDataTooBig("The request body is larger than this endpoint accepts.")
        raw = stream.read(limit + 1) if limit is not None else stream.read()
        if limit is not None and len(raw) > limit:
            raise RequestDataTooBig("The request body is larger than this endpoint accepts.")
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = json.loads(raw.decode(encoding), parse_constant=self._refuse_constant)
        except RecursionError:
            raise inputs.refuse(
                "body", inputs.DEPTH_MESSAGE.format(limit=settings.JSON_MAX_DEPTH), code="too_deep"
            ) from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise ParseError(f"JSON parse error - {exc}"[:300]) from None
        inputs.data_check(data)
        return data

    @staticmethod
    def _refuse_constant(name: str):
        # NaN and Infinity are not JSON; Python would accept them and PostgreSQL's jsonb would not.
        raise ValueError(f"{name} is not a JSON value")


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        inputs.querydict_check(data, identifier=False)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        inputs.querydict_check(result.data, identifier=False)
        return result
