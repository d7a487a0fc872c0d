"""Ports of follow-up campaigns: the store of lists and sends, and the template sender."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Protocol

from pydantic import BaseModel, ConfigDict

from app.application.lead_report import LeadQuery
from app.domain.campaigns import CampaignContact, Exclusion, SendState


class PlannedSend(BaseModel):
    """A contact the campaign will reach, with the template values rendered for them."""

    model_config = ConfigDict(frozen=True)

    contact: CampaignContact
    variables: dict[str, str]


class CampaignSend(BaseModel):
    """One recorded send not finished yet: `pending`, or `sending` when a run stopped mid-request."""

    model_config = ConfigDict(frozen=True)

    campaign: str
    user_id: str
    content_sid: str
    variables: dict[str, str]
    state: SendState
    sending_at: datetime | None = None


class Claim(BaseModel):
    """The answer to "may this row be sent now?": claimed (now `sending`), excluded (the
    contact opted out or withdrew consent since the row was planned; the row is now
    `failed`), or neither (another run finished it)."""

    model_config = ConfigDict(frozen=True)

    claimed: bool
    sending_at: datetime | None = None
    exclusion: Exclusion | None = None


class StatusCount(BaseModel):
    """Sends of a campaign with one state, delivery status (callbacks) and error code."""

    model_config = ConfigDict(frozen=True)

    state: SendState
    status: str | None
    error_code: int | None
    count: int


class ProviderMessage(BaseModel):
    model_config = ConfigDict(frozen=True)

    sid: str
    body: str
    created_at: datetime | None = None


class CampaignStore(Protocol):
    """The leads of a list and the campaign's record of each send (PostgreSQL).

    Every method is one short transaction; none is held across a provider request.
    """

    async def audience_page(
        self, campaign: str, query: LeadQuery, after: str | None, limit: int
    ) -> list[CampaignContact]:
        """The list's leads after user id `after`, in user-id order, *including* opted-out
        and non-consenting ones (the caller names them as excluded); `query.consent_only`
        is ignored for that reason. Each carries this campaign's state for them, if any."""
        ...

    async def campaign_templates(self, campaign: str) -> list[str]:
        """The template ids already recorded under this campaign's name."""
        ...

    async def record_planned(self, campaign: str, content_sid: str, sends: list[PlannedSend]) -> int:
        """Store them `pending`; a contact already recorded is left as it is. How many were new."""
        ...

    async def unsent_page(self, campaign: str, after: str | None, limit: int) -> list[CampaignSend]:
        """Pending and sending rows after user id `after`, in user-id order."""
        ...

    async def count_unsent(self, campaign: str) -> int: ...

    async def claim(self, campaign: str, user_id: str, now: datetime) -> Claim:
        """Mark the row `sending` if the contact still consents and has not opted out."""
        ...

    async def mark_sent(self, campaign: str, user_id: str, provider_sid: str, now: datetime) -> None: ...

    async def mark_failed(self, campaign: str, user_id: str, code: int | None, error: str, now: datetime) -> None:
        """Record the failure; Twilio's 21610 (the contact blocked the sender) also marks the
        contact opted out, as a status callback with it does."""
        ...

    async def known_provider_sids(self, sids: list[str]) -> set[str]:
        """Which of these message ids are already recorded (a reply part or any campaign send)."""
        ...

    async def status_counts(self, campaign: str) -> list[StatusCount]: ...

    def exclusive(self, campaign: str) -> AbstractAsyncContextManager[bool]:
        """Held for a whole run: True when no other process is sending this campaign."""
        ...


class TemplateSender(Protocol):
    """The provider's API for approved templates (Twilio Content API ids). Raises
    TransientDeliveryError when a later attempt may work, PermanentDeliveryError when not."""

    async def send_template(
        self, to: str, content_sid: str, variables: Mapping[str, str], status_callback: str | None
    ) -> str:
        """The provider's id of the accepted message."""
        ...

    async def recent_messages(self, to: str, since: datetime) -> list[ProviderMessage]:
        """Messages this sender sent to `to` at or after `since`, newest first."""
        ...
