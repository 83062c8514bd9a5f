"""A local server speaking OpenAI's moderation API (`POST /v1/moderations`), for the real SDK.

server.queue({"harassment": 0.97})   # the next answer's scores (the other categories 0.0)
server.queue(status=500)             # the next answer is an error
"""

from __future__ import annotations

import json
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

CATEGORIES = (
    "harassment", "harassment/threatening", "hate", "hate/threatening", "illicit", "illicit/violent",
    "self-harm", "self-harm/intent", "self-harm/instructions", "sexual", "sexual/minors", "violence",
    "violence/graphic",
)  # fmt: skip


class FakeModerationServer:
    def __init__(self) -> None:
        self.replies: deque[tuple[int, dict[str, float]]] = deque()
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                with server._lock:
                    server.requests.append(
                        {"path": self.path, "body": body, "auth": self.headers.get("Authorization")}
                    )
                    status, scores = server.replies.popleft() if server.replies else (200, {})
                if not self.path.endswith("/moderations"):
                    status = 404
                if status != 200:
                    self._send(
                        status,
                        {
                            "error": {
                                "message": "simulated",
                                "type": "server_error",
                                "param": None,
                                "code": None,
                            }
                        },
                    )
                    return
                full = {c: float(scores.get(c, 0.0)) for c in CATEGORIES}
                flags = {c: s >= 0.5 for c, s in full.items()}
                self._send(
                    200,
                    {
                        "id": "modr-1",
                        "model": body.get("model", "omni-moderation-latest"),
                        "results": [
                            {
                                "flagged": any(flags.values()),
                                "categories": flags,
                                "category_scores": full,
                                "category_applied_input_types": {c: ["text"] for c in CATEGORIES},
                            }
                        ],
                    },
                )

            def _send(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
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
        return f"http://{host}:{port}/v1"

    def start(self) -> FakeModerationServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def queue(self, scores: dict[str, float] | None = None, *, status: int = 200) -> None:
        with self._lock:
            self.replies.append((status, scores or {}))
