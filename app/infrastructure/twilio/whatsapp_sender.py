"""WhatsApp beyond text on Twilio: tappable messages (Content API), the typing indicator, and
media downloads.

Tappable messages. A list-picker or quick-reply inside the 24-hour session needs no WhatsApp
approval, only a Content resource (`POST /v1/Content`, an `HX…` SID). One is made per distinct
content (its choices; the body is the variable `{{1}}`, so one resource serves every text with
the same choices), recorded in a store shared by every worker so each is created once, and sent
with `ContentSid` + `ContentVariables` on the Messages API. Creating the resource is claimed in
the store first: a worker that finds it claimed by another waits a moment for the SID, and
sends the text form meanwhile rather than a second resource. When the Content API fails, the
part goes as its text (which already numbers the choices).

Hosts. Twilio serves these from api, content and messaging.twilio.com (and media behind api);
when `TWILIO_API_BASE_URL` names another base (a local fake, a proxy), every one of them goes
to it, each keeping its own path.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable
from typing import Protocol, TypeVar
from urllib.parse import urlsplit, urlunsplit

import aiohttp
from pydantic import BaseModel, ConfigDict, Field
from twilio.base.exceptions import TwilioRestException, TwilioServiceException

from app.application.errors import TransientDeliveryError
from app.domain.interactive import Interactive
from app.infrastructure.twilio.rest_sender import _NETWORK_ERRORS, TWILIO_API_BASE_URL, TwilioSenderOptions
from app.infrastructure.twilio.template_sender import TwilioTemplateSender

logger = logging.getLogger(__name__)

CONTENT_API_BASE_URL = "https://content.twilio.com"
MESSAGING_API_BASE_URL = "https://messaging.twilio.com"
# The typing indicator names the message it answers: Twilio's spec takes SM…/MM… SIDs only.
_MESSAGE_SID = re.compile(r"^(SM|MM)[0-9a-fA-F]{32}$")
# Hosts whose media URLs get the account's credentials; nothing else ever does.
_TWILIO_HOST = re.compile(r"(^|\.)twilio\.com$")
BODY_VARIABLE = "1"
_T = TypeVar("_T")


class ContentClaim(BaseModel):
    model_config = ConfigDict(frozen=True)

    sid: str | None = None  # the resource made already
    mine: bool = False  # no SID yet and this caller is to create it


class ContentStore(Protocol):
    """Where each distinct content's SID is kept, shared by every worker."""

    async def claim(self, key: str) -> ContentClaim: ...

    async def record(self, key: str, sid: str) -> None: ...

    async def release(self, key: str) -> None: ...


class MediaLimits(BaseModel):
    model_config = ConfigDict(frozen=True)

    max_bytes: int = Field(default=16 * 1024 * 1024, gt=0)  # WhatsApp's own ceiling for audio
    timeout_seconds: float = Field(default=20.0, gt=0)


class MediaTooLargeError(Exception):
    pass


class ContentUnavailableError(Exception):
    """The Content API did not give a SID: the part goes as text."""


class TwilioWhatsAppSender(TwilioTemplateSender):
    def __init__(
        self,
        options: TwilioSenderOptions,
        contents: ContentStore | None = None,
        media: MediaLimits | None = None,
        claim_waits: tuple[float, ...] = (0.2, 0.4, 0.8),
    ) -> None:
        super().__init__(options)
        self._contents = contents
        self._media = media or MediaLimits()
        self._claim_waits = claim_waits
        self._sids: dict[str, str] = {}  # per process: the store is asked once per content
        self._looking_up: dict[str, asyncio.Lock] = {}
        custom = options.base_url.rstrip("/") != TWILIO_API_BASE_URL
        self._content_base = options.base_url.rstrip("/") if custom else CONTENT_API_BASE_URL
        self._api_base = options.base_url.rstrip("/")
        if custom:
            self._client.messaging.base_url = self._api_base
            self._client.content.base_url = self._api_base

    # --- tappable messages ----------------------------------------------------------------------

    async def send_interactive(self, to: str, text: str, interactive: Interactive) -> str:
        """The tappable message, or `text` when its content cannot be had."""
        try:
            content_sid = await self.content_sid(interactive)
        except ContentUnavailableError as error:
            logger.warning("tappable message sent as text: %s", error)
            return await self.send(to, text)
        variables = json.dumps({BODY_VARIABLE: interactive.body}, ensure_ascii=False)
        return await self._with_retries(
            lambda: self._create_message(
                to, self._options.status_callback_url, content_sid=content_sid, content_variables=variables
            )
        )

    async def content_sid(self, interactive: Interactive) -> str:
        key = interactive.content_key()
        if key in self._sids:
            return self._sids[key]
        # The turns of this process that need the same new content wait for one lookup.
        lock = self._looking_up.setdefault(key, asyncio.Lock())
        async with lock:
            if key in self._sids:
                return self._sids[key]
            return await self._look_up(key, interactive)

    async def _look_up(self, key: str, interactive: Interactive) -> str:
        if self._contents is None:
            sid = await self._create_content(interactive)
            self._sids[key] = sid
            return sid
        for wait in (0.0, *self._claim_waits):
            await asyncio.sleep(wait)
            claim = await self._store_call(self._contents.claim(key))
            if claim.sid is not None:
                self._sids[key] = claim.sid
                return claim.sid
            if claim.mine:
                return await self._create_claimed(key, interactive)
        raise ContentUnavailableError(f"content {key[:12]} is being created by another worker")

    async def _create_claimed(self, key: str, interactive: Interactive) -> str:
        assert self._contents is not None
        try:
            sid = await self._create_content(interactive)
        except ContentUnavailableError:
            await self._store_call(self._contents.release(key))
            raise
        await self._store_call(self._contents.record(key, sid))
        self._sids[key] = sid
        return sid

    @staticmethod
    async def _store_call(call: Awaitable[_T]) -> _T:
        try:
            return await call
        except Exception as error:  # the store is a cache of SIDs: without it, text goes
            raise ContentUnavailableError(f"content store: {type(error).__name__}: {error}") from error

    async def _create_content(self, interactive: Interactive) -> str:
        """`POST /v1/Content`: the resource's SID."""
        url = f"{self._content_base}/v1/Content"
        try:
            response = await self._client.request_async(
                "POST", url, data=content_request(interactive), headers={"Content-Type": "application/json"},
                timeout=self._options.timeout_seconds,
            )  # fmt: skip
        except _NETWORK_ERRORS as error:
            raise ContentUnavailableError(f"Content API: {type(error).__name__}: {error}") from error
        if response.status_code != 201:
            raise ContentUnavailableError(f"Content API answered {response.status_code}: {response.text[:300]}")
        try:
            sid = json.loads(response.text)["sid"]
        except (ValueError, KeyError, TypeError) as error:
            raise ContentUnavailableError("Content API answered without a SID") from error
        logger.info("WhatsApp content %s created (%s, %d choices)", sid, interactive.kind, len(interactive.choices))
        return str(sid)

    # --- typing indicator -------------------------------------------------------------------------

    async def indicate_typing(self, message_id: str) -> None:
        """`POST /v2/Indicators/Typing.json` for the student's message (it also marks it read).
        Best effort: a failure is logged, never raised."""
        if not _MESSAGE_SID.match(message_id):
            logger.debug("no typing indicator for %r: not a Twilio message SID", message_id)
            return
        try:
            await self._client.messaging.v2.typing_indicator.create_async(channel="whatsapp", message_id=message_id)
        except (TwilioRestException, TwilioServiceException, *_NETWORK_ERRORS) as error:
            logger.info("typing indicator for %s not shown: %s", message_id, error)

    # --- media -------------------------------------------------------------------------------------

    async def download_media(self, url: str) -> bytes:
        """A message's media with the account's credentials, within the size and time limits.
        Raises TransientDeliveryError on network failures, MediaTooLargeError over the limit,
        ValueError for a URL that is not Twilio's."""
        target = self._media_url(url)
        auth = aiohttp.encode_basic_auth(self._options.account_sid, self._options.auth_token.get_secret_value())
        timeout = aiohttp.ClientTimeout(total=self._media.timeout_seconds)
        session = self._http.loop_session()
        try:
            async with session.get(target, headers={"Authorization": auth}, timeout=timeout) as response:
                if response.status != 200:
                    raise TransientDeliveryError(f"media download answered {response.status}")
                declared = response.content_length
                if declared is not None and declared > self._media.max_bytes:
                    raise MediaTooLargeError(f"{declared} bytes")
                data = bytearray()
                async for chunk in response.content.iter_chunked(64 * 1024):
                    data += chunk
                    if len(data) > self._media.max_bytes:
                        raise MediaTooLargeError(f"more than {self._media.max_bytes} bytes")
                return bytes(data)
        except _NETWORK_ERRORS as error:
            raise TransientDeliveryError(f"media download failed: {type(error).__name__}: {error}") from error

    def _media_url(self, url: str) -> str:
        parts = urlsplit(url)
        if not _TWILIO_HOST.search(parts.hostname or "") and not url.startswith(self._api_base + "/"):
            raise ValueError(f"not a Twilio media URL: {parts.scheme}://{parts.hostname}")
        if self._api_base == TWILIO_API_BASE_URL:
            return url
        base = urlsplit(self._api_base)
        return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, ""))


def content_request(interactive: Interactive) -> dict[str, object]:
    """The Content API's create request (ContentCreateRequest): the tappable type, with a
    twilio/text of the same body for channels without it."""
    body = "{{" + BODY_VARIABLE + "}}"
    if interactive.kind == "list-picker":
        items = [{"id": c.id, "item": c.title, "description": c.description or c.title} for c in interactive.choices]
        tappable: dict[str, object] = {"body": body, "button": interactive.button, "items": items}
    else:
        tappable = {"body": body, "actions": [{"type": "QUICK_REPLY", "id": c.id, "title": c.title}
                                               for c in interactive.choices]}  # fmt: skip
    return {
        "friendly_name": f"bot_{interactive.kind.replace('-', '_')}_{interactive.content_key()[:16]}",
        "language": "es",
        "variables": {BODY_VARIABLE: "Texto"},
        "types": {f"twilio/{interactive.kind}": tappable, "twilio/text": {"body": body}},
    }
