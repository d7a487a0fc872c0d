"""What leaves through the network in REST mode: Twilio's REST sender with this deployment's
status callback, and the channels lead events go to."""

from __future__ import annotations

import logging

from app.application.deliver_lead_events import LeadEventReceiver
from app.config import Settings
from app.infrastructure.lead_webhook.advisor_alert import AdvisorAlertOptions, EveryChannel, WhatsAppAdvisorAlert
from app.infrastructure.lead_webhook.sender import LeadWebhookOptions, LeadWebhookSender
from app.infrastructure.redaction import redact
from app.infrastructure.twilio.rest_sender import TwilioReplySender, TwilioSenderOptions
from app.infrastructure.twilio.template_sender import TwilioTemplateSender
from app.infrastructure.twilio.whatsapp_sender import ContentStore, MediaLimits, TwilioWhatsAppSender

logger = logging.getLogger(__name__)


def build_reply_sender(
    settings: Settings, connections: int, contents: ContentStore | None = None
) -> TwilioWhatsAppSender:
    """Twilio's REST API, with this deployment's status-callback URL on every message; the SIDs
    of tappable contents kept in `contents`."""
    assert settings.twilio_account_sid and settings.twilio_auth_token and settings.twilio_phone_number
    callback = f"{settings.public_base_url}/webhook/status" if settings.public_base_url else None
    logger.info(
        "replies through the Twilio REST API at %s (status callbacks: %s)",
        settings.twilio_api_base_url,
        callback or "off, PUBLIC_BASE_URL not set",
    )
    media = MediaLimits(max_bytes=settings.voice_note_max_bytes, timeout_seconds=settings.voice_note_timeout_seconds)
    return TwilioWhatsAppSender(twilio_sender_options(settings, connections, callback), contents, media)


def twilio_sender_options(settings: Settings, connections: int, status_callback: str | None) -> TwilioSenderOptions:
    """The Twilio account, API and timeouts of the settings, for a sender of `connections` at once."""
    assert settings.twilio_account_sid and settings.twilio_auth_token and settings.twilio_phone_number
    return TwilioSenderOptions(
        account_sid=settings.twilio_account_sid,
        auth_token=settings.twilio_auth_token,
        from_number=settings.twilio_phone_number,
        base_url=settings.twilio_api_base_url,
        timeout_seconds=settings.twilio_timeout_seconds,
        connections=connections,
        status_callback_url=status_callback,
    )


def build_lead_channels(settings: Settings, sender: TwilioReplySender) -> LeadEventReceiver | None:
    """Where lead events go: the signed webhook, the advisors' WhatsApp, both, or nowhere
    (then they are only kept in the database)."""
    channels: list[LeadEventReceiver] = []
    webhook = build_lead_webhook(settings)
    if webhook is not None:
        channels.append(webhook)
    if settings.advisor_numbers and settings.advisor_alert_content_sid:
        logger.info("hand-offs alert %d advisor number(s) on WhatsApp", len(settings.advisor_numbers))
        templates = TwilioTemplateSender(sender.options)
        options = AdvisorAlertOptions(
            numbers=settings.advisor_numbers,
            content_sid=settings.advisor_alert_content_sid,
            status_callback=sender.options.status_callback_url,
        )
        channels.append(WhatsAppAdvisorAlert(templates, options))
    if len(channels) > 1:
        return EveryChannel(channels)
    return channels[0] if channels else None


def build_lead_webhook(settings: Settings) -> LeadWebhookSender | None:
    """The signed sender of lead events when LEAD_WEBHOOK_URL is set; else the events are
    only kept in the database."""
    if settings.lead_webhook_url is None or settings.lead_webhook_secret is None:
        logger.info("lead events: kept in the database, not sent (LEAD_WEBHOOK_URL is not set)")
        return None
    # Without the query string: receivers' keys travel there under any name.
    logger.info("lead events: sent to %s", redact(settings.lead_webhook_url.split("?", 1)[0]))
    return LeadWebhookSender(
        LeadWebhookOptions(
            url=settings.lead_webhook_url,
            secret=settings.lead_webhook_secret,
            timeout_seconds=settings.lead_webhook_timeout_seconds,
        )
    )
