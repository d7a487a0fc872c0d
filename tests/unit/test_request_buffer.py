"""When the web worker hands a request to a thread: only once all of it has arrived."""

from __future__ import annotations

import pytest

from app.entrypoints.web.request_buffer import Arrival, arrival

LIMIT = 1024
HEAD = b"POST /webhook/whatsapp HTTP/1.1\r\nHost: bot\r\n"


def request(fields: bytes, body: bytes = b"") -> bytes:
    return HEAD + fields + b"\r\n" + body


@pytest.mark.parametrize(
    "data",
    [
        b"POST /webhook/whats",
        HEAD + b"Content-Le",
        request(b"Content-Length: 10\r\n", b"From=whats"[:6]),
        request(b"Transfer-Encoding: chunked\r\n", b"5\r\nFrom="),
        request(b"Transfer-Encoding: chunked\r\n", b"5\r\nFrom=\r\n0\r\n"),
        request(b"Transfer-Encoding: chunked\r\n", b"5\r\nFrom=\r\n0\r\nX-Trailer: 1\r\n"),
    ],
)
def test_a_request_still_arriving_waits(data):
    assert arrival(data, LIMIT) is Arrival.WAITING


@pytest.mark.parametrize(
    "data",
    [
        request(b""),  # a GET, no body
        request(b"Content-Length: 6\r\n", b"From=x"),
        request(b"content-length: 6\r\n", b"From=xGET / HTTP/1.1\r\n"),  # a pipelined request behind it
        request(b"Transfer-Encoding: chunked\r\n", b"5\r\nFrom=\r\n0\r\n\r\n"),
        request(b"Transfer-Encoding: chunked\r\n", b"5;ext=1\r\nFrom=\r\n0\r\nX-Trailer: 1\r\n\r\n"),
    ],
)
def test_a_complete_request_goes_to_a_thread(data):
    assert arrival(data, LIMIT) is Arrival.COMPLETE


@pytest.mark.parametrize(
    "data",
    [
        request(b"Content-Length: ten\r\n"),
        request(b"Transfer-Encoding: chunked\r\n", b"zz\r\nFrom=\r\n"),
        request(b"Transfer-Encoding: chunked\r\n", b"5" * 2000),  # a size line that never ends
    ],
)
def test_what_the_parser_will_refuse_goes_to_it_at_once(data):
    """Malformed: gunicorn's parser answers 400 without waiting for more."""
    assert arrival(data, LIMIT) is Arrival.COMPLETE


@pytest.mark.parametrize(
    "data",
    [
        request(b"Content-Length: 999999\r\n", b"From="),  # announced beyond the limit
        request(b"Transfer-Encoding: chunked\r\n", b"fffff\r\nFrom="),
        request(b"Transfer-Encoding: chunked\r\n", (b"100\r\n" + b"a" * 256 + b"\r\n") * 5),
        b"POST /" + b"a" * 2000,  # headers past the limit
    ],
)
def test_a_request_past_the_limit_is_too_large_before_it_ends(data):
    """Answered 413 by the worker: handing it on would let the rest trickle into a thread."""
    assert arrival(data, LIMIT) is Arrival.TOO_LARGE


def test_a_client_that_expects_100_continue_is_told_to_send_its_body():
    data = request(b"Content-Length: 6\r\nExpect: 100-continue\r\n")
    assert arrival(data, LIMIT) is Arrival.CONTINUE
    assert arrival(data + b"From=x", LIMIT) is Arrival.COMPLETE
