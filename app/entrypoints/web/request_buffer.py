"""When an HTTP/1.1 request has fully arrived: the test the web worker applies to the bytes it
has read so far, before a thread is given to the request (app/entrypoints/web/gunicorn_worker.py).

The answer only has to be safe, not a full parse: "complete" hands the bytes to gunicorn's own
parser, which rejects whatever is malformed. So anything this test cannot make sense of (no
number where a length belongs) counts as complete, and gunicorn answers it at once; only a
request that is well formed so far and still missing bytes waits. A request that is, or says it
will be, larger than the limit is "too large": the worker answers 413 itself, because handing
it over would let its sender trickle the rest into a thread.
"""

from __future__ import annotations

from enum import Enum

HEADERS_END = b"\r\n\r\n"
LONGEST_CHUNK_SIZE_LINE = 1024


class Arrival(Enum):
    WAITING = "waiting"  # well formed so far, more bytes to come
    COMPLETE = "complete"  # the request (or what the parser will reject) is all here
    CONTINUE = "continue"  # headers in, the client waits for "100 Continue" to send its body
    TOO_LARGE = "too_large"  # past the limit before its end, or announced larger


def arrival(data: bytes, limit: int) -> Arrival:
    """Where the request at the start of `data` stands; `limit` bounds what is buffered."""
    end = data.find(HEADERS_END)
    if end < 0:
        return Arrival.TOO_LARGE if len(data) > limit else Arrival.WAITING
    fields = _fields(data[:end])
    body = data[end + len(HEADERS_END) :]
    if b"chunked" in fields.get(b"transfer-encoding", b"").lower():
        state = _chunked_body(body, limit)
    else:
        length = fields.get(b"content-length", b"0").strip()
        if not length.isdigit():
            return Arrival.COMPLETE
        if int(length) > limit:
            return Arrival.TOO_LARGE
        state = Arrival.COMPLETE if len(body) >= int(length) else Arrival.WAITING
    if state is Arrival.WAITING and len(data) > limit:
        return Arrival.TOO_LARGE
    if state is Arrival.WAITING and fields.get(b"expect", b"").strip().lower() == b"100-continue":
        return Arrival.CONTINUE
    return state


def _fields(head: bytes) -> dict[bytes, bytes]:
    """Header fields by lower-case name (the last one wins: duplicates are the parser's to refuse)."""
    fields: dict[bytes, bytes] = {}
    for line in head.split(b"\r\n")[1:]:
        name, colon, value = line.partition(b":")
        if colon:
            fields[name.strip().lower()] = value.strip()
    return fields


def _chunked_body(body: bytes, limit: int) -> Arrival:
    """Whether the last chunk and the trailer section have arrived."""
    position = 0
    while True:
        line_end = body.find(b"\r\n", position)
        if line_end < 0:
            malformed = len(body) - position > LONGEST_CHUNK_SIZE_LINE
            return Arrival.COMPLETE if malformed else Arrival.WAITING
        size_text = body[position:line_end].split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            return Arrival.COMPLETE
        if size == 0:  # then trailers, if any, and an empty line
            return Arrival.COMPLETE if body.find(HEADERS_END, line_end) >= 0 else Arrival.WAITING
        if size > limit:
            return Arrival.TOO_LARGE
        position = line_end + 2 + size + 2
        if position > len(body):
            return Arrival.WAITING
