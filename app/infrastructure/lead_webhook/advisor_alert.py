"""The second alert channel: a WhatsApp template to the advisors' own numbers when a
student is handed to a person, so an advisor who is not watching a CRM still knows at once.

Outside the 24-hour window (an advisor who has not written to the school's number lately)
WhatsApp accepts approved templates only, so the alert is always a template:
ADVISOR_ALERT_CONTENT_SID, with {{1}} the student's name, {{2}} their phone and {{3}} the
courses they asked about (or why they asked for a person).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from app.domain.handoff import HandoffReason, reason_label
from app.domain.lead_events import LeadEvent, LeadEventType

WHATSAPP_PREFIX = "whatsapp:"


class TemplateMessages(Protocol):
    async def send_template(
        self, to: str, content_sid: str, variables: Mapping[str, str], status_callback: str | None
    ) -> str: ...

    def close(self) -> None: ...


class EventChannel(Protocol):
    async def send(self, event: LeadEvent) -> None: ...

    def close(self) -> None: ...


class AdvisorAlertOptions(BaseModel):
    model_config = ConfigDict(frozen=True)

    numbers: tuple[str, ...]
    content_sid: str
    status_callback: str | None = None


class WhatsAppAdvisorAlert:
    """Sends handoff.opened to every advisor number; other events are not for phones."""

    def __init__(self, messages: TemplateMessages, options: AdvisorAlertOptions) -> None:
        self._messages = messages
        self._options = options

    async def send(self, event: LeadEvent) -> None:
        if event.type != LeadEventType.HANDOFF_OPENED:
            return
        variables, options = alert_variables(event), self._options
        for number in options.numbers:
            await self._messages.send_template(number, options.content_sid, variables, options.status_callback)

    def close(self) -> None:
        self._messages.close()


def alert_variables(event: LeadEvent) -> dict[str, str]:
    lead = event.lead
    courses = ", ".join(course.name for course in lead.courses[:2])
    reason = str(event.data.get("reason", HandoffReason.CONTACT_REQUEST))
    # A student the bot failed matters more than what they asked about.
    asked = courses if courses and reason != HandoffReason.BOT_FAILURE else reason_label(reason)
    return {
        "1": lead.name or "Sin nombre",
        "2": lead.user_id.removeprefix(WHATSAPP_PREFIX),
        "3": asked,
    }


class EveryChannel:
    """An event goes to each channel in turn; a failure makes the queue retry the event, and
    the channels that had it already dedupe (the webhook by its event id)."""

    def __init__(self, channels: Sequence[EventChannel]) -> None:
        self._channels = tuple(channels)

    async def send(self, event: LeadEvent) -> None:
        for channel in self._channels:
            await channel.send(event)

    def close(self) -> None:
        for channel in self._channels:
            channel.close()
