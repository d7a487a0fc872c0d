"""The signature of a lead event request: HMAC-SHA256 over "<timestamp>.<raw body>".

The timestamp is inside the signed string, so a captured request cannot be replayed later
with a fresh timestamp header: receivers reject a timestamp more than TOLERANCE_SECONDS
from their clock. `verify` is the reference the docs' snippets (docs/lead-events.md)
follow; the tests run those snippets against `sign`.
"""

from __future__ import annotations

import hashlib
import hmac

SCHEME = "sha256="
TOLERANCE_SECONDS = 300

EVENT_HEADER = "X-Advisor-Event"
EVENT_ID_HEADER = "X-Advisor-Event-Id"
TIMESTAMP_HEADER = "X-Advisor-Timestamp"
SIGNATURE_HEADER = "X-Advisor-Signature"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The X-Advisor-Signature value of `body` sent at `timestamp` (unix seconds)."""
    message = str(timestamp).encode("ascii") + b"." + body
    return SCHEME + hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def verify(
    secret: str, timestamp: str, body: bytes, signature: str, now: float, tolerance: int = TOLERANCE_SECONDS
) -> bool:
    """True when `signature` is `body`'s at `timestamp` and the timestamp is recent."""
    try:
        sent_at = int(timestamp)
    except ValueError:
        return False
    if abs(now - sent_at) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, sent_at, body), signature)


def signed_headers(secret: str, timestamp: int, body: bytes, event_type: str, event_id: str) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        EVENT_HEADER: event_type,
        EVENT_ID_HEADER: event_id,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(secret, timestamp, body),
    }
