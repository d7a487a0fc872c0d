"""A limit on request bodies that also holds for chunked ones.

Flask refuses a body whose Content-Length exceeds MAX_CONTENT_LENGTH with 413, but a chunked
body has no length: werkzeug then reads up to the limit and stops, silently, so the form was
cut and the signature check failed (403 "invalid signature", a 4xx Twilio does not retry).
Reading one byte past the limit tells the two apart.
"""

from __future__ import annotations

import io
from typing import Any


def buffer_unsized_body(environ: dict[str, Any], limit: int) -> bool:
    """For a body without Content-Length: read it (at most `limit` bytes) into memory and give it a
    length, so the usual limit applies; False when it is longer than `limit`."""
    if environ.get("CONTENT_LENGTH") or environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
        return True
    stream = environ.get("wsgi.input")
    if stream is None:
        return True
    body = stream.read(limit + 1)
    if len(body) > limit:
        return False
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    return True
