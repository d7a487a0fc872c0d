"""WhatsApp's extras for the worker: voice notes transcribed when the AI is configured."""

from __future__ import annotations

from app.config import Settings
from app.infrastructure.openai.transcriber import VoiceNoteTranscriber
from app.infrastructure.twilio.whatsapp_sender import TwilioWhatsAppSender


def build_voice_transcriber(settings: Settings, sender: TwilioWhatsAppSender) -> VoiceNoteTranscriber | None:
    """Voice notes transcribed when the AI is configured; without it they are declined politely."""
    if settings.openai_api_key is None:
        return None
    return VoiceNoteTranscriber(
        download=sender.download_media,
        api_key=settings.openai_api_key.get_secret_value(),
        base_url=settings.openai_base_url,
        model=settings.openai_transcription_model,
        fallback_model=settings.openai_transcription_fallback_model,
        timeout_seconds=settings.voice_note_timeout_seconds,
    )
