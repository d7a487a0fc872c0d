"""Lead events written in the transaction of the turn that caused them (asyncpg)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import asyncpg

from app.domain.lead_events import LeadEvent


def insert_events_sql(first_parameter: int = 1) -> str:
    """Store events given as event_columns() from `first_parameter` on; the ids stored now (a
    re-run of the same turn stores nothing new)."""
    ids, types, users, payloads = (f"${first_parameter + i}" for i in range(4))
    return f"""
INSERT INTO lead_events (id, type, user_id, payload)
SELECT event.id, event.type, event.user_id, event.payload
FROM unnest({ids}::text[], {types}::text[], {users}::text[], {payloads}::jsonb[]) AS event (id, type, user_id, payload)
ON CONFLICT (id) DO NOTHING
RETURNING id
"""


_INSERT_SQL = insert_events_sql()


def event_columns(events: Sequence[LeadEvent]) -> tuple[list[str], list[str], list[str], list[dict[str, Any]]]:
    return (
        [event.id for event in events],
        [event.type.value for event in events],
        [event.lead.user_id for event in events],
        [event.model_dump(mode="json") for event in events],
    )


async def insert_lead_events(connection: asyncpg.Connection, events: list[LeadEvent], time_limit: float) -> list[str]:
    """Store the events (a re-run of the same turn stores nothing new); the ids inserted now."""
    if not events:
        return []
    rows = await connection.fetch(_INSERT_SQL, *event_columns(events), timeout=time_limit)
    return [row["id"] for row in rows]
