"""The LeadEventOutbox port on the `lead_events` table, through the worker's queue connector.

Each call is one statement on a pooled connection, returned at once: none is held while the
receiver answers. The table's rows are written by the turn's transaction
(app/infrastructure/postgres/lead_event_rows.py); this module only reads them and records
delivery.
"""

from __future__ import annotations

import logging

from procrastinate.connector import BaseAsyncConnector
from pydantic import ValidationError

from app.application.deliver_lead_events import StoredLeadEvent
from app.domain.lead_events import LeadEvent

logger = logging.getLogger(__name__)

_LOAD_SQL = """
SELECT payload, attempts, delivered_at IS NOT NULL AS delivered FROM lead_events WHERE id = %(event_id)s
"""

_DELIVERED_SQL = """
UPDATE lead_events SET attempts = attempts + 1, delivered_at = coalesce(delivered_at, now())
WHERE id = %(event_id)s
"""

# A late failure never overwrites a delivery another run recorded.
_FAILED_SQL = """
UPDATE lead_events SET attempts = attempts + 1, last_error = %(error)s
WHERE id = %(event_id)s AND delivered_at IS NULL
"""


class PostgresLeadEventOutbox:
    def __init__(self, connector: BaseAsyncConnector) -> None:
        self._connector = connector

    async def load(self, event_id: str) -> StoredLeadEvent | None:
        rows = await self._connector.execute_query_all_async(_LOAD_SQL, event_id=event_id)
        if not rows:
            return None
        row = rows[0]
        try:
            event: LeadEvent | None = LeadEvent.model_validate(row["payload"])
        except ValidationError:
            logger.exception("lead event %s: stored payload is not a LeadEvent", event_id)
            event = None
        return StoredLeadEvent(event=event, attempts=row["attempts"], delivered=row["delivered"])

    async def record_delivered(self, event_id: str) -> None:
        await self._connector.execute_query_async(_DELIVERED_SQL, event_id=event_id)

    async def record_failed(self, event_id: str, error: str) -> None:
        await self._connector.execute_query_async(_FAILED_SQL, event_id=event_id, error=error)
