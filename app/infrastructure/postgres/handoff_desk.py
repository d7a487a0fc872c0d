"""The advisors' desk on PostgreSQL: open hand-offs, a conversation, a reply, a release.

Synchronous (psycopg), for `python -m app handoff ...`. A reply goes out through the same
queue and worker as the bot's replies (stored as a turn whose parts the student's job sends,
in order with everything else), and only inside WhatsApp's 24-hour customer-service window:
outside it WhatsApp accepts approved templates only.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import procrastinate
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb
from pydantic import BaseModel, ConfigDict

from app.application.formatting import split_for_whatsapp
from app.domain.handoff import ADVISOR_MODE
from app.domain.intents import Intent
from app.domain.lead_events import LeadSummary
from app.domain.messages import Reply
from app.infrastructure.postgres.sync_client import SyncDatabase
from app.infrastructure.queue.health import DeliveryFigures, read_delivery_figures
from app.infrastructure.queue.intake import enqueue_answer, ensure_committed

SESSION_WINDOW = timedelta(hours=24)

_OPEN_SQL = """
SELECT h.id, h.user_id, h.reason, h.summary, h.opened_at, h.last_activity_at,
       (SELECT max(received_at) FROM conversation_messages m WHERE m.user_id = h.user_id) AS last_student_at,
       (SELECT min(m.received_at) FROM conversation_messages m
         WHERE m.user_id = h.user_id AND m.received_at >= h.opened_at
           AND m.received_at > coalesce(
               (SELECT max(t.created_at) FROM reply_turns t
                 WHERE t.user_id = h.user_id AND t.reply ->> 'mode' = %(advisor)s),
               h.opened_at)
       ) AS waiting_since,
       h.closed_at, h.closed_by
FROM handoffs h
"""
_CONVERSATION_SQL = """
SELECT at, who, text FROM (
    SELECT received_at AS at, 'student' AS who, body AS text, seq AS ord
    FROM conversation_messages WHERE user_id = %(user)s
    UNION ALL
    SELECT t.created_at, CASE WHEN t.reply ->> 'mode' = %(advisor)s THEN 'advisor' ELSE 'bot' END, p.body, p.idx
    FROM reply_parts p JOIN reply_turns t ON t.id = p.turn_id WHERE p.user_id = %(user)s
) AS lines
ORDER BY at DESC, ord DESC
LIMIT %(limit)s
"""
_NEW_TURN_SQL = "INSERT INTO reply_turns (user_id, reply) VALUES (%s, %s) RETURNING id"
_PART_SQL = "INSERT INTO reply_parts (turn_id, idx, user_id, body) VALUES (%s, %s, %s, %s)"
_TOUCH_SQL = "UPDATE handoffs SET last_activity_at = now() WHERE id = %s AND closed_at IS NULL"
_RELEASE_SQL = "UPDATE handoffs SET closed_at = now(), closed_by = %s WHERE id = %s AND closed_at IS NULL RETURNING id"


class HandoffView(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    user_id: str
    reason: str
    summary: LeadSummary
    opened_at: datetime
    last_activity_at: datetime
    last_student_at: datetime | None = None
    waiting_since: datetime | None = None  # the student's oldest message no advisor answered yet
    closed_at: datetime | None = None
    closed_by: str | None = None


class ConversationLine(BaseModel):
    model_config = ConfigDict(frozen=True)

    at: datetime
    who: str  # student, bot or advisor
    text: str


class ReplyOutcome(BaseModel):
    model_config = ConfigDict(frozen=True)

    queued_parts: int = 0
    outside_window: bool = False  # nothing queued: WhatsApp would refuse free text now
    last_student_at: datetime | None = None


class HandoffDesk:
    def __init__(self, database: SyncDatabase) -> None:
        self._database = database
        self._queue = procrastinate.App(connector=procrastinate.SyncPsycopgConnector())

    def open_handoffs(self) -> list[HandoffView]:
        return self._select("WHERE h.closed_at IS NULL ORDER BY h.opened_at", {})

    def find(self, key: str) -> HandoffView | None:
        """A hand-off by its number or the student's phone (the open one, else the latest)."""
        if key.isdigit():
            found = self._select("WHERE h.id = %(key)s", {"key": int(key)})
        else:
            where = "WHERE h.user_id IN (%(key)s, %(wa)s) ORDER BY h.closed_at DESC NULLS FIRST, h.id DESC"
            found = self._select(where, {"key": key, "wa": f"whatsapp:{key}"})
        return found[0] if found else None

    def conversation(self, user_id: str, limit: int = 30) -> list[ConversationLine]:
        with self._database.connection() as connection, connection.cursor(row_factory=dict_row) as cursor:
            params = {"user": user_id, "advisor": ADVISOR_MODE, "limit": limit}
            rows = cursor.execute(_CONVERSATION_SQL, params).fetchall()
        return [ConversationLine(**row) for row in reversed(rows)]

    def reply(self, handoff: HandoffView, text: str, now: datetime) -> ReplyOutcome:
        """Queue the advisor's text to the student, inside the 24-hour window only."""
        if handoff.last_student_at is None or now - handoff.last_student_at > SESSION_WINDOW:
            return ReplyOutcome(outside_window=True, last_student_at=handoff.last_student_at)
        reply = Reply(text=text, parts=split_for_whatsapp(text), intent=Intent.CONTACT_REQUEST, confidence=1.0,
                      mode=ADVISOR_MODE)  # fmt: skip
        with self._database.connection() as connection:
            with connection.transaction():
                row = connection.execute(_NEW_TURN_SQL, (handoff.user_id, _json(reply))).fetchone()
                assert row is not None
                for index, body in enumerate(reply.parts):
                    connection.execute(_PART_SQL, (row[0], index, handoff.user_id, body))
                connection.execute(_TOUCH_SQL, (handoff.id,))
                enqueue_answer(self._queue, connection, handoff.user_id, delay=0)
            ensure_committed(connection)
        return ReplyOutcome(queued_parts=len(reply.parts), last_student_at=handoff.last_student_at)

    def delivery_figures(self) -> DeliveryFigures:
        """Replies waiting, unsent, failed (Twilio's codes named), for the marketers' report."""
        with self._database.connection() as connection:
            return read_delivery_figures(connection)

    def release(self, handoff: HandoffView, by: str) -> bool:
        with self._database.connection() as connection:
            return connection.execute(_RELEASE_SQL, (by, handoff.id)).fetchone() is not None

    def _select(self, where: str, params: dict[str, object]) -> list[HandoffView]:
        with self._database.connection() as connection, connection.cursor(row_factory=dict_row) as cursor:
            rows = cursor.execute(_OPEN_SQL + where, {"advisor": ADVISOR_MODE, **params}).fetchall()
        return [HandoffView(**row) for row in rows]


def _json(reply: Reply) -> Jsonb:
    return Jsonb(reply.model_dump(mode="json"))
