"""The LeadEventReceiver port over HTTP: one signed POST per event to LEAD_WEBHOOK_URL.

`requests` is synchronous: each POST runs in a thread of this sender's own small pool, so the
worker's loop keeps serving students while a receiver is slow, and a receiver that hangs ties
up these threads only, each for at most the timeout.

A 2xx answer is a delivery. 408, 409 and 429 (the receiver is busy or asks to come back)
and every 5xx, timeout or connection error are TransientDeliveryError: the queue tries the
event again later. Any other 4xx (a wrong URL, a receiver that rejects the signature) is a
PermanentDeliveryError: the same request would be refused again.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import requests
from pydantic import BaseModel, ConfigDict, Field, SecretStr

from app.application.errors import PermanentDeliveryError, TransientDeliveryError
from app.domain.lead_events import LeadEvent
from app.infrastructure.lead_webhook.signing import signed_headers

logger = logging.getLogger(__name__)

_RETRYABLE_STATUSES = frozenset({408, 409, 429})  # and every 5xx
_USER_AGENT = "course-advisor-lead-events/1"
# Header values must be ASCII; ids are (phone numbers, dates), but a user id from the
# terminal chat may not be. Such an id is percent-encoded, in the header AND the body, so a
# receiver sees one id wherever it reads it; encoding is deterministic, so dedupe still works,
# and "%" is kept as it is, so an id already encoded is not encoded twice.
_ID_SAFE = "!#$%&'()*+,/:;=?@[]~"


class LeadWebhookOptions(BaseModel):
    model_config = ConfigDict(frozen=True)

    url: str
    secret: SecretStr
    timeout_seconds: float = Field(default=5.0, gt=0)
    threads: int = Field(default=4, ge=1)  # requests at once


def wire_id(event_id: str) -> str:
    """The event's id as it is sent, in `X-Advisor-Event-Id` and in the body's "id"."""
    return quote(event_id, safe=_ID_SAFE)


def event_body(event: LeadEvent) -> bytes:
    """The exact bytes that are signed and sent: compact JSON, UTF-8."""
    payload = {**event.model_dump(mode="json"), "id": wire_id(event.id)}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class LeadWebhookSender:
    def __init__(self, options: LeadWebhookOptions, clock: Callable[[], float] = time.time) -> None:
        self._options = options
        self._clock = clock
        self._threads = ThreadPoolExecutor(max_workers=options.threads, thread_name_prefix="lead-webhook")

    @property
    def url(self) -> str:
        return self._options.url

    def close(self) -> None:
        self._threads.shutdown(wait=False, cancel_futures=True)

    async def send(self, event: LeadEvent) -> None:
        """Deliver `event` once; raises TransientDeliveryError or PermanentDeliveryError."""
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._threads, self._post, event)

    def _post(self, event: LeadEvent) -> None:
        body = event_body(event)
        headers = signed_headers(
            self._options.secret.get_secret_value(),
            int(self._clock()),
            body,
            event.type.value,
            wire_id(event.id),
        )
        headers["User-Agent"] = _USER_AGENT
        try:
            response = requests.post(
                self._options.url,
                data=body,
                headers=headers,
                timeout=self._options.timeout_seconds,
                # A redirect would re-send the event to a URL nobody configured.
                allow_redirects=False,
            )
        except requests.Timeout as error:
            raise TransientDeliveryError(f"no answer within {self._options.timeout_seconds:g}s") from error
        except requests.RequestException as error:
            raise TransientDeliveryError(f"could not reach the receiver: {type(error).__name__}") from error
        status = response.status_code
        if 200 <= status < 300:
            return
        detail = f"HTTP {status}: {_excerpt(response)}"
        if status >= 500 or status in _RETRYABLE_STATUSES:
            raise TransientDeliveryError(detail, code=status)
        raise PermanentDeliveryError(detail, code=status)


def _excerpt(response: requests.Response) -> str:
    """The start of the receiver's answer, for last_error and the log."""
    try:
        text = response.text
    except Exception:  # undecodable body: the status says enough
        return ""
    return " ".join(text.split())[:200]
