"""The one application error type.

Services raise `ApplicationError` for anything the caller did wrong or asked for
that cannot be done. It is mapped once to an HTTP 4xx (the DRF exception
handler) and once to a websocket error frame (the base consumer).
"""

from __future__ import annotations

import re
from functools import cache


class ApplicationError(Exception):
    status_code = 400

    def __init__(
        self,
        message: str,
        *,
        code: str = "invalid",
        fields: dict[str, list[str]] | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.fields = fields or {}
        if status is not None:
            self.status_code = status

    @classmethod
    def for_field(cls, field: str, message: str, *, code: str = "invalid", status: int | None = None):
        return cls(message, code=code, fields={field: [message]}, status=status)

    def as_dict(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, "fields": self.fields}}


# --- uniqueness races --------------------------------------------------------------------------
# Two requests that both checked "is it free?" and both inserted: the database's unique constraint
# keeps the data right and the loser gets an IntegrityError. Mapped once (the DRF exception handler,
# the page middleware) to a 400 on the field, with everything the request wrote rolled back.

_DETAIL_RE = re.compile(r"Key \((?P<columns>.+?)\)=")
_SQLITE_RE = re.compile(r"UNIQUE constraint failed: (?P<columns>.+)$")
_COLUMN_RE = re.compile(r"(?:lower|upper)\(|::\w+|[()\s\"]")


def _expression_fields(expression) -> list[str]:
    """The model fields an index expression reads: Lower("username") -> ["username"]."""
    from django.db.models import F

    if isinstance(expression, F):
        return [expression.name]
    names: list[str] = []
    for source in getattr(expression, "get_source_expressions", list)():
        names.extend(_expression_fields(source))
    return names


@cache
def _unique_constraints() -> dict[str, list[str]]:
    """Every unique constraint and unique column of every model: its name -> the model's field names."""
    from django.apps import apps
    from django.db import models

    found: dict[str, list[str]] = {}
    for model in apps.get_models():
        table = model._meta.db_table
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.UniqueConstraint):
                names = list(constraint.fields)
                for expression in constraint.expressions:
                    names.extend(_expression_fields(expression))
                found[constraint.name] = names
        for field in model._meta.local_fields:
            if field.unique and not field.primary_key:
                found[f"{table}_{field.column}_key"] = [field.name]
    return found


def unique_violation_fields(exc: BaseException) -> list[str] | None:
    """The fields a unique-constraint IntegrityError is about, or None if it is not one."""
    from django.db import IntegrityError

    if not isinstance(exc, IntegrityError):
        return None
    cause = exc.__cause__
    diag = getattr(cause, "diag", None)
    sqlstate = getattr(cause, "sqlstate", None)
    if diag is not None or sqlstate is not None:
        if sqlstate != "23505":  # unique_violation; other integrity errors are not races
            return None
        name = getattr(diag, "constraint_name", None) or ""
        fields = _unique_constraints().get(name) or []
        if not fields:
            match = _DETAIL_RE.search(getattr(diag, "message_detail", "") or "")
            if match:
                fields = [_COLUMN_RE.sub("", c) for c in match.group("columns").split(",")]
        return [f for f in fields if f] or ["non_field_errors"]
    match = _SQLITE_RE.search(str(exc))
    if match is None:
        return None
    return [c.strip().rsplit(".", 1)[-1] for c in match.group("columns").split(",")]


def unique_violation_error(exc: BaseException) -> ApplicationError | None:
    """A 400 on the field(s) for a unique-constraint IntegrityError; None for anything else."""
    fields = unique_violation_fields(exc)
    if fields is None:
        return None
    field = fields[-1] if len(fields) > 1 else fields[0]
    message = "This value is already taken." if field != "non_field_errors" else "This already exists."
    if len(fields) > 1:
        message = f"This {field} is already used together with {', '.join(fields[:-1])}."
    return ApplicationError(f"{field}: {message}", code="already_exists", fields={field: [message]})
