"""The web process as the Procfile runs it (gunicorn with gunicorn.conf.py), in basic mode, with
one worker of two threads: slow clients cannot hold its threads, and what arrives slowly,
chunked, or after "Expect: 100-continue" is read before a thread takes it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from twilio.request_validator import RequestValidator

from tests.e2e.conftest import AUTH_TOKEN, PUBLIC_BASE_URL, WEBHOOK_PATH, twilio_params
from tests.load.postgres_process import free_port

ROOT = Path(__file__).resolve().parents[2]
READ_TIMEOUT = 4.0


@pytest.fixture(scope="module")
def gunicorn_home(tmp_path_factory) -> Path:
    """The home directory of the web process (where gunicorn puts its control socket by default)."""
    return tmp_path_factory.mktemp("home")


@pytest.fixture(scope="module")
def gunicorn_port(tmp_path_factory, gunicorn_home) -> Iterator[int]:
    directory = tmp_path_factory.mktemp("gunicorn")
    port = free_port()
    env = {name: os.environ[name] for name in ("PATH", "LANG", "TMPDIR") if name in os.environ}
    env.update(
        HOME=str(gunicorn_home), PYTHONPATH=str(ROOT), TWILIO_AUTH_TOKEN=AUTH_TOKEN, PUBLIC_BASE_URL=PUBLIC_BASE_URL,
        DATA_DIR=str(directory / "data"), LOG_LEVEL="WARNING", REQUEST_READ_TIMEOUT_SECONDS=str(READ_TIMEOUT),
    )  # fmt: skip
    command = [
        str(Path(sys.executable).parent / "gunicorn"), "app.entrypoints.web.app:create_app()",
        "-c", str(ROOT / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2",
    ]  # fmt: skip
    log = (directory / "web.log").open("wb")
    process = subprocess.Popen(command, env=env, cwd=directory, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_until_up(port, process)
        yield port
    finally:
        process.terminate()
        process.wait(15)
        log.close()


def _wait_until_up(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "gunicorn exited at start-up"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not answer /health in time")


def signed_form(body: str, sid: str) -> tuple[bytes, str]:
    params = twilio_params(body, sid=sid)
    signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_BASE_URL + WEBHOOK_PATH, params)
    return urllib.parse.urlencode(params).encode(), signature


def raw_request(port: int, payload: bytes, *, pause_after: int | None = None, timeout: float = 15.0) -> bytes:
    """Send `payload` (in two writes when `pause_after` says where), then read the whole answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        if pause_after is None:
            connection.sendall(payload)
        else:
            connection.sendall(payload[:pause_after])
            time.sleep(0.3)
            connection.sendall(payload[pause_after:])
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
        return answer


def webhook_request(data: bytes, signature: str, *, chunked: bool = False, expect: bool = False) -> bytes:
    fields = [
        f"POST {WEBHOOK_PATH} HTTP/1.1", "Host: bot", "Connection: close",
        "Content-Type: application/x-www-form-urlencoded", f"X-Twilio-Signature: {signature}",
    ]  # fmt: skip
    if expect:
        fields.append("Expect: 100-continue")
    if chunked:
        fields.append("Transfer-Encoding: chunked")
        half = len(data) // 2
        body = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (data[:half], data[half:])) + b"0\r\n\r\n"
    else:
        fields.append(f"Content-Length: {len(data)}")
        body = data
    return ("\r\n".join(fields) + "\r\n\r\n").encode() + body


def final_status(answer: bytes) -> int:
    """The status of the last answer (after any "100 Continue")."""
    statuses = [int(line.split()[1]) for line in answer.split(b"\r\n") if line.startswith(b"HTTP/1.1 ")]
    return statuses[-1]


def test_slow_clients_do_not_hold_the_threads(gunicorn_port):
    """Ten connections trickling their headers (five times the threads) while a signed webhook
    arrives: it is answered. gthread gave each slow client a thread until its headers ended."""
    slow = [socket.create_connection(("127.0.0.1", gunicorn_port)) for _ in range(10)]
    try:
        for connection in slow:
            connection.sendall(b"POST /webhook/whatsapp HTTP/1.1\r\nHost: b")
        time.sleep(0.5)
        data, signature = signed_form("hola", "SMslow0000000001")
        # gthread never freed its threads from these clients: the answer would not come at all.
        answer = raw_request(gunicorn_port, webhook_request(data, signature), timeout=10)
        assert final_status(answer) == 200 and b"<Message>" in answer
    finally:
        for connection in slow:
            connection.close()


def test_a_request_that_does_not_arrive_in_time_is_answered_408(gunicorn_port):
    with socket.create_connection(("127.0.0.1", gunicorn_port), timeout=READ_TIMEOUT * 5) as connection:
        connection.sendall(b"POST /webhook/whatsapp HTTP/1.1\r\nHost: bot\r\nContent-Length: 50\r\n\r\nFrom=")
        answer = connection.recv(65536)
    assert answer.startswith(b"HTTP/1.1 408")


@pytest.mark.parametrize(("chunked", "expect"), [(False, False), (True, False), (False, True), (True, True)])
def test_requests_that_arrive_in_pieces_are_served(gunicorn_port, chunked, expect):
    data, signature = signed_form("quiero info", f"SMpieces{int(chunked)}{int(expect)}00000000")
    payload = webhook_request(data, signature, chunked=chunked, expect=expect)
    answer = raw_request(gunicorn_port, payload, pause_after=payload.index(b"\r\n\r\n") + 4)
    assert final_status(answer) == 200 and b"<Message>" in answer


def test_an_oversized_chunked_body_is_413_not_a_signature_failure(gunicorn_port):
    data, signature = signed_form("x" * 80_000, "SMchunkedbig00000001")
    answer = raw_request(gunicorn_port, webhook_request(data, signature, chunked=True))
    assert final_status(answer) == 413


def test_no_control_socket_is_shared_between_masters(gunicorn_port, gunicorn_home):
    """gunicorn's default control socket is one path under the home directory for every master
    of the machine; the web process opens none."""
    assert not list(gunicorn_home.rglob("*.ctl"))


def test_a_body_announced_too_large_is_413_without_waiting_for_it(gunicorn_port):
    head = b"POST /webhook/whatsapp HTTP/1.1\r\nHost: bot\r\nContent-Length: 10000000\r\n\r\nFrom="
    with socket.create_connection(("127.0.0.1", gunicorn_port), timeout=READ_TIMEOUT * 0.9) as connection:
        connection.sendall(head)
        answer = connection.recv(65536)
    assert final_status(answer) == 413
