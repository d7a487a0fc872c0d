"""A local fake of Twilio's REST API (the Messages resource), for the REST delivery tests.

A small HTTP server on 127.0.0.1 in a thread. It checks basic auth (account SID and auth
token) like Twilio, records every POST to /2010-04-01/Accounts/{sid}/Messages.json, and
answers 201 with a JSON body shaped like Twilio's. `script()` makes the next requests answer
an error status, hang, or answer late, to exercise retries and failures.

Every request is checked against Twilio's OpenAPI description of the operation
(tests/contract/twilio_openapi.py): one that does not match is answered 400 with the code Twilio
gives that mistake and kept in `violations`, which the test fixtures require to be empty. A
template send (ContentSid and ContentVariables instead of Body) is accepted like a text.

For the fault and load runs (tests/load) it also:

- lists messages (GET on the same path, filtered by To, From and DateSent like Twilio, newest
  first, in Twilio's page shape), which a sender uses to find out whether a part it was sending
  when it crashed reached Twilio;
- follows a schedule: `outage(errors_500=10, errors_429=10)` answers 500 and then 429 for
  that long, `latency = 1.5` makes every answer take that long;
- posts signed status callbacks (queued, sent, delivered) to each message's StatusCallback,
  some out of order, when `status_callbacks` is set;
- runs as its own process: `python -m tests.twilio_fake --port 8090` prints its base URL and
  serves GET /_fake/sent (every accepted message, in arrival order), GET /_fake/violations and
  POST /_fake/outage, /_fake/latency for a harness in another process.

Twilio's dates have one-second resolution (RFC 2822), and so do the fake's.
"""

from __future__ import annotations

import argparse
import base64
import json
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from twilio.request_validator import RequestValidator

from tests.contract.twilio_openapi import BAD_REQUEST, Violation, check, check_other

ACCOUNT_SID = "AC" + "5" * 32
AUTH_TOKEN = "test-auth-token-0123456789abcdef"
SENDER = "whatsapp:+14155238886"
_MESSAGES_PATH = re.compile(r"^/2010-04-01/Accounts/(?P<sid>AC[0-9a-f]{32})/Messages\.json$")
# The other hosts' paths, on the same server (TWILIO_API_BASE_URL points every host at it).
_CONTENT_PATH = "/v1/Content"
_CONTENT_ITEM = re.compile(r"^/v1/Content/(?P<sid>HX[0-9a-f]{32})$")
_TYPING_PATH = "/v2/Indicators/Typing.json"
_MEDIA_FILE = re.compile(r"^/2010-04-01/Accounts/AC[0-9a-f]{32}/Messages/MM[0-9a-f]{32}/Media/ME[0-9a-f]{32}$")
_VARIABLE = re.compile(r"\{\{\s*(\w+)\s*\}\}")
_PAGE_SIZE = 50


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


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)  # Twilio's dates are whole seconds


@dataclass(frozen=True)
class SentMessage:
    sid: str
    to: str
    from_: str
    body: str
    date_created: datetime = field(default_factory=_now)
    status_callback: str | None = None
    arrived: float = field(default_factory=time.monotonic, compare=False)  # for end-to-end timings
    content_sid: str | None = None  # a template send (HX…): its variables as the JSON string sent
    content_variables: str | None = None


@dataclass(frozen=True)
class Callback:
    """One status callback the fake posted, and what the app answered (0: no answer)."""

    sid: str
    status: str
    answer: int


class _Server(ThreadingHTTPServer):
    # listen()'s backlog: hundreds of sends at once from several worker processes must queue,
    # not be reset (the default of 5 resets them, and the retries would blur the figures).
    request_queue_size = 1024


class TwilioFake:
    def __init__(self, account_sid: str = ACCOUNT_SID, auth_token: str = AUTH_TOKEN, port: int = 0) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self._auth = "Basic " + base64.b64encode(f"{account_sid}:{auth_token}".encode()).decode()
        self._script: deque[Action] = deque()
        # (monotonic end, status) windows answered with an error instead of accepting.
        self._outage: list[tuple[float, int]] = []
        self.latency = 0.0  # seconds every answer takes (after a scripted action's own delay)
        # Post queued/sent/delivered to each message's StatusCallback; every
        # `out_of_order_every`-th message gets "delivered" before "sent".
        self.status_callbacks = False
        self.out_of_order_every = 5
        # The OpenAPI check costs milliseconds of CPU a request: a benchmark turns it off, so
        # that the fake (the real Twilio runs elsewhere) does not take the measured app's cores.
        self.check_contract = True
        self._attempts: list[Attempt] = []
        self._sent: list[SentMessage] = []
        self._statuses: dict[str, str] = {}
        self._callbacks: list[Callback] = []
        self._violations: list[Violation] = []
        self._contents: dict[str, dict[str, Any]] = {}  # Content API resources by HX SID
        self._typing: list[str] = []  # message SIDs the typing indicator was shown for
        self._media: dict[str, tuple[bytes, str]] = {}  # media path -> (data, content type)
        self._content_script: deque[Action] = deque()
        self.typing_delay = 0.0  # seconds the typing indicator takes to answer
        self._changed = threading.Condition()
        self._callback_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="fake-twilio-callback")
        self._server = _Server(("127.0.0.1", port), self._handler())
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
        self._callback_pool.shutdown(wait=False, cancel_futures=True)

    def script(self, *actions: Action) -> None:
        """The next requests get these answers, in order; later ones are accepted."""
        with self._changed:
            self._script.extend(actions)

    def outage(self, errors_500: float = 0.0, errors_429: float = 0.0) -> None:
        """From now: 500 for `errors_500` seconds, then 429 for `errors_429` seconds."""
        start = time.monotonic()
        with self._changed:
            self._outage = [(start + errors_500, 500), (start + errors_500 + errors_429, 429)]

    # --- Content API, typing indicator, media ------------------------------------------------------

    @property
    def contents(self) -> dict[str, dict[str, Any]]:
        """Content resources created (HX SID -> the create request), in creation order."""
        with self._changed:
            return dict(self._contents)

    @property
    def typing(self) -> list[str]:
        with self._changed:
            return list(self._typing)

    def script_content(self, *actions: Action) -> None:
        """The next Content API creates get these answers (then they are accepted)."""
        with self._changed:
            self._content_script.extend(actions)

    def add_media(self, data: bytes, content_type: str) -> str:
        """Serve `data` as a message's media (auth required, like Twilio's); its URL as Twilio
        would give it in MediaUrl0 (api.twilio.com, which TWILIO_API_BASE_URL points here)."""
        path = f"/2010-04-01/Accounts/{self.account_sid}/Messages/MM{uuid.uuid4().hex}/Media/ME{uuid.uuid4().hex}"
        with self._changed:
            self._media[path] = (data, content_type)
        return "https://api.twilio.com" + path

    def rendered(self, content_sid: str | None, variables: str | None) -> str | None:
        """What Twilio shows as the body of a message sent with a known ContentSid."""
        with self._changed:
            content = self._contents.get(content_sid or "")
        if content is None:
            return None
        values = json.loads(variables or "{}")
        kind = next(k for k in content["types"] if k != "twilio/text")
        body = content["types"][kind].get("body", "")
        return _VARIABLE.sub(lambda m: values.get(m[1], content.get("variables", {}).get(m[1], "")), body)

    @property
    def attempts(self) -> list[Attempt]:
        with self._changed:
            return list(self._attempts)

    @property
    def callbacks(self) -> list[Callback]:
        with self._changed:
            return list(self._callbacks)

    @property
    def violations(self) -> list[Violation]:
        """Requests that did not match Twilio's OpenAPI description (each answered 400)."""
        with self._changed:
            return list(self._violations)

    def sent(self, to: str | None = None) -> list[SentMessage]:
        """Accepted messages, in the order they came (to one number, or all)."""
        with self._changed:
            return [m for m in self._sent if to is None or m.to == to]

    def sent_by_recipient(self) -> dict[str, list[SentMessage]]:
        """Accepted messages per recipient, each list in arrival order."""
        grouped: dict[str, list[SentMessage]] = {}
        for message in self.sent():
            grouped.setdefault(message.to, []).append(message)
        return grouped

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
            if self._script:
                return self._script.popleft()
            now = time.monotonic()
            for end, status in self._outage:
                if now < end:
                    code = 20429 if status == 429 else 20500
                    return Action(status=status, code=code, message="scheduled outage", delay=self.latency)
            return accept(self.latency)

    def _violation(self, method: str, path: str, query: str, body: bytes, content_type: str) -> Violation | None:
        if not self.check_contract:
            return None
        violation = check(method, path, query, body, content_type)
        if violation is not None:
            with self._changed:
                self._violations.append(violation)
        return violation

    def _record(self, attempt: Attempt, sent: SentMessage | None) -> None:
        with self._changed:
            self._attempts.append(attempt)
            if sent is not None:
                self._sent.append(sent)
                self._statuses[sent.sid] = "queued"
                order = len(self._sent)
            self._changed.notify_all()
        if sent is not None and sent.status_callback and self.status_callbacks:
            self._callback_pool.submit(self._post_callbacks, sent, order)

    def _listed(self, query: dict[str, str]) -> list[SentMessage]:
        """Accepted messages matching Twilio's list filters, newest first."""
        after, before, on = (_date_filter(query.get(k)) for k in ("DateSent>", "DateSent<", "DateSent"))
        with self._changed:
            found = [
                m
                for m in self._sent
                if (not query.get("To") or m.to == query["To"])
                and (not query.get("From") or m.from_ == query["From"])
                # Twilio filters on the day (its docs give YYYY-MM-DD), so an instant is read as its day.
                and (after is None or m.date_created.date() >= after.date())
                and (before is None or m.date_created.date() <= before.date())
                and (on is None or m.date_created.date() == on.date())
            ]
        return list(reversed(found))

    def _post_callbacks(self, sent: SentMessage, order: int) -> None:
        statuses = ["queued", "sent", "delivered"]
        if self.out_of_order_every and order % self.out_of_order_every == 0:
            statuses = ["queued", "delivered", "sent"]  # Twilio does not promise their order
        for status in statuses:
            time.sleep(0.05)
            with self._changed:
                self._statuses[sent.sid] = status
            params = {
                "MessageSid": sent.sid, "SmsSid": sent.sid, "MessageStatus": status, "SmsStatus": status,
                "AccountSid": self.account_sid, "From": sent.from_, "To": sent.to, "ApiVersion": "2010-04-01",
            }  # fmt: skip
            answer = _post_signed(sent.status_callback or "", params, self.auth_token)
            with self._changed:
                self._callbacks.append(Callback(sent.sid, status, answer))

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            # Keep-alive, as Twilio's API: a connection per request would cost the client (and
            # this fake, a thread per connection) far more than Twilio does.
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes: with Nagle's algorithm the body waits for
            # the client's delayed ACK, about 8 ms a request instead of under 1 ms.
            disable_nagle_algorithm = True

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                if url.path == "/_fake/sent":
                    return self._json(200, {"messages": [_accepted(m) for m in fake.sent()]})
                if url.path == "/_fake/violations":
                    return self._json(200, {"violations": [str(v) for v in fake.violations]})
                if url.path == "/_fake/contents":
                    return self._json(200, {"contents": fake.contents, "typing": fake.typing})
                if _CONTENT_ITEM.match(url.path) or _MEDIA_FILE.match(url.path):
                    return self._other_get(url.path)
                match = _MESSAGES_PATH.match(url.path)
                if match is None:
                    return self._json(404, _error(404, 20404, "The requested resource was not found"))
                if self.headers.get("Authorization") != fake._auth or match["sid"] != fake.account_sid:
                    return self._json(401, _error(401, 20003, "Authenticate"))
                if violation := fake._violation("GET", url.path, url.query, b"", ""):
                    return self._json(400, _error(400, violation.code, violation.message))
                query = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
                return self._json(200, _page(fake, url.path, query))

            def do_POST(self) -> None:
                url = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                data = self.rfile.read(length)
                if len(data) < length:  # the client died mid-request (a kill -9): nobody to answer
                    self.close_connection = True
                    return None
                raw = data.decode()
                if url.path.startswith("/_fake/"):
                    return self._control(url.path, {k: v[0] for k, v in parse_qs(url.query).items()})
                if url.path in (_CONTENT_PATH, _TYPING_PATH):
                    return self._other_post(url.path, data)
                match = _MESSAGES_PATH.match(url.path)
                if match is None:
                    return self._json(404, _error(404, 20404, "The requested resource was not found"))
                if self.headers.get("Authorization") != fake._auth or match["sid"] != fake.account_sid:
                    return self._json(401, _error(401, 20003, "Authenticate"))
                content_type = self.headers.get("Content-Type", "")
                if violation := fake._violation("POST", url.path, "", data, content_type):
                    return self._json(400, _error(400, violation.code, violation.message))
                form = {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}
                to, from_, body = form.get("To", ""), form.get("From", ""), form.get("Body", "")
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
                body = fake.rendered(form.get("ContentSid"), form.get("ContentVariables")) or body
                sent = SentMessage(
                    "SM" + uuid.uuid4().hex, to, from_, body, _now(), form.get("StatusCallback"),
                    content_sid=form.get("ContentSid"), content_variables=form.get("ContentVariables"),
                )  # fmt: skip
                fake._record(Attempt(to, from_, body, 201), sent)
                return self._json(201, _message(fake.account_sid, sent, "queued"))

            def _authorized(self) -> bool:
                if self.headers.get("Authorization") == fake._auth:
                    return True
                self._json(401, _error(401, 20003, "Authenticate"))
                return False

            def _checked(self, method: str, path: str, data: bytes = b"") -> bool:
                """Validated against the extracts; a violation is recorded and answered 400."""
                if not fake.check_contract:
                    return True
                violation = check_other(method, path, "", data, self.headers.get("Content-Type", ""))
                if violation is None:
                    return True
                with fake._changed:
                    fake._violations.append(violation)
                self._json(400, _error(400, BAD_REQUEST, violation.message))
                return False

            def _other_get(self, path: str) -> None:
                if not self._authorized() or not self._checked("GET", path):
                    return None
                if content := _CONTENT_ITEM.match(path):
                    with fake._changed:
                        found = fake._contents.get(content["sid"])
                    if found is None:
                        return self._json(404, _error(404, 20404, "The requested resource was not found"))
                    return self._json(200, _content(fake.account_sid, content["sid"], found))
                with fake._changed:
                    media = fake._media.get(path)
                if media is None:
                    return self._json(404, _error(404, 20404, "The requested resource was not found"))
                return self._bytes(200, *media)

            def _other_post(self, path: str, data: bytes) -> None:
                if not self._authorized() or not self._checked("POST", path, data):
                    return None
                if path == _TYPING_PATH:
                    time.sleep(fake.typing_delay)
                    form = {k: v[0] for k, v in parse_qs(data.decode(), keep_blank_values=True).items()}
                    with fake._changed:
                        fake._typing.append(form.get("messageId", ""))
                    return self._json(200, {"success": True})
                with fake._changed:
                    action = fake._content_script.popleft() if fake._content_script else accept()
                time.sleep(action.delay)
                if action.status != 201:
                    return self._json(action.status, _error(action.status, action.code, action.message))
                request = json.loads(data)
                sid = "HX" + uuid.uuid4().hex
                with fake._changed:
                    fake._contents[sid] = request
                return self._json(201, _content(fake.account_sid, sid, request))

            def _bytes(self, status: int, data: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _control(self, path: str, query: dict[str, str]) -> None:
                if path == "/_fake/outage":
                    fake.outage(float(query.get("errors_500", 0)), float(query.get("errors_429", 0)))
                elif path == "/_fake/latency":
                    fake.latency = float(query.get("seconds", 0))
                else:
                    return self._json(404, _error(404, 20404, "unknown control"))
                return self._json(200, {"ok": True})

            def _json(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass  # the client gave up (its timeout): what it missed is in the records

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


def _date_filter(value: str | None) -> datetime | None:
    """Twilio's DateSent filters: YYYY-MM-DD (the whole day) or an ISO 8601 instant."""
    if not value:
        return None
    value = value.lstrip("=")  # "DateSent>=2024-05-01" arrives as key "DateSent>", value "2024-05-01"
    if len(value) == 10:
        day = date.fromisoformat(value)
        return datetime(day.year, day.month, day.day, tzinfo=UTC)
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


def _page(fake: TwilioFake, path: str, query: dict[str, str]) -> dict[str, Any]:
    size = max(1, min(int(query.get("PageSize") or _PAGE_SIZE), 1000))
    number = int(query.get("Page") or 0)
    found = fake._listed(query)
    chunk = found[number * size : (number + 1) * size]
    with fake._changed:
        messages = [_message(fake.account_sid, m, fake._statuses.get(m.sid, "queued")) for m in chunk]
    filters = {k: v for k, v in query.items() if k not in {"Page", "PageSize", "PageToken"}}

    def uri(page: int) -> str:
        return f"{path}?{urllib.parse.urlencode({**filters, 'PageSize': size, 'Page': page})}"

    more = (number + 1) * size < len(found)
    return {
        "messages": messages,
        "first_page_uri": uri(0),
        "next_page_uri": (uri(number + 1) + f"&PageToken=PA{number + 1}") if more else None,
        "previous_page_uri": uri(number - 1) if number > 0 else None,
        "page": number,
        "page_size": size,
        "start": number * size,
        "end": number * size + len(messages) - 1,
        "uri": uri(number),
    }


def _post_signed(url: str, params: dict[str, str], auth_token: str) -> int:
    """POST a form signed as Twilio signs it; the answer's status, 0 when there was none."""
    if not url:
        return 0
    signature = RequestValidator(auth_token).compute_signature(url, params)
    request = urllib.request.Request(
        url, data=urllib.parse.urlencode(params).encode(), method="POST",
        headers={"X-Twilio-Signature": signature, "Content-Type": "application/x-www-form-urlencoded"},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def _rfc2822(moment: datetime) -> str:
    return formatdate(moment.timestamp(), usegmt=False).replace("-0000", "+0000")


def _error(status: int, code: int | None, message: str) -> dict[str, Any]:
    more_info = f"https://www.twilio.com/docs/errors/{code}"
    return {"code": code, "message": message, "more_info": more_info, "status": status}


def _content(account_sid: str, sid: str, request: dict[str, Any]) -> dict[str, Any]:
    now = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return {
        "sid": sid, "account_sid": account_sid, "friendly_name": request.get("friendly_name", ""),
        "language": request.get("language"), "variables": request.get("variables", {}), "types": request["types"],
        "url": f"https://content.twilio.com/v1/Content/{sid}", "date_created": now, "date_updated": now,
        "links": {"approval_create": f"https://content.twilio.com/v1/Content/{sid}/ApprovalRequests/whatsapp",
                  "approval_fetch": f"https://content.twilio.com/v1/Content/{sid}/ApprovalRequests"},
    }  # fmt: skip


def _accepted(message: SentMessage) -> dict[str, Any]:
    fields = asdict(message)
    fields["date_created"] = message.date_created.isoformat()
    return fields


def _message(account_sid: str, sent: SentMessage, status: str) -> dict[str, Any]:
    created = _rfc2822(sent.date_created)
    return {
        "account_sid": account_sid,
        "api_version": "2010-04-01",
        "body": sent.body,
        "date_created": created,
        # Sent at once: a DateSent filter finds every accepted message (Twilio leaves it
        # empty while a message is queued; the reconciler is told so in the docs).
        "date_sent": created,
        "date_updated": created,
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
        "status": status,
        "subresource_uris": {"media": f"/2010-04-01/Accounts/{account_sid}/Messages/{sent.sid}/Media.json"},
        "to": sent.to,
        "uri": f"/2010-04-01/Accounts/{account_sid}/Messages/{sent.sid}.json",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="A local fake of Twilio's Messages API.")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--account-sid", default=ACCOUNT_SID)
    parser.add_argument("--auth-token", default=AUTH_TOKEN)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds every answer takes")
    parser.add_argument("--status-callbacks", action="store_true", help="post queued/sent/delivered callbacks")
    parser.add_argument("--no-contract-check", action="store_true", help="skip the OpenAPI check (benchmarks)")
    args = parser.parse_args()
    fake = TwilioFake(args.account_sid, args.auth_token, port=args.port)
    fake.latency = args.latency
    fake.status_callbacks = args.status_callbacks
    fake.check_contract = not args.no_contract_check
    print(fake.base_url, flush=True)  # a harness reads the first line to find the port
    fake.start()
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        fake.close()


if __name__ == "__main__":
    main()
