"""The TemplateSender port on Twilio: approved WhatsApp templates (Content API `HX...` ids).

Outside WhatsApp's 24-hour window a free-text Body fails with 63016; a template is sent as
`ContentSid` plus `ContentVariables` (a JSON object of placeholder -> value) and no Body.
Same client, connections, timeouts, retries and error translation as the reply sender: Twilio's
5xx/429 are retried (it did not take the message), a timeout is not (it may have), other 4xx
are permanent with Twilio's code (21610: the contact blocked the sender).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime

from app.application.campaign_ports import ProviderMessage
from app.infrastructure.twilio.rest_sender import TwilioReplySender


class TwilioTemplateSender(TwilioReplySender):
    async def send_template(
        self, to: str, content_sid: str, variables: Mapping[str, str], status_callback: str | None
    ) -> str:
        content_variables = json.dumps(dict(variables), ensure_ascii=False)
        return await self._with_retries(
            lambda: self._create_message(
                to, status_callback, content_sid=content_sid, content_variables=content_variables
            )
        )

    async def recent_messages(self, to: str, since: datetime) -> list[ProviderMessage]:
        return await self._recent(to, since)
