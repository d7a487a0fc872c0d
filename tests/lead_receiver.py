"""A local receiver of lead events (a team's n8n, Zapier or CRM endpoint), for the tests.

A small HTTP server on 127.0.0.1 in a thread. It records every POST (headers and raw body)
with the status it answered; `script(500, 500)` makes the next requests answer those
statuses, then 200 again; `hang_next(seconds)` makes the next one answer late.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class ReceivedRequest:
    path: str
    headers: dict[str, str]
    body: bytes
    status: int  # what the receiver answered
    received_at: float = 0.0  # time.monotonic()

    @property
    def accepted(self) -> bool:
        return 200 <= self.status < 300

    def json(self) -> Any:
        return json.loads(self.body)


class LeadReceiver:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: list[ReceivedRequest] = []
        self._script: deque[tuple[int, float]] = deque()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                arrived = time.monotonic()
                status, delay = receiver._next_answer()
                if delay:
                    time.sleep(delay)
                receiver._record(ReceivedRequest(self.path, dict(self.headers.items()), body, status, arrived))
                answer = b'{"ok":true}' if status < 300 else b'{"error":"scripted"}'
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="lead-receiver", daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/hooks/leads"

    def start(self) -> LeadReceiver:
        self._thread.start()
        return self

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def script(self, *statuses: int) -> None:
        with self._lock:
            self._script.extend((status, 0.0) for status in statuses)

    def hang_next(self, seconds: float) -> None:
        with self._lock:
            self._script.append((200, seconds))

    def requests(self, event_id: str | None = None) -> list[ReceivedRequest]:
        with self._lock:
            found = list(self._requests)
        if event_id is None:
            return found
        return [request for request in found if request.headers.get("X-Advisor-Event-Id") == event_id]

    def accepted(self, event_id: str | None = None) -> list[ReceivedRequest]:
        return [request for request in self.requests(event_id) if request.accepted]

    def _next_answer(self) -> tuple[int, float]:
        with self._lock:
            return self._script.popleft() if self._script else (200, 0.0)

    def _record(self, request: ReceivedRequest) -> None:
        with self._lock:
            self._requests.append(request)
