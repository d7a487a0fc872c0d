"""The ConversationQueue port on PostgreSQL (asyncpg, the worker's event loop).

Tables from migration 0007: conversation_messages, reply_turns, reply_parts. Each method is
one short statement or transaction on a pooled connection, released before the caller talks
to the provider or the AI.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import asyncpg

from app.application.answer_messages import RATE_LIMITED_MODE
from app.application.queue_ports import CommittedTurn, NextTurn, TurnContext, TurnToCommit, VersionedMemory
from app.domain.handoff import OpenHandoff
from app.domain.interactive import Interactive, Tap, attach_to_parts
from app.domain.lead_events import LeadEvent, handoff_opened_event
from app.domain.messages import InboundMessage
from app.domain.outgoing import OutgoingPart, PartState
from app.infrastructure.postgres.client import PostgresClient
from app.infrastructure.postgres.lead_event_rows import event_columns, insert_events_sql, insert_lead_events
from app.infrastructure.postgres.memory_repository import compare_and_swap_sql, memory_values, read_memory_row
from app.infrastructure.postgres.memory_rows import COLUMNS

# Advisory lock class of "a user's waiting messages" (the migrations use 72_301, memory
# 72_302): the webhook's insert holds it shared until its commit, the reader (the function of
# migration 0012, which spells the number out) exclusively.
WAITING_LOCK_CLASS = 72_303

# The columns _part() reads, as both statements below return them.
_PART_COLUMNS = "turn_id, idx, user_id, body, state, attempts, sending_at, provider_sid, interactive"

# What a run reads before each turn, in one round trip: the unanswered messages (through
# migration 0012's function, which first takes the user's exclusive waiting lock, so that
# every webhook statement of theirs in flight has committed, and then reads with a fresh
# snapshot), the unsent parts, the memory, the open hand-off and the count of messages since
# $3. Messages and parts come as JSON arrays, in order.
_NEXT_TURN_SQL = f"""
WITH waiting AS (
    SELECT * FROM waiting_messages_after_intake($1, $2) WITH ORDINALITY AS message (
        message_sid, user_id, body, media_count, media_types, profile_name, received_at, extras, n
    )
)
SELECT {', '.join(f'memory.{column}' for column in COLUMNS)}, memory.version,
       handoff.id AS handoff_id, handoff.reason AS handoff_reason, handoff.opened_at AS handoff_opened_at,
       handoff.last_activity_at AS handoff_last_activity_at, handoff.notice_sent AS handoff_notice_sent,
       (SELECT count(*) FROM conversation_messages WHERE user_id = $1 AND received_at >= $3) AS messages_since,
       (SELECT coalesce(jsonb_agg(to_jsonb(waiting) ORDER BY n), '[]') FROM waiting) AS messages,
       (SELECT coalesce(jsonb_agg(to_jsonb(part) ORDER BY part.turn_id, part.idx), '[]')
        FROM (SELECT {_PART_COLUMNS} FROM reply_parts
              WHERE user_id = $1 AND state IN ('pending', 'sending')) AS part) AS unsent
FROM (SELECT $1::text AS user_id) AS asked
LEFT JOIN user_memory AS memory ON memory.user_id = asked.user_id
LEFT JOIN handoffs AS handoff ON handoff.user_id = asked.user_id AND handoff.closed_at IS NULL
"""
# A turn's whole commit in one statement: the turn, its messages marked answered, its parts,
# the memory (compare-and-swap), the open hand-off's activity and the lead events. A message
# answered already or a memory that moved on raises RT409 (migration 0013), which takes the
# whole statement back. One row per part (one row with no part for a turn that sends nothing).
# Parameters: $1 user, $2 reply, $3 message ids, $4 part bodies, $5 the memory's version as
# read, $6 the open hand-off the messages were recorded for, $7 "its notice is in this
# reply", $8-$11 the events (event_columns), then the memory's columns (memory_values).
TURN_CONFLICT_SQLSTATE = "RT409"
_MEMORY_PARAMETER = 12
_INTERACTIVE_PARAMETER = _MEMORY_PARAMETER + len(COLUMNS)  # each part's tappable form (JSON or NULL)
_COMMIT_TURN_SQL = f"""
WITH turn AS (
    INSERT INTO reply_turns (user_id, reply) VALUES ($1, $2) RETURNING id
), answered AS (
    UPDATE conversation_messages SET turn_id = (SELECT id FROM turn), answered_at = now()
    WHERE message_sid = ANY($3::text[]) AND user_id = $1 AND answered_at IS NULL
    RETURNING 1
), parts AS (
    INSERT INTO reply_parts (turn_id, idx, user_id, body, interactive)
    SELECT (SELECT id FROM turn), part.idx - 1, $1, part.body, part.interactive
    FROM unnest($4::text[], ${_INTERACTIVE_PARAMETER}::jsonb[]) WITH ORDINALITY AS part (body, interactive, idx)
    RETURNING {_PART_COLUMNS}
), memory AS (
    {compare_and_swap_sql(_MEMORY_PARAMETER, 5)}
), activity AS (
    UPDATE handoffs SET last_activity_at = now(), notice_sent = notice_sent OR $7
    WHERE id = $6::bigint AND closed_at IS NULL
), events AS (
    {insert_events_sql(8)}
)
SELECT CASE WHEN (SELECT count(*) FROM answered) <> cardinality($3::text[]) OR NOT EXISTS (SELECT 1 FROM memory)
            THEN reply_turn_conflict() END AS conflict,
       ARRAY(SELECT id FROM events) AS event_ids, parts.*
FROM turn LEFT JOIN parts ON true
ORDER BY parts.idx
"""
_SENDING_SQL = """
UPDATE reply_parts SET state = 'sending', attempts = attempts + 1, sending_at = $3
WHERE turn_id = $1 AND idx = $2
"""
_SENT_SQL = """
UPDATE reply_parts SET state = 'sent', provider_sid = $3, finished_at = $4, error = NULL, error_code = NULL
WHERE turn_id = $1 AND idx = $2
"""
_FAILED_SQL = """
UPDATE reply_parts SET state = 'failed', error = $3, error_code = $4, finished_at = $5
WHERE turn_id = $1 AND idx = $2 AND state <> 'sent'
"""


INSERT_HANDOFF_SQL = """
INSERT INTO handoffs (user_id, reason, summary) VALUES ($1, $2, $3)
ON CONFLICT (user_id) WHERE closed_at IS NULL DO NOTHING
RETURNING id
"""
_CLOSE_HANDOFF_SQL = """
UPDATE handoffs SET closed_at = now(), closed_by = $2 WHERE id = $1 AND closed_at IS NULL RETURNING id
"""


async def _open_handoff(connection: asyncpg.Connection, turn: TurnToCommit, time_limit: float) -> list[LeadEvent]:
    """Open the hand-off the turn asked for (none if one is open already) and its event."""
    request = turn.open_handoff
    if request is None:
        return []
    summary = request.summary.model_dump(mode="json")
    handoff_id = await connection.fetchval(
        INSERT_HANDOFF_SQL, turn.user_id, request.reason.value, summary, timeout=time_limit
    )
    if handoff_id is None:
        return []
    return [handoff_opened_event(handoff_id, request.reason.value, request.summary, datetime.now(UTC))]


class _ConflictError(Exception):
    """The turn's statement was taken back: a message was answered, or the memory moved on."""


async def _commit_turn(connection: asyncpg.Connection, turn: TurnToCommit, time_limit: float) -> list[asyncpg.Record]:
    paired = attach_to_parts(turn.reply.parts, turn.reply.interactive)
    try:
        return await connection.fetch(
            _COMMIT_TURN_SQL,
            turn.user_id,
            turn.reply.model_dump(mode="json"),
            list(turn.message_ids),
            [body for body, _ in paired],
            turn.base_version,
            turn.handoff_activity,
            turn.handoff_notice,
            *event_columns(turn.events),
            *memory_values(turn.memory),
            [None if tappable is None else tappable.model_dump(mode="json") for _, tappable in paired],
            timeout=time_limit,
        )
    except asyncpg.PostgresError as error:
        if error.sqlstate == TURN_CONFLICT_SQLSTATE:
            raise _ConflictError from error
        raise


class PostgresConversationQueue:
    def __init__(self, client: PostgresClient) -> None:
        self._client = client

    async def next_turn(self, user_id: str, limit: int, since: datetime) -> NextTurn:
        row = await self._client.fetchrow(_NEXT_TURN_SQL, user_id, limit, since)
        assert row is not None  # the query always returns its one row
        context = TurnContext(memory=_versioned_memory(row), handoff=_handoff(user_id, row),
                              messages_since=row["messages_since"])  # fmt: skip
        return NextTurn(
            unsent=tuple(_part(part) for part in row["unsent"]),
            messages=tuple(_message(message) for message in row["messages"]),
            context=context,
        )

    async def rate_notice_since(self, user_id: str, since: datetime) -> bool:
        found = await self._client.fetchval(
            "SELECT 1 FROM reply_turns WHERE user_id = $1 AND created_at >= $2 AND reply ->> 'mode' = $3 LIMIT 1",
            user_id,
            since,
            RATE_LIMITED_MODE,
        )
        return found is not None

    async def commit_turn(self, turn: TurnToCommit) -> CommittedTurn | None:
        timeout = self._client.options.query_timeout
        try:
            if turn.open_handoff is None:
                async with self._client.connection() as connection:
                    rows = await _commit_turn(connection, turn, timeout)
                event_ids = list(rows[0]["event_ids"])
            else:  # the hand-off's id goes into its event: a transaction of three statements
                async with self._client.transaction() as connection:
                    rows = await _commit_turn(connection, turn, timeout)
                    opened = await _open_handoff(connection, turn, timeout)
                    event_ids = [*rows[0]["event_ids"], *await insert_lead_events(connection, opened, timeout)]
        except _ConflictError:
            return None
        parts = tuple(_part(row) for row in rows if row["idx"] is not None)
        return CommittedTurn(event_ids=tuple(event_ids), parts=parts)

    async def close_handoff(self, handoff_id: int, closed_by: str) -> bool:
        closed = await self._client.fetchval(_CLOSE_HANDOFF_SQL, handoff_id, closed_by)
        return closed is not None

    async def provider_ids_since(self, user_id: str, since: datetime) -> set[str]:
        rows = await self._client.fetch(
            "SELECT provider_sid FROM reply_parts "
            "WHERE user_id = $1 AND provider_sid IS NOT NULL AND finished_at >= $2",
            user_id,
            since,
        )
        return {row["provider_sid"] for row in rows}

    async def mark_sending(self, part: OutgoingPart, now: datetime) -> OutgoingPart:
        await self._client.execute(_SENDING_SQL, part.turn_id, part.index, now)
        return part.model_copy(update={"state": PartState.SENDING, "sending_at": now, "attempts": part.attempts + 1})

    async def mark_sent(self, part: OutgoingPart, provider_sid: str, now: datetime) -> None:
        await self._client.execute(_SENT_SQL, part.turn_id, part.index, provider_sid, now)

    async def mark_failed(self, part: OutgoingPart, error: str, code: int | None, now: datetime) -> None:
        await self._client.execute(_FAILED_SQL, part.turn_id, part.index, error, code, now)


def _versioned_memory(row: asyncpg.Record) -> VersionedMemory:
    if row["version"] is None:
        return VersionedMemory(memory=None, version=0)
    return VersionedMemory(memory=read_memory_row({column: row[column] for column in COLUMNS}), version=row["version"])


def _handoff(user_id: str, row: asyncpg.Record) -> OpenHandoff | None:
    if row["handoff_id"] is None:
        return None
    return OpenHandoff(
        id=row["handoff_id"],
        user_id=user_id,
        reason=row["handoff_reason"],
        opened_at=row["handoff_opened_at"],
        last_activity_at=row["handoff_last_activity_at"],
        notice_sent=row["handoff_notice_sent"],
    )


def _message(row: asyncpg.Record | Mapping[str, Any]) -> InboundMessage:
    """From a row, or from its JSON (timestamps as ISO text, which the model parses)."""
    return InboundMessage(
        message_id=row["message_sid"],
        user_id=row["user_id"],
        text=row["body"],
        media_count=row["media_count"],
        media_types=tuple(row["media_types"] or ()),
        profile_name=row["profile_name"],
        received_at=row["received_at"],
        **_extras(row.get("extras")),
    )


def _extras(extras: Mapping[str, Any] | str | None) -> dict[str, Any]:
    """The tap and media URLs migration 0017's column keeps (JSON, inside a JSON row)."""
    if isinstance(extras, str):
        extras = json.loads(extras)
    if not extras:
        return {}
    tap = extras.get("tap")
    return {"tap": Tap.model_validate(tap) if tap else None, "media_urls": tuple(extras.get("media_urls") or ())}


def _part(row: asyncpg.Record | Mapping[str, Any]) -> OutgoingPart:
    return OutgoingPart(
        turn_id=row["turn_id"],
        index=row["idx"],
        user_id=row["user_id"],
        body=row["body"],
        state=PartState(row["state"]),
        attempts=row["attempts"],
        sending_at=row["sending_at"],
        provider_sid=row["provider_sid"],
        interactive=_interactive(row.get("interactive")),
    )


def _interactive(value: Mapping[str, Any] | str | None) -> Interactive | None:
    if value is None:
        return None
    return Interactive.model_validate_json(value) if isinstance(value, str) else Interactive.model_validate(value)
