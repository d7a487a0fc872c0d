"""A running app on a loopback port, and Twilio-signed requests to it."""

from __future__ import annotations

import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from twilio.request_validator import RequestValidator
from werkzeug.serving import make_server

from app.bootstrap.mode import build_container
from app.entrypoints.web.app import create_app

AUTH_TOKEN = "test-auth-token-0123456789abcdef"
PUBLIC_BASE_URL = "https://bot.escuela.example"
WEBHOOK_PATH = "/webhook/whatsapp"


@dataclass
class HttpResult:
    status: int
    body: str
    content_type: str


@dataclass
class LiveServer:
    base_url: str

    def post(self, path: str, data: bytes, headers: dict[str, str]) -> HttpResult:
        request = urllib.request.Request(self.base_url + path, data=data, headers=headers, method="POST")
        return _send(request)

    def get(self, path: str) -> HttpResult:
        return _send(urllib.request.Request(self.base_url + path))


def _send(request: urllib.request.Request) -> HttpResult:
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return HttpResult(response.status, response.read().decode(), response.headers.get("Content-Type", ""))
    except urllib.error.HTTPError as error:
        return HttpResult(error.code, error.read().decode(), error.headers.get("Content-Type", ""))


def twilio_params(body: str = "", sid: str = "SM0001", sender: str = "whatsapp:+573001234567", **extra: str):
    params = {
        "MessageSid": sid,
        "SmsMessageSid": sid,
        "AccountSid": "AC" + "0" * 32,
        "From": sender,
        "To": "whatsapp:+14155238886",
        "Body": body,
        "NumMedia": "0",
        "ProfileName": "Caro",
    }
    params.update(extra)
    return params


def signed_post(server: LiveServer, params: dict[str, str], token: str = AUTH_TOKEN) -> HttpResult:
    signature = RequestValidator(token).compute_signature(PUBLIC_BASE_URL + WEBHOOK_PATH, params)
    data = urllib.parse.urlencode(params).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature}
    return server.post(WEBHOOK_PATH, data, headers)


@pytest.fixture
def start_server(make_settings) -> Iterator[Callable[..., LiveServer]]:
    started = []

    def start(**overrides: object) -> LiveServer:
        overrides.setdefault("twilio_auth_token", AUTH_TOKEN)
        overrides.setdefault("public_base_url", PUBLIC_BASE_URL)
        settings = make_settings(**overrides)
        container = build_container(settings)
        server = make_server("127.0.0.1", 0, create_app(settings, container), threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        started.append((server, container))
        return LiveServer(f"http://127.0.0.1:{server.server_port}")

    yield start
    for server, container in started:
        server.shutdown()
        container.close()


@pytest.fixture
def live_server(start_server) -> LiveServer:
    return start_server()
