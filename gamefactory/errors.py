"""The one application error type.

Services raise `ApplicationError` for anything the caller did wrong or asked for
that cannot be done. It is mapped once to an HTTP 4xx (the DRF exception
handler) and once to a websocket error frame (the base consumer).
"""

from __future__ import annotations


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
