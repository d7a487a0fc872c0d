"""The MessageProvider port on Twilio's REST API (twilio's own `Client`).

The twilio client is synchronous (requests): each call runs in a thread of the sender's own
small pool, so the worker's loop keeps serving other users, and a Twilio that hangs ties up
those threads only. Every request has an explicit timeout.

Twilio's 5xx and 429 answers mean the message was not accepted: those are retried here a few
times with backoff. A timeout or a lost connection is different: Twilio may have accepted the
message (its API takes no idempotency key), so it is not retried here; it leaves as a
TransientDeliveryError and the caller looks the message up (`find_sent`) before sending it
again. Any other 4xx (an invalid number, 63016 outside the 24-hour window, 21610 opted out)
is a PermanentDeliveryError carrying Twilio's error code.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import requests
from pydantic import BaseModel, ConfigDict, Field, SecretStr
from requests.adapters import HTTPAdapter
from twilio.base.exceptions import TwilioRestException, TwilioServiceException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from app.application.campaign_ports import ProviderMessage
from app.application.errors import PermanentDeliveryError, TransientDeliveryError

logger = logging.getLogger(__name__)
# twilio's HTTP client logs every request's headers at INFO: one message would fill the log.
# Its own logger, quiet by default; a logging config can lower the level to see them.
_http_logger = logging.getLogger(f"{__name__}.http")
_http_logger.setLevel(logging.WARNING)

TWILIO_API_BASE_URL = "https://api.twilio.com"
_RETRYABLE_STATUSES = frozenset({408, 409, 429})  # and every 5xx
WHATSAPP_PREFIX = "whatsapp:"
LIST_LIMIT = 200  # messages to one contact since a part or a send went out: a handful in practice


class TwilioSenderOptions(BaseModel):
    model_config = ConfigDict(frozen=True)

    account_sid: str
    auth_token: SecretStr
    from_number: str
    base_url: str = TWILIO_API_BASE_URL
    timeout_seconds: float = Field(default=10.0, gt=0)
    attempts: int = Field(default=3, ge=1)  # per part, before the delivery is retried later
    backoff_seconds: float = Field(default=0.5, ge=0)  # doubled after each attempt
    threads: int = Field(default=8, ge=1)  # requests to Twilio at once (one per user being answered)
    status_callback_url: str | None = None  # POST /webhook/status of this deployment


class TwilioReplySender:
    """Sends WhatsApp messages from the school's number and finds the ones it sent."""

    def __init__(self, options: TwilioSenderOptions) -> None:
        self._options = options
        http = TwilioHttpClient(timeout=options.timeout_seconds, logger=_http_logger)
        # One kept-alive connection per sending thread: twilio's default pool keeps about six,
        # and with more threads each send beyond them would open (and drop) a connection.
        assert http.session is not None
        for scheme in ("https://", "http://"):
            http.session.mount(scheme, HTTPAdapter(pool_connections=1, pool_maxsize=options.threads))
        self._client = Client(
            username=options.account_sid,
            password=options.auth_token.get_secret_value(),
            account_sid=options.account_sid,
            http_client=http,
            # Not os.environ: TWILIO_EDGE/TWILIO_REGION there would rewrite the host, and the
            # settings are the only source of configuration.
            environment={},
        )
        # The REST domain's base URL (twilio.base.domain.Domain): Twilio's, or a local fake.
        self._client.api.base_url = options.base_url.rstrip("/")
        self._threads = ThreadPoolExecutor(max_workers=options.threads, thread_name_prefix="twilio-rest")

    @property
    def options(self) -> TwilioSenderOptions:
        return self._options

    def close(self) -> None:
        """Let requests in flight finish (each within its timeout); accept no more."""
        self._threads.shutdown(wait=False, cancel_futures=True)

    async def send(self, to: str, body: str) -> str:
        return await self._with_retries(self._create, to, body)

    async def _with_retries(self, create: Callable[..., str], *args: object) -> str:
        """`create(*args)` in a thread, again after Twilio's 5xx/429 (it did not take the message)."""
        error: TransientDeliveryError | None = None
        for attempt in range(1, self._options.attempts + 1):
            if error is not None:
                await asyncio.sleep(self._options.backoff_seconds * 2 ** (attempt - 2))
            try:
                return await asyncio.get_running_loop().run_in_executor(self._threads, create, *args)
            except _NotAcceptedError as failure:
                logger.warning("Twilio send attempt %d/%d failed: %s", attempt, self._options.attempts, failure)
                error = failure
        assert error is not None
        raise error

    async def find_sent(self, to: str, body: str, since: datetime, exclude: set[str]) -> str | None:
        return await asyncio.get_running_loop().run_in_executor(self._threads, self._find, to, body, since, exclude)

    def _create(self, to: str, body: str) -> str:
        return self._create_message(to, self._options.status_callback_url, body=body)

    def _create_message(self, to: str, status_callback: str | None, **content: str) -> str:
        """One CreateMessage from the school's number: a Body, or a template's ContentSid."""
        callback = {"status_callback": status_callback} if status_callback else {}
        try:
            message = self._client.api.account.messages.create(
                to=to, from_=self._sender_for(to), **content, **callback
            )
        except (TwilioRestException, TwilioServiceException) as error:
            raise _translate(error) from error
        except requests.RequestException as error:
            raise TransientDeliveryError(f"Twilio request failed: {type(error).__name__}: {error}") from error
        if not message.sid:
            raise TransientDeliveryError("Twilio answered without a message SID")
        return message.sid

    def _find(self, to: str, body: str, since: datetime, exclude: set[str]) -> str | None:
        """Newest first, skipping messages already recorded for another part."""
        return next((m.sid for m in self._recent(to, since) if m.body == body and m.sid not in exclude), None)

    def _recent(self, to: str, since: datetime) -> list[ProviderMessage]:
        """Messages to `to` since `since`, newest first. Twilio filters by day only
        (DateSent>=): the exact moment is checked here."""
        try:
            messages = self._client.api.account.messages.list(
                to=to, from_=self._sender_for(to), date_sent_after=since, limit=LIST_LIMIT
            )
        except (TwilioRestException, TwilioServiceException) as error:
            raise TransientDeliveryError(f"cannot list Twilio messages: {_translate(error)}") from error
        except requests.RequestException as error:
            raise TransientDeliveryError(f"Twilio list failed: {type(error).__name__}: {error}") from error
        found = []
        for message in messages:
            created = message.date_created or message.date_sent
            if message.sid and (created is None or created >= since):
                found.append(ProviderMessage(sid=message.sid, body=message.body or "", created_at=created))
        return found

    def _sender_for(self, to: str) -> str:
        """WhatsApp needs both ends prefixed; TWILIO_PHONE_NUMBER may be given without it."""
        sender = self._options.from_number
        if to.startswith(WHATSAPP_PREFIX) and not sender.startswith(WHATSAPP_PREFIX):
            return WHATSAPP_PREFIX + sender
        return sender


class _NotAcceptedError(TransientDeliveryError):
    """Twilio answered 5xx or 429: it did not take the message, so sending again is safe."""


def _translate(error: TwilioRestException | TwilioServiceException) -> TransientDeliveryError | PermanentDeliveryError:
    """Twilio's legacy and RFC 9457 error answers alike, by HTTP status."""
    text = error.msg if isinstance(error, TwilioRestException) else error.detail or error.title
    code = error.code if isinstance(error.code, int) else None
    detail = f"Twilio {error.status}" + (f" (code {error.code})" if error.code else "") + f": {text}"
    if error.status >= 500 or error.status in _RETRYABLE_STATUSES:
        return _NotAcceptedError(detail, code)
    return PermanentDeliveryError(detail, code)
