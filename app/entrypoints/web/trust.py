"""Which webhook requests the web server believes came from Twilio.

Only a valid `X-Twilio-Signature` proves it, and checking one needs TWILIO_AUTH_TOKEN. The
peer's address proves nothing: a proxy on the same host (nginx's bare `proxy_pass`) makes
every request from the internet arrive from 127.0.0.1 with no forwarding header, and headers
such as X-Forwarded-For or True-Client-IP are whatever the sender wrote. So without a token
the web server refuses every webhook, unless TWILIO_VALIDATE_SIGNATURE=false says, on
purpose, that anyone may post. The terminal chat (`python -m app chat`) is not a web
request: it calls the conversation directly and needs neither.
"""

from __future__ import annotations

import logging

from app.config import WebhookTrust

logger = logging.getLogger(__name__)

REFUSAL_REASONS = {
    WebhookTrust.SIGNED: "missing or invalid signature",
    WebhookTrust.NOTHING: "TWILIO_AUTH_TOKEN is not set, so no signature can be checked",
}


def announce(trust: WebhookTrust) -> None:
    """One start-up line saying what the webhooks accept."""
    if trust is WebhookTrust.NOTHING:
        logger.warning(
            "TWILIO_AUTH_TOKEN is not set: the webhooks refuse every request (403), from any address. Set it "
            "(Twilio console, Account > API keys & tokens), or TWILIO_VALIDATE_SIGNATURE=false to accept "
            "unsigned requests from anyone (local experiments only). The terminal chat needs neither."
        )
    elif trust is WebhookTrust.ANYONE:
        logger.warning(
            "TWILIO_VALIDATE_SIGNATURE=false: the webhooks accept unsigned requests from anyone; never in production"
        )
    else:
        logger.info("webhooks: only requests signed with TWILIO_AUTH_TOKEN are accepted")
