"""The TemplateSender port on Twilio: approved WhatsApp templates (Content API `HX...` ids).

Outside WhatsApp's 24-hour window a free-text Body fails with 63016; a template is sent as
`ContentSid` plus `ContentVariables` (a JSON object of placeholder -> value) and no Body.
Same client, threads, timeouts, retries and error translation as the reply sender: Twilio's
5xx/429 are retried (it did not take the message), a timeout is not (it may have), other 4xx
are permanent with Twilio's code (21610: the contact blocked the sender).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from datetime import datetime

import requests
from twilio.base.exceptions import TwilioRestException, TwilioServiceException

from app.application.campaign_ports import ProviderMessage
from app.application.errors import TransientDeliveryError
from app.infrastructure.twilio.rest_sender import TwilioReplySender, _translate

LIST_LIMIT = 200  # messages to one contact since a run stopped: a handful in practice


class TwilioTemplateSender(TwilioReplySender):
    async def send_template(
        self, to: str, content_sid: str, variables: Mapping[str, str], status_callback: str | None
    ) -> str:
        return await self._with_retries(self._create_template, to, content_sid, dict(variables), status_callback)

    async def recent_messages(self, to: str, since: datetime) -> list[ProviderMessage]:
        return await asyncio.get_running_loop().run_in_executor(self._threads, self._recent, to, since)

    def _create_template(
        self, to: str, content_sid: str, variables: dict[str, str], status_callback: str | None
    ) -> str:
        optional = {"status_callback": status_callback} if status_callback else {}
        try:
            message = self._client.api.account.messages.create(
                to=to,
                from_=self._sender_for(to),
                content_sid=content_sid,
                content_variables=json.dumps(variables, ensure_ascii=False),
                **optional,
            )
        except (TwilioRestException, TwilioServiceException) as error:
            raise _translate(error) from error
        except requests.RequestException as error:
            raise TransientDeliveryError(f"Twilio request failed: {type(error).__name__}: {error}") from error
        if not message.sid:
            raise TransientDeliveryError("Twilio answered without a message SID")
        return message.sid

    def _recent(self, to: str, since: datetime) -> list[ProviderMessage]:
        """Twilio filters by day only (DateSent>=): the exact moment is checked here."""
        try:
            messages = self._client.api.account.messages.list(
                to=to, from_=self._sender_for(to), date_sent_after=since, limit=LIST_LIMIT
            )
        except (TwilioRestException, TwilioServiceException) as error:
            raise TransientDeliveryError(f"cannot list Twilio messages: {_translate(error)}") from error
        except requests.RequestException as error:
            raise TransientDeliveryError(f"Twilio list failed: {type(error).__name__}: {error}") from error
        found = []
        for message in messages:
            created = message.date_created or message.date_sent
            if message.sid and (created is None or created >= since):
                found.append(ProviderMessage(sid=message.sid, body=message.body or "", created_at=created))
        return found
