"""Voice notes as text: the audio downloaded from the provider, transcribed by OpenAI's
`audio/transcriptions` (model a setting, `language=es`), never stored.

WhatsApp records voice notes as Ogg/Opus (`audio/ogg; codecs=opus`). The API decides the format
from the file name, so the file is named after its content type; a model that still refuses it
(a 400 about the format) is retried with the fallback model, which takes Ogg. Any other
failure, a file over the size limit or a download that fails, gives no transcript: the student
is asked to write instead, and the message is recorded like any other.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from openai import APIConnectionError, APIStatusError, APITimeoutError, AsyncOpenAI, BadRequestError

from app.domain.messages import InboundMessage

logger = logging.getLogger(__name__)

# The API reads the format from the extension: one per content type WhatsApp sends.
_EXTENSIONS = {
    "audio/ogg": "ogg", "audio/opus": "ogg", "audio/mpeg": "mp3", "audio/mp3": "mp3", "audio/mp4": "m4a",
    "audio/aac": "m4a", "audio/x-m4a": "m4a", "audio/wav": "wav", "audio/x-wav": "wav", "audio/webm": "webm",
    "audio/amr": "amr",
}  # fmt: skip


class VoiceNoteTranscriber:
    def __init__(
        self,
        *,
        download: Callable[[str], Awaitable[bytes]],
        api_key: str,
        base_url: str | None,
        model: str,
        fallback_model: str | None,
        timeout_seconds: float,
    ) -> None:
        self._download = download
        self._api_key = api_key
        self._base_url = base_url
        self._models = tuple(dict.fromkeys(m for m in (model, fallback_model) if m))
        self._timeout = timeout_seconds
        self._client: AsyncOpenAI | None = None
        self._client_loop: asyncio.AbstractEventLoop | None = None

    async def transcript(self, message: InboundMessage) -> str | None:
        url = message.audio_url()
        if url is None:
            return None
        kind = _audio_type(message, url)
        try:
            async with asyncio.timeout(self._timeout):
                audio = await self._download(url)
                return await self._transcribe(audio, kind, message.message_id)
        except TimeoutError:
            logger.warning("voice note %s not transcribed within %.0fs", message.message_id, self._timeout)
        except Exception as error:  # a voice note never fails the turn: the student is asked to write
            logger.warning("voice note %s not transcribed: %s: %s", message.message_id, type(error).__name__, error)
        return None

    async def _transcribe(self, audio: bytes, kind: str, message_id: str) -> str | None:
        name = f"voice-note.{_EXTENSIONS.get(kind, 'ogg')}"
        for model in self._models:
            try:
                result = await self._openai().audio.transcriptions.create(
                    model=model, file=(name, audio, kind), language="es"
                )
            except BadRequestError as error:  # the format or the file: the next model may take it
                logger.warning("transcription model %s refused voice note %s: %s", model, message_id, error.message)
                continue
            except (APIStatusError, APIConnectionError, APITimeoutError) as error:
                logger.warning("transcription of voice note %s failed: %s", message_id, error)
                return None
            text = (result.text or "").strip()
            return text or None
        return None

    def _openai(self) -> AsyncOpenAI:
        loop = asyncio.get_running_loop()
        if self._client is None or self._client_loop is not loop:
            self._client = AsyncOpenAI(
                api_key=self._api_key, base_url=self._base_url, timeout=self._timeout, max_retries=1
            )
            self._client_loop = loop
        return self._client


def _audio_type(message: InboundMessage, url: str) -> str:
    """The media's content type without parameters ("audio/ogg; codecs=opus" is audio/ogg)."""
    for media_url, kind in zip(message.media_urls, message.media_types, strict=False):
        if media_url == url:
            return kind.split(";")[0].strip().lower()
    return "audio/ogg"
