"""A local HTTP server that speaks the part of Stripe's API the marketplace uses (Connect).

The official `stripe` SDK is pointed at it (`STRIPE_API_BASE`), so request building, form
encoding, idempotency headers, retries and response parsing all run for real. stripe-mock cannot
be installed here and localstripe has no Connect, hence this fake. It keeps what a test asserts on:

- accounts (`POST/GET /v1/accounts`), account links (`POST /v1/account_links`);
- payment intents (`POST/GET /v1/payment_intents`): destination charges with
  `transfer_data[destination]` and `application_fee_amount`; `pm_card_chargeDeclined` is declined;
- refunds (`POST /v1/refunds`): never more than the charge in total; with
  `refund_application_fee` and `reverse_transfer` the fee and the transfer come back in proportion;
- Stripe's idempotency: the same `Idempotency-Key` replays the first answer (and is recorded once);
- `signed_event(...)`: a webhook body and its `Stripe-Signature` header, as Stripe signs them.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl


@dataclass
class FakeStripe:
    url: str = ""
    accounts: dict = field(default_factory=dict)
    intents: dict = field(default_factory=dict)
    refunds: dict = field(default_factory=dict)
    requests: list = field(default_factory=list)
    idempotent: dict = field(default_factory=dict)
    fail_next: list = field(default_factory=list)  # HTTP statuses to answer the next requests with
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def new_id(self, prefix: str) -> str:
        return f"{prefix}_fake{next(self._ids):06d}"

    def charges(self) -> list[dict]:
        return [r for r in self.requests if r["path"] == "/v1/payment_intents" and r["method"] == "POST"]

    def onboard(self, account_id: str) -> dict:
        """The seller finished Stripe's onboarding."""
        account = self.accounts[account_id]
        account.update(charges_enabled=True, payouts_enabled=True, details_submitted=True)
        account["capabilities"] = {"transfers": "active", "card_payments": "active"}
        return account

    # --- the API -------------------------------------------------------------------------
    def handle(self, method: str, path: str, form: dict) -> tuple[int, dict]:
        if method == "POST" and path == "/v1/accounts":
            acct = {
                "id": self.new_id("acct"), "object": "account", "type": form.get("type", "express"),
                "email": form.get("email"), "charges_enabled": False, "payouts_enabled": False,
                "details_submitted": False, "capabilities": {"transfers": "inactive", "card_payments": "inactive"},
                "metadata": _sub(form, "metadata"),
            }  # fmt: skip
            self.accounts[acct["id"]] = acct
            return 200, acct
        if method == "GET" and path.startswith("/v1/accounts/"):
            acct = self.accounts.get(path.rsplit("/", 1)[1])
            return (200, acct) if acct else _error(404, "resource_missing", "No such account")
        if method == "POST" and path == "/v1/account_links":
            if form.get("account") not in self.accounts:
                return _error(400, "resource_missing", "No such account", param="account")
            return 200, {
                "object": "account_link",
                "url": f"{self.url}/connect/onboarding/{form['account']}",
                "expires_at": int(time.time()) + 300,
            }
        if method == "POST" and path == "/v1/payment_intents":
            return self._payment_intent(form)
        if method == "GET" and path.startswith("/v1/payment_intents/"):
            intent = self.intents.get(path.rsplit("/", 1)[1])
            return (200, intent) if intent else _error(404, "resource_missing", "No such payment_intent")
        if method == "POST" and path == "/v1/refunds":
            return self._refund(form)
        return _error(404, "resource_missing", f"Unrecognized request URL ({method} {path})")

    def _payment_intent(self, form: dict) -> tuple[int, dict]:
        amount = int(form.get("amount", 0))
        fee = int(form.get("application_fee_amount", 0))
        destination = form.get("transfer_data[destination]")
        if amount <= 0:
            return _error(400, "parameter_invalid_integer", "Invalid amount", param="amount")
        if destination not in self.accounts:
            return _error(400, "resource_missing", "No such destination", param="transfer_data[destination]")
        if self.accounts[destination]["capabilities"].get("transfers") != "active":
            return _error(
                400,
                "insufficient_capabilities_for_transfer",
                "The destination cannot receive transfers",
                param="transfer_data[destination]",
            )
        if fee > amount:
            return _error(
                400, "parameter_invalid_integer", "Fee larger than amount", param="application_fee_amount"
            )
        if form.get("payment_method") == "pm_card_chargeDeclined":
            return 402, {
                "error": {
                    "type": "card_error",
                    "code": "card_declined",
                    "decline_code": "generic_decline",
                    "message": "Your card was declined.",
                }
            }
        intent = {
            "id": self.new_id("pi"), "object": "payment_intent", "amount": amount, "amount_received": amount,
            "currency": form.get("currency"), "status": "succeeded", "application_fee_amount": fee,
            "transfer_data": {"destination": destination}, "latest_charge": self.new_id("ch"),
            "metadata": _sub(form, "metadata"), "payment_method": form.get("payment_method"),
            "amount_refunded": 0, "fee_refunded": 0, "transfer_reversed": 0,
        }  # fmt: skip
        self.intents[intent["id"]] = intent
        return 200, intent

    def _refund(self, form: dict) -> tuple[int, dict]:
        intent = self.intents.get(form.get("payment_intent"))
        if intent is None:
            return _error(400, "resource_missing", "No such payment_intent", param="payment_intent")
        amount = int(form.get("amount", intent["amount"] - intent["amount_refunded"]))
        if amount <= 0 or intent["amount_refunded"] + amount > intent["amount"]:
            return _error(400, "charge_already_refunded" if intent["amount_refunded"] == intent["amount"] else "amount_too_large",
                          "Refund amount is greater than the unrefunded amount", param="amount")  # fmt: skip
        refunded_after = intent["amount_refunded"] + amount
        if form.get("refund_application_fee") == "true":
            fee_after = round(intent["application_fee_amount"] * refunded_after / intent["amount"])
            intent["fee_refunded"] = fee_after
        if form.get("reverse_transfer") == "true":
            share = intent["amount"] - intent["application_fee_amount"]
            intent["transfer_reversed"] = round(share * refunded_after / intent["amount"])
        intent["amount_refunded"] = refunded_after
        refund = {
            "id": self.new_id("re"), "object": "refund", "amount": amount, "status": "succeeded",
            "payment_intent": intent["id"], "charge": intent["latest_charge"], "metadata": _sub(form, "metadata"),
        }  # fmt: skip
        self.refunds[refund["id"]] = refund
        return 200, refund


def _sub(form: dict, name: str) -> dict:
    prefix = f"{name}["
    return {k[len(prefix) : -1]: v for k, v in form.items() if k.startswith(prefix) and k.endswith("]")}


def _error(status: int, code: str, message: str, param: str | None = None) -> tuple[int, dict]:
    return status, {
        "error": {"type": "invalid_request_error", "code": code, "message": message, "param": param}
    }


def start() -> tuple[FakeStripe, ThreadingHTTPServer]:
    state = FakeStripe()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _serve(self, method: str):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode() if length else ""
            path, _, query = self.path.partition("?")
            form = dict(parse_qsl(raw or query, keep_blank_values=True))
            key = self.headers.get("Idempotency-Key")
            with state._lock:
                if state.fail_next:
                    status, body = state.fail_next.pop(0), {"error": {"type": "api_error", "message": "boom"}}
                elif key and key in state.idempotent:
                    status, body = state.idempotent[key]
                else:
                    state.requests.append(
                        {"method": method, "path": path, "form": form, "idempotency_key": key}
                    )
                    status, body = state.handle(method, path, form)
                    if key and method == "POST":
                        state.idempotent[key] = (status, body)
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Request-Id", "req_fake")
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            self._serve("POST")

        def do_GET(self):
            self._serve("GET")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return state, server


def signed_event(
    secret: str, *, event_id: str, type: str, obj: dict, timestamp: int | None = None
) -> tuple[bytes, str]:
    """A webhook body and its `Stripe-Signature` header (t=..., v1=HMAC-SHA256 of "t.body")."""
    payload = json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": type,
            "api_version": "2025-01-01",
            "created": int(time.time()),
            "data": {"object": obj},
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None},
        }  # fmt: skip
    ).encode()
    t = timestamp or int(time.time())
    signature = hmac.new(secret.encode(), f"{t}.".encode() + payload, hashlib.sha256).hexdigest()
    return payload, f"t={t},v1={signature}"
