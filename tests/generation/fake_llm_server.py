"""A local HTTP server that speaks OpenAI's chat completions and Anthropic's messages API.

The real SDKs are pointed at it with `base_url`, so everything but the model runs for real:
request building, HTTP, retries, timeouts, response parsing. A test queues the replies the
"model" gives, in order, and reads back every request the SDK made.

    server.queue(answer({...}), answer("not json"), http_error(500), hang())
"""

from __future__ import annotations

import itertools
import json
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    answer: Any = None  # a dict/list becomes JSON (a tool call for Anthropic); a str is sent as text
    input_tokens: int = 100
    output_tokens: int = 50
    status: int = 200
    hang: bool = False  # never answer (until the server stops): the client must time out
    finish_reason: str = "stop"


def answer(data: Any, *, tokens: tuple[int, int] = (100, 50), finish_reason: str = "stop") -> Reply:
    return Reply(answer=data, input_tokens=tokens[0], output_tokens=tokens[1], finish_reason=finish_reason)


def http_error(status: int) -> Reply:
    return Reply(status=status)


def hang() -> Reply:
    return Reply(hang=True)


@dataclass
class Recorded:
    api: str  # "openai" or "anthropic"
    path: str
    headers: dict[str, str]  # lower-cased names
    body: dict[str, Any]


@dataclass
class FakeLLMServer:
    replies: deque[Reply] = field(default_factory=deque)
    requests: list[Recorded] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._release = threading.Event()
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = {"_raw": raw.decode("utf-8", "replace")}
                if self.path.endswith("/chat/completions"):
                    api = "openai"
                elif self.path.endswith("/v1/messages"):
                    api = "anthropic"
                else:
                    self._send(404, {"error": {"message": f"no route {self.path}"}})
                    return
                with server._lock:
                    server.requests.append(
                        Recorded(api, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                    )
                    reply = server.replies.popleft() if server.replies else None
                if reply is None:
                    self._send(500, _error(api, "the test queued no reply for this request"))
                elif reply.hang:
                    server._release.wait(timeout=30)
                    self.close_connection = True
                elif reply.status != 200:
                    self._send(reply.status, _error(api, f"simulated HTTP {reply.status}"))
                else:
                    n = next(server._ids)
                    payload = _openai(reply, body, n) if api == "openai" else _anthropic(reply, body, n)
                    self._send(200, payload)

            def _send(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                # Lets the SDKs retry at once instead of backing off for seconds.
                self.send_header("retry-after-ms", "1")
                self.end_headers()
                self.wfile.write(data)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeLLMServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def queue(self, *replies: Reply) -> None:
        with self._lock:
            self.replies.extend(replies)


def _error(api: str, message: str) -> dict[str, Any]:
    if api == "anthropic":
        return {"type": "error", "error": {"type": "api_error", "message": message}}
    return {"error": {"message": message, "type": "server_error", "param": None, "code": None}}


def _openai(reply: Reply, request: dict[str, Any], n: int) -> dict[str, Any]:
    content = reply.answer if isinstance(reply.answer, str) else json.dumps(reply.answer)
    return {
        "id": f"chatcmpl-{n}",
        "object": "chat.completion",
        "created": 1_700_000_000 + n,
        "model": request.get("model", "unknown"),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": None},
                "finish_reason": reply.finish_reason,
                "logprobs": None,
            }
        ],
        "usage": {
            "prompt_tokens": reply.input_tokens,
            "completion_tokens": reply.output_tokens,
            "total_tokens": reply.input_tokens + reply.output_tokens,
        },
    }


def _anthropic(reply: Reply, request: dict[str, Any], n: int) -> dict[str, Any]:
    if isinstance(reply.answer, str):
        content = [{"type": "text", "text": reply.answer}]
        stop = "end_turn"
    else:
        tool = (request.get("tool_choice") or {}).get("name", "tool")
        content = [{"type": "tool_use", "id": f"toolu_{n:04d}", "name": tool, "input": reply.answer}]
        stop = "tool_use"
    return {
        "id": f"msg_{n:04d}",
        "type": "message",
        "role": "assistant",
        "model": request.get("model", "unknown"),
        "content": content,
        "stop_reason": stop,
        "stop_sequence": None,
        "usage": {"input_tokens": reply.input_tokens, "output_tokens": reply.output_tokens},
    }
