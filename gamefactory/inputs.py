"""What any text a client sends must not contain, checked in one place for every app.

- Control characters (C0 but tab, newline and carriage return; DEL; C1), lone surrogates and the
  bidirectional overrides, embeddings and isolates: never meaningful in typed text, and PostgreSQL
  refuses NUL outright (a DataError, so a 500).
- Direction marks (LRM, RLM, ALM): harmless in prose, refused where text is an identifier:
  JSON keys, query parameters and filters, the path (usernames, emails and slugs have format
  validators that refuse them too).

Applied by the API's parsers (`gamefactory.api.parsers`, every JSON/form/multipart body) and by
`gamefactory.middleware.InputCheckMiddleware` (every query string and form post, pages included).
A refused value is a 400 naming the field (its dotted path in a JSON body) and the reason.
"""

from __future__ import annotations

import re

from django.conf import settings

from gamefactory.errors import ApplicationError

# Embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): refused in all text, since they
# reorder what a person sees (spoofed names, "Trojan source"); typed right-to-left text needs none.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")
# The invisible direction marks as well, where text is an identifier.
BIDI_RE = re.compile(r"[\u061c\u200e\u200f]")

CONTROL_MESSAGE = "Control characters (such as NUL or a right-to-left override) are not allowed."
BIDI_MESSAGE = "Direction marks are not allowed here."
DEPTH_MESSAGE = "The JSON is nested more than {limit} levels deep."


def text_problem(text: str, *, identifier: bool = False) -> str | None:
    """Why `text` is refused, or None."""
    if CONTROL_RE.search(text):
        return CONTROL_MESSAGE
    if identifier and BIDI_RE.search(text):
        return BIDI_MESSAGE
    return None


def refuse(field: str, message: str, *, code: str = "invalid_characters") -> ApplicationError:
    # The field's name is shown as text: its own bad characters become "?".
    field = BIDI_RE.sub("?", CONTROL_RE.sub("?", field))[:200]
    return ApplicationError(f"{field}: {message}", code=code, fields={field: [message]})


def text_check(text: str, *, field: str, identifier: bool = False) -> str:
    problem = text_problem(text, identifier=identifier)
    if problem:
        raise refuse(field, problem)
    return text


def _join(path: str, key) -> str:
    return f"{path}.{key}" if path else str(key)


def data_check(data, *, max_depth: int | None = None) -> None:
    """Walk parsed JSON: every key and string checked, nesting no deeper than JSON_MAX_DEPTH.

    Iterative (an explicit stack), so its own depth costs nothing; ApplicationError names the
    dotted path of the first offending value (`faults.3.mode`, `events.0.props.name`).
    """
    limit = max_depth if max_depth is not None else settings.JSON_MAX_DEPTH
    stack: list[tuple[object, str, int]] = [(data, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if isinstance(value, str):
            problem = text_problem(value)
            if problem:
                raise refuse(path or "body", problem)
        elif isinstance(value, dict | list):
            if depth >= limit:
                raise refuse(path or "body", DEPTH_MESSAGE.format(limit=limit), code="too_deep")
            if isinstance(value, dict):
                for key, item in value.items():
                    where = _join(path, key)
                    if isinstance(key, str):
                        problem = text_problem(key, identifier=True)
                        if problem:
                            raise refuse(where, problem)
                    stack.append((item, where, depth + 1))
            else:
                stack.extend((item, _join(path, i), depth + 1) for i, item in enumerate(value))


def querydict_check(query, *, identifier: bool) -> None:
    """Every name and value of a QueryDict (query string or form post)."""
    for key, values in query.lists():
        problem = text_problem(key, identifier=True)
        if problem:
            raise refuse(key, problem)
        for value in values:
            if isinstance(value, str):
                problem = text_problem(value, identifier=identifier)
                if problem:
                    raise refuse(key, problem)
