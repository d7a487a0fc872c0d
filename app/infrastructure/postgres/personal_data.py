"""Everything the bot's tables hold about one person, read out or deleted (data-protection
requests): the messages received (conversation_messages, and inbound_messages of inline
replies), the replies with their parts, Twilio's delivery statuses of what was sent to them,
hand-offs, lead events, campaign sends, memory merges after an outage, and the job queue's
rows that name them. The memory itself is the memory repository's (user_memory).

One list of tables, read by both directions: a table added to the schema is added here once,
and tests/integration/test_personal_data.py searches every table of the database for the
number after a deletion.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from app.infrastructure.postgres.client import PostgresClient

# The Twilio message SIDs of everything sent to the person: replies and campaign templates.
_SENT_SIDS = (
    "SELECT provider_sid FROM reply_parts WHERE user_id = $1 AND provider_sid IS NOT NULL "
    "UNION SELECT provider_sid FROM campaign_sends WHERE user_id = $1 AND provider_sid IS NOT NULL"
)
# Queue rows that name the person: their answer job (lock, queueing lock and args hold the
# user id) and the delivery jobs of their lead events (args hold the event id, which holds
# the user id except for a hand-off's). A job a worker is running right now is left to end.
_USER_JOBS = (
    "FROM procrastinate_jobs AS job WHERE job.status <> 'doing' AND ("
    "strpos(job.args::text, $1) > 0 OR strpos(coalesce(job.lock, ''), $1) > 0"
    " OR strpos(coalesce(job.queueing_lock, ''), $1) > 0"
    " OR job.args ->> 'event_id' IN (SELECT id FROM lead_events WHERE user_id = $1))"
)

# category -> the query of its rows, each row one JSON object, oldest first.
_EXPORT_SQL: dict[str, str] = {
    "conversation_messages": "SELECT to_jsonb(m) FROM conversation_messages AS m WHERE user_id = $1 ORDER BY seq",
    "replies": (
        "SELECT to_jsonb(t) || jsonb_build_object('parts', coalesce((SELECT jsonb_agg(to_jsonb(p) ORDER BY p.idx) "
        "FROM reply_parts AS p WHERE p.turn_id = t.id), '[]'::jsonb)) FROM reply_turns AS t WHERE user_id = $1 "
        "ORDER BY id"
    ),
    "message_statuses": (
        f"SELECT to_jsonb(s) FROM message_statuses AS s WHERE provider_sid IN ({_SENT_SIDS}) ORDER BY updated_at"
    ),
    "handoffs": "SELECT to_jsonb(h) FROM handoffs AS h WHERE user_id = $1 ORDER BY id",
    "lead_events": "SELECT to_jsonb(e) FROM lead_events AS e WHERE user_id = $1 ORDER BY created_at, id",
    "campaign_sends": "SELECT to_jsonb(c) FROM campaign_sends AS c WHERE user_id = $1 ORDER BY created_at",
    "memory_merges": "SELECT to_jsonb(r) FROM memory_reconcile_log AS r WHERE user_id = $1 ORDER BY applied_at",
    "queued_jobs": (
        "SELECT jsonb_build_object('id', job.id, 'task', job.task_name, 'status', job.status, 'args', job.args, "
        f"'scheduled_at', job.scheduled_at, 'attempts', job.attempts) {_USER_JOBS} ORDER BY job.id"
    ),
}

# In an order that keeps every reference resolvable until its own row goes: statuses through
# the sends' SIDs, queue rows through the lead events' ids.
_DELETE_SQL: dict[str, str] = {
    "queued_jobs": f"DELETE FROM procrastinate_jobs WHERE id IN (SELECT job.id {_USER_JOBS})",
    "message_statuses": f"DELETE FROM message_statuses WHERE provider_sid IN ({_SENT_SIDS})",
    "campaign_sends": "DELETE FROM campaign_sends WHERE user_id = $1",
    "conversation_messages": "DELETE FROM conversation_messages WHERE user_id = $1",
    "reply_parts": "DELETE FROM reply_parts WHERE user_id = $1",
    "replies": "DELETE FROM reply_turns WHERE user_id = $1",
    "handoffs": "DELETE FROM handoffs WHERE user_id = $1",
    "lead_events": "DELETE FROM lead_events WHERE user_id = $1",
    "inbound_messages": "DELETE FROM inbound_messages WHERE user_id = $1",
    "memory_merges": "DELETE FROM memory_reconcile_log WHERE user_id = $1",
}
_RUNNING_JOBS_SQL = (
    "SELECT count(*) FROM procrastinate_jobs WHERE status = 'doing' AND "
    "(strpos(args::text, $1) > 0 OR strpos(coalesce(lock, ''), $1) > 0)"
)
_QUEUE_CATEGORIES = frozenset({"queued_jobs"})


class StoredRecords(BaseModel):
    """The person's rows of the bot's tables, by category, each row as stored."""

    conversation_messages: list[dict[str, Any]] = Field(default_factory=list)
    replies: list[dict[str, Any]] = Field(default_factory=list)  # each with its "parts"
    message_statuses: list[dict[str, Any]] = Field(default_factory=list)
    handoffs: list[dict[str, Any]] = Field(default_factory=list)
    lead_events: list[dict[str, Any]] = Field(default_factory=list)
    campaign_sends: list[dict[str, Any]] = Field(default_factory=list)
    memory_merges: list[dict[str, Any]] = Field(default_factory=list)
    queued_jobs: list[dict[str, Any]] = Field(default_factory=list)

    @property
    def found(self) -> bool:
        return any(getattr(self, name) for name in StoredRecords.model_fields)


class StoredRecordsDeletion(BaseModel):
    deleted: dict[str, int] = Field(default_factory=dict)  # rows per category
    jobs_running: int = 0  # the person's jobs a worker runs now: delete again once they end


class PostgresPersonalData:
    def __init__(self, client: PostgresClient) -> None:
        self._client = client

    async def export(self, user_id: str) -> StoredRecords:
        has_queue = await self._has_queue()
        rows: dict[str, list[dict[str, Any]]] = {}
        for category, query in _EXPORT_SQL.items():
            if category in _QUEUE_CATEGORIES and not has_queue:
                continue
            rows[category] = [row[0] for row in await self._client.fetch(query, user_id)]
        return StoredRecords(**rows)

    async def delete(self, user_id: str) -> StoredRecordsDeletion:
        """Every row of the person, in one transaction."""
        has_queue = await self._has_queue()
        report = StoredRecordsDeletion()
        async with self._client.transaction() as connection:
            for category, statement in _DELETE_SQL.items():
                if category in _QUEUE_CATEGORIES and not has_queue:
                    continue
                status = await connection.execute(statement, user_id)
                report.deleted[category] = int(status.split()[-1])
            if has_queue:
                report.jobs_running = int(await connection.fetchval(_RUNNING_JOBS_SQL, user_id))
        return report

    async def _has_queue(self) -> bool:
        """The job queue's tables exist once REST delivery has been set up (`db init`)."""
        return bool(await self._client.fetchval("SELECT to_regclass('procrastinate_jobs') IS NOT NULL"))
