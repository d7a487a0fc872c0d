"""When an HTTP/1.1 request has fully arrived: the test the web worker applies to the bytes it
has read so far, before a thread is given to the request (app/entrypoints/web/gunicorn_worker.py).

The answer only has to be safe, not a full parse: "complete" hands the bytes to gunicorn's own
parser, which rejects whatever is malformed. So anything this test cannot make sense of (no
number where a length belongs, a buffer past the limit) counts as complete, and gunicorn answers
it at once; only a request that is well formed so far and still missing bytes waits.
"""

from __future__ import annotations

from enum import Enum

HEADERS_END = b"\r\n\r\n"


class Arrival(Enum):
    WAITING = "waiting"  # well formed so far, more bytes to come
    COMPLETE = "complete"  # the request (or what the parser will reject) is all here
    CONTINUE = "continue"  # headers in, the client waits for "100 Continue" to send its body


def arrival(data: bytes, limit: int) -> Arrival:
    """Where the request at the start of `data` stands; `limit` bounds what is buffered."""
    end = data.find(HEADERS_END)
    if end < 0:
        return Arrival.COMPLETE if len(data) > limit else Arrival.WAITING
    fields = _fields(data[:end])
    body = data[end + len(HEADERS_END) :]
    if b"chunked" in fields.get(b"transfer-encoding", b"").lower():
        done = _chunked_body_complete(body, limit)
    else:
        length = fields.get(b"content-length", b"0").strip()
        if not length.isdigit():
            return Arrival.COMPLETE
        done = len(body) >= int(length) or int(length) > limit
    if done or len(data) > limit:
        return Arrival.COMPLETE
    if fields.get(b"expect", b"").strip().lower() == b"100-continue":
        return Arrival.CONTINUE
    return Arrival.WAITING


def _fields(head: bytes) -> dict[bytes, bytes]:
    """Header fields by lower-case name (the last one wins: duplicates are the parser's to refuse)."""
    fields: dict[bytes, bytes] = {}
    for line in head.split(b"\r\n")[1:]:
        name, colon, value = line.partition(b":")
        if colon:
            fields[name.strip().lower()] = value.strip()
    return fields


def _chunked_body_complete(body: bytes, limit: int) -> bool:
    """Whether the last chunk and the trailer section have arrived (or the body is malformed)."""
    position = 0
    while True:
        line_end = body.find(b"\r\n", position)
        if line_end < 0:
            return len(body) - position > 1024  # a size line this long is malformed
        size_text = body[position:line_end].split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            return True
        if size == 0:
            return body.find(HEADERS_END, line_end) >= 0  # no trailers: "0\r\n\r\n"
        if size > limit:
            return True
        position = line_end + 2 + size + 2
        if position > len(body):
            return False
