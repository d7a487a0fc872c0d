"""A local fake of Twilio's REST API (the Messages resource), for the REST delivery tests.

A small HTTP server on 127.0.0.1 in a thread. It checks basic auth (account SID and auth
token) like Twilio, records every POST to /2010-04-01/Accounts/{sid}/Messages.json, and
answers 201 with a JSON body shaped like Twilio's. `script()` makes the next requests answer
an error status, hang, or answer late, to exercise retries and failures.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

ACCOUNT_SID = "AC" + "5" * 32
AUTH_TOKEN = "test-auth-token-0123456789abcdef"
SENDER = "whatsapp:+14155238886"
_MESSAGES_PATH = re.compile(r"^/2010-04-01/Accounts/(?P<sid>AC[0-9a-f]{32})/Messages\.json$")


@dataclass(frozen=True)
class Action:
    """How the fake answers one request."""

    status: int = 201
    delay: float = 0.0  # seconds before answering
    hang: bool = False  # never answer: the client's timeout fires
    code: int | None = None
    message: str = ""


def accept(delay: float = 0.0) -> Action:
    return Action(delay=delay)


def fail(status: int, code: int | None = None, message: str = "error") -> Action:
    return Action(status=status, code=code or status, message=message)


def hang(seconds: float = 2.0) -> Action:
    return Action(delay=seconds, hang=True)


@dataclass(frozen=True)
class Attempt:
    """One POST as the fake saw it, whatever it answered."""

    to: str
    from_: str
    body: str
    status: int


@dataclass(frozen=True)
class SentMessage:
    sid: str
    to: str
    from_: str
    body: str


class TwilioFake:
    def __init__(self, account_sid: str = ACCOUNT_SID, auth_token: str = AUTH_TOKEN) -> None:
        self.account_sid = account_sid
        self._auth = "Basic " + base64.b64encode(f"{account_sid}:{auth_token}".encode()).decode()
        self._script: deque[Action] = deque()
        self._attempts: list[Attempt] = []
        self._sent: list[SentMessage] = []
        self._changed = threading.Condition()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._server.block_on_close = False  # a hanging request must not hold up close()
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def start(self) -> TwilioFake:
        self._thread.start()
        return self

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def script(self, *actions: Action) -> None:
        """The next requests get these answers, in order; later ones are accepted."""
        with self._changed:
            self._script.extend(actions)

    @property
    def attempts(self) -> list[Attempt]:
        with self._changed:
            return list(self._attempts)

    def sent(self, to: str | None = None) -> list[SentMessage]:
        """Accepted messages, in the order they came (to one number, or all)."""
        with self._changed:
            return [m for m in self._sent if to is None or m.to == to]

    def wait_for_sent(self, count: int, to: str | None = None, timeout: float = 10.0) -> list[SentMessage]:
        """At least `count` accepted messages (to one number, or all), polled until the deadline."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(found := [m for m in self._sent if to is None or m.to == to]) < count:
                left = deadline - time.monotonic()
                assert left > 0, f"expected {count} messages, the fake got {len(found)}: {found}"
                self._changed.wait(left)
            return found

    def stays_at(self, count: int, to: str | None = None, seconds: float = 1.0) -> bool:
        """Still exactly `count` accepted messages after `seconds` (sweeps ran meanwhile)."""
        time.sleep(seconds)
        return len(self.sent(to)) == count

    # --- the server ----------------------------------------------------------------------------

    def _next(self) -> Action:
        with self._changed:
            return self._script.popleft() if self._script else accept()

    def _record(self, attempt: Attempt, sent: SentMessage | None) -> None:
        with self._changed:
            self._attempts.append(attempt)
            if sent is not None:
                self._sent.append(sent)
            self._changed.notify_all()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                match = _MESSAGES_PATH.match(self.path)
                if match is None:
                    return self._json(404, _error(404, 20404, "The requested resource was not found"))
                if self.headers.get("Authorization") != fake._auth or match["sid"] != fake.account_sid:
                    return self._json(401, _error(401, 20003, "Authenticate"))
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode(), keep_blank_values=True).items()}
                to, from_, body = form.get("To", ""), form.get("From", ""), form.get("Body", "")
                if not (to and from_ and body):
                    return self._json(400, _error(400, 21604, "A 'To', 'From' and 'Body' are required"))
                action = fake._next()
                if action.hang:
                    fake._record(Attempt(to, from_, body, 0), None)
                    time.sleep(action.delay)
                    self.close_connection = True
                    return None
                time.sleep(action.delay)
                if action.status != 201:
                    fake._record(Attempt(to, from_, body, action.status), None)
                    return self._json(action.status, _error(action.status, action.code, action.message))
                sent = SentMessage("SM" + uuid.uuid4().hex, to, from_, body)
                fake._record(Attempt(to, from_, body, 201), sent)
                return self._json(201, _message(fake.account_sid, sent))

            def _json(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


def _error(status: int, code: int | None, message: str) -> dict[str, Any]:
    more_info = f"https://www.twilio.com/docs/errors/{code}"
    return {"code": code, "message": message, "more_info": more_info, "status": status}


def _message(account_sid: str, sent: SentMessage) -> dict[str, Any]:
    now = formatdate(usegmt=False)
    return {
        "account_sid": account_sid,
        "api_version": "2010-04-01",
        "body": sent.body,
        "date_created": now,
        "date_sent": None,
        "date_updated": now,
        "direction": "outbound-api",
        "error_code": None,
        "error_message": None,
        "from": sent.from_,
        "messaging_service_sid": None,
        "num_media": "0",
        "num_segments": "1",
        "price": None,
        "price_unit": "USD",
        "sid": sent.sid,
        "status": "queued",
        "subresource_uris": {"media": f"/2010-04-01/Accounts/{account_sid}/Messages/{sent.sid}/Media.json"},
        "to": sent.to,
        "uri": f"/2010-04-01/Accounts/{account_sid}/Messages/{sent.sid}.json",
    }
