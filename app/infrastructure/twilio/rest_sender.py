"""The MessageProvider port on Twilio's REST API (twilio's own `Client`, asynchronous).

Requests go out on the worker's event loop through twilio's aiohttp client: hundreds of users
answered at once send at once, with no thread per request. Every request has a timeout.

Twilio's 5xx and 429 answers mean the message was not accepted: those are retried here a few
times with backoff. A timeout or a lost connection is different: Twilio may have accepted the
message (its API takes no idempotency key), so it is not retried here; it leaves as a
TransientDeliveryError and the caller looks the message up (`find_sent`) before sending it
again. Any other 4xx (an invalid number, 63016 outside the 24-hour window, 21610 opted out)
is a PermanentDeliveryError carrying Twilio's error code.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import aiohttp
from pydantic import BaseModel, ConfigDict, Field, SecretStr
from twilio.base.exceptions import TwilioRestException, TwilioServiceException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.http.response import Response
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
_NETWORK_ERRORS = (aiohttp.ClientError, TimeoutError, OSError)


class TwilioSenderOptions(BaseModel):
    model_config = ConfigDict(frozen=True)

    account_sid: str
    auth_token: SecretStr
    from_number: str
    base_url: str = TWILIO_API_BASE_URL
    timeout_seconds: float = Field(default=10.0, gt=0)
    attempts: int = Field(default=3, ge=1)  # per part, before the delivery is retried later
    backoff_seconds: float = Field(default=0.5, ge=0)  # doubled after each attempt
    connections: int = Field(default=8, ge=1)  # requests to Twilio at once (one per user being answered)
    status_callback_url: str | None = None  # POST /webhook/status of this deployment


class _LoopSessionHttpClient(AsyncTwilioHttpClient):
    """twilio's aiohttp client with one kept-alive session per event loop (made inside it, on
    first use: an aiohttp session belongs to its loop) and the configured timeout on every
    request (twilio passes none, which aiohttp would take as "no limit")."""

    def __init__(self, timeout_seconds: float, connections: int) -> None:
        super().__init__(pool_connections=False, timeout=timeout_seconds, logger=_http_logger)
        self._timeout_seconds = timeout_seconds
        self._connections = connections
        self._loop: asyncio.AbstractEventLoop | None = None

    async def request(
        self,
        method: str,
        url: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,  # noqa: ASYNC109 - twilio's signature, which its Client calls
        allow_redirects: bool = False,
    ) -> Response:
        self.loop_session()
        if auth is not None:  # as a header: aiohttp deprecates its `auth` parameter
            headers = {**(headers or {}), "Authorization": aiohttp.encode_basic_auth(*auth)}
        if isinstance(data, dict) and (headers or {}).get("Content-Type") == "application/json":
            # The Content API takes JSON; aiohttp would send a dict as a form whatever the header says.
            data = json.dumps(data, ensure_ascii=False)  # type: ignore[assignment]
        return await super().request(
            method, url, params, data, headers, None, timeout or self._timeout_seconds, allow_redirects
        )

    def loop_session(self) -> aiohttp.ClientSession:
        """This loop's kept-alive session, made on first use."""
        loop = asyncio.get_running_loop()
        if self.session is None or self._loop is not loop:
            connector = aiohttp.TCPConnector(limit=self._connections)
            self.session, self._loop = aiohttp.ClientSession(connector=connector), loop
        return self.session

    def detach(self) -> tuple[Any, asyncio.AbstractEventLoop | None]:
        session, loop = self.session, self._loop
        self.session = self._loop = None
        return session, loop


class TwilioReplySender:
    """Sends WhatsApp messages from the school's number and finds the ones it sent."""

    def __init__(self, options: TwilioSenderOptions) -> None:
        self._options = options
        self._http = _LoopSessionHttpClient(options.timeout_seconds, options.connections)
        self._client = Client(
            username=options.account_sid,
            password=options.auth_token.get_secret_value(),
            account_sid=options.account_sid,
            http_client=self._http,
            # Not os.environ: TWILIO_EDGE/TWILIO_REGION there would rewrite the host, and the
            # settings are the only source of configuration.
            environment={},
        )
        # The REST domain's base URL (twilio.base.domain.Domain): Twilio's, or a local fake.
        self._client.api.base_url = options.base_url.rstrip("/")

    @property
    def options(self) -> TwilioSenderOptions:
        return self._options

    async def aclose(self) -> None:
        """Close the connections (on the loop that uses them)."""
        session, _ = self._http.detach()
        if session is not None:
            await session.close()

    def close(self) -> None:
        """Close the connections on the loop that uses them, from any thread. A loop already
        closed took its connections with it."""
        session, loop = self._http.detach()
        if session is None or loop is None or loop.is_closed() or not loop.is_running():
            return
        if _running_loop() is loop:  # called on that loop: it cannot wait for itself
            _CLOSING.add(closing := loop.create_task(session.close()))
            closing.add_done_callback(_CLOSING.discard)
            return
        try:
            asyncio.run_coroutine_threadsafe(session.close(), loop).result(timeout=5)
        except Exception:  # closing is best effort: the process is ending
            logger.debug("the Twilio connections did not close cleanly", exc_info=True)

    async def send(self, to: str, body: str) -> str:
        return await self._with_retries(lambda: self._create_message(to, self._options.status_callback_url, body=body))

    async def _with_retries(self, create: Callable[[], Awaitable[str]]) -> str:
        """`create()`, again after Twilio's 5xx/429 (it did not take the message)."""
        error: TransientDeliveryError | None = None
        for attempt in range(1, self._options.attempts + 1):
            if error is not None:
                await asyncio.sleep(self._options.backoff_seconds * 2 ** (attempt - 2))
            try:
                return await create()
            except _NotAcceptedError as failure:
                logger.warning("Twilio send attempt %d/%d failed: %s", attempt, self._options.attempts, failure)
                error = failure
        assert error is not None
        raise error

    async def find_sent(self, to: str, body: str, since: datetime, exclude: set[str]) -> str | None:
        """Newest first, skipping messages already recorded for another part."""
        recent = await self._recent(to, since)
        return next((m.sid for m in recent if m.body == body and m.sid not in exclude), None)

    async def _create_message(self, to: str, status_callback: str | None, **content: str) -> str:
        """One CreateMessage from the school's number: a Body, or a template's ContentSid."""
        callback = {"status_callback": status_callback} if status_callback else {}
        try:
            message = await self._client.api.account.messages.create_async(
                to=to, from_=self._sender_for(to), **content, **callback
            )
        except (TwilioRestException, TwilioServiceException) as error:
            raise _translate(error) from error
        except _NETWORK_ERRORS as error:
            raise TransientDeliveryError(f"Twilio request failed: {type(error).__name__}: {error}") from error
        if not message.sid:
            raise TransientDeliveryError("Twilio answered without a message SID")
        return message.sid

    async def _recent(self, to: str, since: datetime) -> list[ProviderMessage]:
        """Messages to `to` since `since`, newest first. Twilio filters by day only
        (DateSent>=): the exact moment is checked here."""
        try:
            messages = await self._client.api.account.messages.list_async(
                to=to, from_=self._sender_for(to), date_sent_after=since, limit=LIST_LIMIT
            )
        except (TwilioRestException, TwilioServiceException) as error:
            raise TransientDeliveryError(f"cannot list Twilio messages: {_translate(error)}") from error
        except _NETWORK_ERRORS as error:
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


# Closings scheduled on a loop, kept referenced until they finish.
_CLOSING: set[asyncio.Task[None]] = set()


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


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
