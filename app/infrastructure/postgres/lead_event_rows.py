"""Lead events written in the transaction of the turn that caused them (asyncpg)."""

from __future__ import annotations

import asyncpg

from app.domain.lead_events import LeadEvent

_INSERT_SQL = """
INSERT INTO lead_events (id, type, user_id, payload)
SELECT event.id, event.type, event.user_id, event.payload
FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[]) AS event (id, type, user_id, payload)
ON CONFLICT (id) DO NOTHING
RETURNING id
"""


async def insert_lead_events(connection: asyncpg.Connection, events: list[LeadEvent], time_limit: float) -> list[str]:
    """Store the events (a re-run of the same turn stores nothing new); the ids inserted now."""
    if not events:
        return []
    rows = await connection.fetch(
        _INSERT_SQL,
        [event.id for event in events],
        [event.type.value for event in events],
        [event.lead.user_id for event in events],
        [event.model_dump(mode="json") for event in events],
        timeout=time_limit,
    )
    return [row["id"] for row in rows]
