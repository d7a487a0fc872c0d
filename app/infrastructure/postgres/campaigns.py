"""The CampaignStore port on PostgreSQL: the report's lists, and `campaign_sends` (0010).

A list is the lead report's own SQL (score now, inactivity windows, interest) so that a
campaign reaches exactly the people the report shows, except that opted-out and
non-consenting contacts are read too: the use case names them as excluded. Pages follow the
primary key, so a list of a million leads is never held at once.

psycopg's async pool, like the report: a CLI edge whose few statements per send run in
autocommit, none held across a Twilio request.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import psycopg
from psycopg.rows import dict_row

from app.application.campaign_ports import CampaignSend, Claim, PlannedSend, StatusCount
from app.application.lead_report import LeadQuery
from app.domain.campaigns import CampaignContact, Exclusion, SendState
from app.domain.lead_scoring import stage_for
from app.domain.outgoing import RECIPIENT_OPTED_OUT
from app.infrastructure.postgres.async_pool import DRIVER_ERRORS, command_pool, open_command_pool

# The report's definitions, imported rather than copied: a campaign's list is the report's.
from app.infrastructure.postgres.lead_report import last_contact_conditions, lead_query_parameters, score_now_sql
from app.infrastructure.postgres.sync_client import translate_psycopg
from app.infrastructure.redaction import redact

POOL_SIZE = 12
STATEMENT_TIMEOUT_MS = 60_000
# (namespace, key) of the advisory lock held by a run: this application's 72_301 is the
# migration lock; campaigns use their own namespace, keyed by a hash of the campaign's name.
_LOCK_NAMESPACE = 72_302

_RECORD_SQL = """
INSERT INTO campaign_sends (campaign, user_id, content_sid, variables)
SELECT %(campaign)s, planned.user_id, %(content_sid)s, planned.variables::jsonb
FROM unnest(%(users)s::text[], %(variables)s::text[]) AS planned(user_id, variables)
ON CONFLICT (campaign, user_id) DO NOTHING
"""

# One statement: the consent and opt-out of this moment decide between `sending` and `failed`.
_CLAIM_SQL = """
UPDATE campaign_sends AS s
SET state = CASE WHEN lead.eligible THEN 'sending' ELSE 'failed' END,
    sending_at = CASE WHEN lead.eligible THEN %(now)s ELSE s.sending_at END,
    attempts = s.attempts + CASE WHEN lead.eligible THEN 1 ELSE 0 END,
    error = CASE WHEN lead.eligible THEN NULL
                 WHEN lead.opted_out THEN %(opted_out)s ELSE %(no_consent)s END
FROM (SELECT coalesce(bool_or(m.marketing_consent AND NOT m.opted_out), false) AS eligible,
             coalesce(bool_or(m.opted_out), false) AS opted_out
      FROM user_memory AS m WHERE m.user_id = %(user_id)s) AS lead
WHERE s.campaign = %(campaign)s AND s.user_id = %(user_id)s AND s.state IN ('pending', 'sending')
RETURNING lead.eligible, lead.opted_out, s.sending_at
"""

_SENT_SQL = """
UPDATE campaign_sends SET state = 'sent', provider_sid = %(sid)s, sent_at = %(now)s, error = NULL, error_code = NULL
WHERE campaign = %(campaign)s AND user_id = %(user_id)s
"""

_FAILED_SQL = """
UPDATE campaign_sends SET state = 'failed', error_code = %(code)s, error = %(error)s, sent_at = NULL
WHERE campaign = %(campaign)s AND user_id = %(user_id)s
"""

# Twilio's 21610: the contact blocked the sender (STOP); the bot stops writing to them too.
_OPTED_OUT_SQL = """
UPDATE user_memory
SET opted_out = true, opted_out_at = coalesce(opted_out_at, %(now)s), marketing_consent = false,
    updated_at = %(now)s, version = version + 1
WHERE user_id = %(user_id)s AND NOT opted_out
"""

_STATUS_SQL = """
SELECT s.state, st.status, coalesce(st.error_code, s.error_code) AS error_code, count(*) AS sends
FROM campaign_sends AS s LEFT JOIN message_statuses AS st ON st.provider_sid = s.provider_sid
WHERE s.campaign = %(campaign)s
GROUP BY 1, 2, 3
"""

_KNOWN_SQL = """
SELECT provider_sid FROM reply_parts WHERE provider_sid = ANY(%(sids)s)
UNION SELECT provider_sid FROM campaign_sends WHERE provider_sid = ANY(%(sids)s)
"""


class PostgresCampaignStore:
    def __init__(
        self, dsn: str, course_names: Mapping[str, str], *, pool_size: int = POOL_SIZE, connect_timeout: float = 5.0
    ) -> None:
        self.description = f"PostgreSQL ({redact(dsn)})"
        self._dsn = dsn
        self._course_names = dict(course_names)  # ids -> names: the school's, then the bundled ones
        self._connect_timeout = connect_timeout
        self._pool = command_pool(
            dsn,
            application_name="course-advisor-campaign",
            size=pool_size,
            connect_timeout=connect_timeout,
            statement_timeout_ms=STATEMENT_TIMEOUT_MS,
        )

    async def open(self) -> None:
        await open_command_pool(self._pool, self._dsn, self._connect_timeout)

    async def close(self) -> None:
        await self._pool.close()

    async def audience_page(
        self, campaign: str, query: LeadQuery, after: str | None, limit: int
    ) -> list[CampaignContact]:
        parameters = {**lead_query_parameters(query), "campaign": campaign, "after": after, "page": limit}
        conditions = [
            f"({score_now_sql()}) BETWEEN %(min_score)s AND %(max_score)s",
            *last_contact_conditions(query.contacted_since, query.idle_days_from, query.idle_days_below),
        ]
        if query.interest is not None:
            conditions.append("m.interests @> ARRAY[%(interest)s]::text[]")
        if after is not None:
            conditions.append("m.user_id > %(after)s")
        rows = await self._fetch(
            f"""
            SELECT m.user_id, m.name, m.role, coalesce(m.interests, '{{}}') AS interests,
                   ({score_now_sql()}) AS score,
                   m.requested_course_ids[cardinality(m.requested_course_ids)] AS course_id,
                   m.marketing_consent, m.opted_out, s.state AS send_state
            FROM user_memory AS m
            LEFT JOIN campaign_sends AS s ON s.campaign = %(campaign)s AND s.user_id = m.user_id
            WHERE {" AND ".join(conditions)}
            ORDER BY m.user_id
            LIMIT %(page)s
            """,
            parameters,
        )
        return [self._contact(row) for row in rows]

    async def campaign_templates(self, campaign: str) -> list[str]:
        rows = await self._fetch(
            "SELECT DISTINCT content_sid FROM campaign_sends WHERE campaign = %(campaign)s", {"campaign": campaign}
        )
        return [row["content_sid"] for row in rows]

    async def record_planned(self, campaign: str, content_sid: str, sends: list[PlannedSend]) -> int:
        parameters = {
            "campaign": campaign,
            "content_sid": content_sid,
            "users": [send.contact.user_id for send in sends],
            "variables": [json.dumps(send.variables, ensure_ascii=False) for send in sends],
        }
        return await self._execute(_RECORD_SQL, parameters)

    async def count_unsent(self, campaign: str) -> int:
        rows = await self._fetch(
            "SELECT count(*) AS unsent FROM campaign_sends "
            "WHERE campaign = %(campaign)s AND state IN ('pending', 'sending')",
            {"campaign": campaign},
        )
        return int(rows[0]["unsent"])

    async def unsent_page(self, campaign: str, after: str | None, limit: int) -> list[CampaignSend]:
        later = " AND user_id > %(after)s" if after is not None else ""
        rows = await self._fetch(
            "SELECT campaign, user_id, content_sid, variables, state, sending_at FROM campaign_sends "
            f"WHERE campaign = %(campaign)s AND state IN ('pending', 'sending'){later} "
            "ORDER BY user_id LIMIT %(page)s",
            {"campaign": campaign, "after": after, "page": limit},
        )
        return [CampaignSend.model_validate(row) for row in rows]

    async def claim(self, campaign: str, user_id: str, now: datetime) -> Claim:
        rows = await self._fetch(
            _CLAIM_SQL,
            {
                "campaign": campaign,
                "user_id": user_id,
                "now": now,
                "opted_out": f"no enviado: {Exclusion.OPTED_OUT.value}",
                "no_consent": f"no enviado: {Exclusion.NO_CONSENT.value}",
            },
        )
        if not rows:
            return Claim(claimed=False)
        row = rows[0]
        if row["eligible"]:
            return Claim(claimed=True, sending_at=row["sending_at"])
        return Claim(claimed=False, exclusion=Exclusion.OPTED_OUT if row["opted_out"] else Exclusion.NO_CONSENT)

    async def mark_sent(self, campaign: str, user_id: str, provider_sid: str, now: datetime) -> None:
        await self._execute(_SENT_SQL, {"campaign": campaign, "user_id": user_id, "sid": provider_sid, "now": now})

    async def mark_failed(self, campaign: str, user_id: str, code: int | None, error: str, now: datetime) -> None:
        parameters = {"campaign": campaign, "user_id": user_id, "code": code, "error": error, "now": now}
        try:
            async with self._pool.connection() as connection, connection.transaction():
                await connection.execute(_FAILED_SQL.encode(), parameters)
                if code == RECIPIENT_OPTED_OUT:
                    await connection.execute(_OPTED_OUT_SQL.encode(), parameters)
        except DRIVER_ERRORS as error_:
            raise translate_psycopg(error_, "campaign store failed") from error_

    async def known_provider_sids(self, sids: list[str]) -> set[str]:
        rows = await self._fetch(_KNOWN_SQL, {"sids": sids})
        return {row["provider_sid"] for row in rows}

    async def status_counts(self, campaign: str) -> list[StatusCount]:
        rows = await self._fetch(_STATUS_SQL, {"campaign": campaign})
        return [
            StatusCount(state=row["state"], status=row["status"], error_code=row["error_code"], count=row["sends"])
            for row in rows
        ]

    @asynccontextmanager
    async def exclusive(self, campaign: str) -> AsyncIterator[bool]:
        """A session advisory lock on a connection of its own, held for the run: a second
        process sending the same campaign would find rows `sending` that are not leftovers."""
        try:
            connection = await psycopg.AsyncConnection.connect(
                self._dsn, autocommit=True, connect_timeout=max(1, round(self._connect_timeout))
            )
        except DRIVER_ERRORS as error:
            raise translate_psycopg(error, f"cannot connect to {redact(self._dsn)}") from error
        try:
            cursor = await connection.execute(
                "SELECT pg_try_advisory_lock(%s, hashtext(%s))", (_LOCK_NAMESPACE, campaign)
            )
            row = await cursor.fetchone()
            yield bool(row and row[0])
        finally:
            await connection.close()  # the session lock goes with the session

    def _contact(self, row: dict[str, Any]) -> CampaignContact:
        course_id = row["course_id"]
        return CampaignContact(
            user_id=row["user_id"],
            name=row["name"],
            role=row["role"],
            interests=tuple(row["interests"]),
            score=row["score"],
            stage=stage_for(row["score"]),
            course_name=self._course_names.get(course_id) if course_id else None,
            marketing_consent=row["marketing_consent"],
            opted_out=row["opted_out"],
            send_state=SendState(row["send_state"]) if row["send_state"] else None,
        )

    async def _fetch(self, sql: str, parameters: dict[str, Any]) -> list[dict[str, Any]]:
        try:
            async with self._pool.connection() as connection, connection.cursor(row_factory=dict_row) as cursor:
                await cursor.execute(sql.encode(), parameters)
                return await cursor.fetchall()
        except DRIVER_ERRORS as error:
            raise translate_psycopg(error, "campaign store failed") from error

    async def _execute(self, sql: str, parameters: dict[str, Any]) -> int:
        try:
            async with self._pool.connection() as connection, connection.cursor() as cursor:
                await cursor.execute(sql.encode(), parameters)
                return cursor.rowcount
        except DRIVER_ERRORS as error:
            raise translate_psycopg(error, "campaign store failed") from error
