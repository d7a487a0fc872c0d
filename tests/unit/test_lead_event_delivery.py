"""Delivering one stored lead event (the use case, with a fake outbox and receiver), and the
settings of the lead webhook."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from app.application.deliver_lead_events import DeliverLeadEvent, DeliveryOutcome, StoredLeadEvent
from app.application.errors import PermanentDeliveryError, TransientDeliveryError
from app.config import SettingsError, load_settings
from app.domain.handoff import HandoffReason
from app.domain.lead_events import CourseOfInterest, LeadEvent, LeadSummary, handoff_opened_event
from app.infrastructure.lead_webhook.advisor_alert import alert_variables

EVENT = handoff_opened_event(
    3, "contact_request", LeadSummary(user_id="whatsapp:+573000000001"), datetime(2026, 11, 23, tzinfo=UTC)
)


class FakeOutbox:
    def __init__(self, stored: StoredLeadEvent | None) -> None:
        self.stored = stored
        self.delivered = 0
        self.errors: list[str] = []

    async def load(self, event_id: str) -> StoredLeadEvent | None:
        assert self.stored is None or self.stored.event is None or event_id == self.stored.event.id
        return self.stored

    async def record_delivered(self, event_id: str) -> None:
        self.delivered += 1

    async def record_failed(self, event_id: str, error: str) -> None:
        self.errors.append(error)


class FakeReceiver:
    def __init__(self, error: Exception | None = None) -> None:
        self.error = error
        self.sent: list[LeadEvent] = []

    async def send(self, event: LeadEvent) -> None:
        self.sent.append(event)
        if self.error is not None:
            raise self.error


def stored(attempts: int = 0, delivered: bool = False, event: LeadEvent | None = EVENT) -> StoredLeadEvent:
    return StoredLeadEvent(event=event, attempts=attempts, delivered=delivered)


def deliver(outbox: FakeOutbox, receiver: FakeReceiver, last_attempt: bool = False) -> DeliveryOutcome:
    return asyncio.run(DeliverLeadEvent(outbox, receiver).run(EVENT.id, last_attempt))


def test_an_event_is_sent_and_recorded_delivered():
    outbox, receiver = FakeOutbox(stored()), FakeReceiver()
    assert deliver(outbox, receiver) is DeliveryOutcome.DELIVERED
    assert receiver.sent == [EVENT]
    assert (outbox.delivered, outbox.errors) == (1, [])


def test_a_delivered_event_is_never_sent_again():
    outbox, receiver = FakeOutbox(stored(attempts=1, delivered=True)), FakeReceiver()
    assert deliver(outbox, receiver) is DeliveryOutcome.ALREADY_DELIVERED
    assert receiver.sent == [] and outbox.delivered == 0


def test_an_event_no_longer_stored_is_skipped():
    outbox, receiver = FakeOutbox(None), FakeReceiver()
    assert deliver(outbox, receiver) is DeliveryOutcome.MISSING
    assert receiver.sent == []


def test_a_refusal_is_recorded_and_not_retried():
    outbox, receiver = FakeOutbox(stored()), FakeReceiver(PermanentDeliveryError("HTTP 400: bad", code=400))
    assert deliver(outbox, receiver) is DeliveryOutcome.REJECTED  # returns: the queue does not retry
    assert outbox.errors == ["rechazado: HTTP 400: bad"]
    assert outbox.delivered == 0


def test_a_transient_failure_is_recorded_and_raised_for_the_queue_to_retry():
    outbox, receiver = FakeOutbox(stored(attempts=1)), FakeReceiver(TransientDeliveryError("HTTP 503: busy", code=503))
    with pytest.raises(TransientDeliveryError):
        deliver(outbox, receiver)
    assert outbox.errors == ["HTTP 503: busy"]


def test_the_last_attempt_records_that_the_event_was_given_up():
    outbox, receiver = FakeOutbox(stored(attempts=11)), FakeReceiver(TransientDeliveryError("HTTP 500: down"))
    with pytest.raises(TransientDeliveryError):
        deliver(outbox, receiver, last_attempt=True)
    assert outbox.errors == ["sin entregar tras 12 intentos: HTTP 500: down"]


def test_a_payload_that_is_no_longer_an_event_is_refused_without_a_request():
    outbox, receiver = FakeOutbox(stored(event=None)), FakeReceiver()
    assert deliver(outbox, receiver) is DeliveryOutcome.REJECTED
    assert receiver.sent == [] and outbox.errors[0].startswith("rechazado:")


# Settings ------------------------------------------------------------------------------------


def test_the_webhook_is_off_by_default_and_a_blank_url_is_unset():
    assert load_settings(_env_file=None).lead_webhook_url is None
    settings = load_settings(_env_file=None, lead_webhook_url="  ", lead_webhook_secret="")
    assert settings.lead_webhook_url is None and settings.lead_webhook_secret is None
    assert settings.lead_webhook_timeout_seconds == 5.0


def test_a_url_needs_a_secret():
    with pytest.raises(SettingsError, match="LEAD_WEBHOOK_SECRET is not"):
        load_settings(_env_file=None, lead_webhook_url="https://hooks.example.com/leads")


def test_a_short_secret_or_a_url_that_is_not_http_stops_start_up():
    with pytest.raises(SettingsError, match="at least 16 characters"):
        load_settings(_env_file=None, lead_webhook_url="https://hooks.example.com/leads", lead_webhook_secret="corto")
    with pytest.raises(SettingsError, match="LEAD_WEBHOOK_URL"):
        load_settings(_env_file=None, lead_webhook_url="ftp://hooks.example.com", lead_webhook_secret="x" * 32)


def test_a_complete_webhook_configuration_is_accepted():
    settings = load_settings(
        _env_file=None, lead_webhook_url="https://hooks.example.com/leads", lead_webhook_secret="x" * 32
    )
    assert settings.lead_webhook_secret is not None
    assert settings.lead_webhook_secret.get_secret_value() == "x" * 32


def test_the_advisor_alert_names_why_in_spanish_and_puts_a_bot_failure_first():
    python = CourseOfInterest(id="py", name="Python")
    asked = LeadSummary(user_id="whatsapp:+573000000001", name="Ana", courses=(python,))
    opened_at = datetime(2026, 11, 23, tzinfo=UTC)

    by_request = alert_variables(handoff_opened_event(4, HandoffReason.CONTACT_REQUEST, asked, opened_at))
    nothing_asked = LeadSummary(user_id="whatsapp:+573000000001")
    failed = alert_variables(handoff_opened_event(5, HandoffReason.BOT_FAILURE, asked, opened_at))
    failed_unnamed = alert_variables(handoff_opened_event(6, HandoffReason.BOT_FAILURE, nothing_asked, opened_at))

    assert by_request == {"1": "Ana", "2": "+573000000001", "3": "Python"}
    assert failed["3"] == failed_unnamed["3"] == "el bot no pudo responderle"
    assert failed_unnamed["1"] == "Sin nombre"
