"""Twilio webhook helpers built on the twilio library itself."""

from __future__ import annotations

import hmac
from collections.abc import Mapping

from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse


class TwilioSignatureValidator:
    """Checks X-Twilio-Signature with twilio's own RequestValidator."""

    def __init__(self, auth_token: str) -> None:
        self._validator = RequestValidator(auth_token)

    def is_valid(self, url: str, params: Mapping[str, str], signature: str | None) -> bool:
        if not signature:
            return False
        # The URL as Twilio signed it matches at the first HMAC: validate() always computes
        # two (the URL with and without its port), so it is the fallback, not the first try.
        if hmac.compare_digest(self._validator.compute_signature(url, dict(params)), signature):
            return True
        return bool(self._validator.validate(url, dict(params), signature))


def twiml_messages(parts: tuple[str, ...] | list[str]) -> str:
    """TwiML that sends each part as its own WhatsApp message (empty: acknowledge only)."""
    if not parts:
        return EMPTY_TWIML
    return _twiml(parts)


def _twiml(parts: tuple[str, ...] | list[str]) -> str:
    response = MessagingResponse()
    for part in parts:
        response.message(part)
    return str(response)


# Built once: the REST webhook answers every message with it.
EMPTY_TWIML = _twiml(())
