"""The SIDs of the WhatsApp Content resources the bot made (migration 0017's whatsapp_contents),
so that each distinct tappable content is created once across every worker."""

from __future__ import annotations

from datetime import timedelta

from app.infrastructure.postgres.client import PostgresClient
from app.infrastructure.twilio.whatsapp_sender import ContentClaim

# A claim older than this is taken over: its worker died between claiming and recording.
STALE_CLAIM = timedelta(seconds=60)

# One statement: the row is inserted (this caller creates the content), or a stale claim is
# taken over (likewise), or the row as it stands is returned (its SID, or a claim in progress;
# no row at all when another insert committed after this statement's snapshot: in progress too).
_CLAIM_SQL = """
WITH claimed AS (
    INSERT INTO whatsapp_contents (content_key) VALUES ($1)
    ON CONFLICT (content_key) DO UPDATE SET claimed_at = now()
        WHERE whatsapp_contents.content_sid IS NULL AND whatsapp_contents.claimed_at < now() - $2::interval
    RETURNING content_sid, true AS mine
)
SELECT content_sid, mine FROM claimed
UNION ALL
SELECT content_sid, false FROM whatsapp_contents WHERE content_key = $1 AND NOT EXISTS (SELECT 1 FROM claimed)
"""


class PostgresContentStore:
    def __init__(self, client: PostgresClient, stale_claim: timedelta = STALE_CLAIM) -> None:
        self._client = client
        self._stale_claim = stale_claim

    async def claim(self, key: str) -> ContentClaim:
        row = await self._client.fetchrow(_CLAIM_SQL, key, self._stale_claim)
        if row is None:
            return ContentClaim()
        return ContentClaim(sid=row["content_sid"], mine=row["mine"])

    async def record(self, key: str, sid: str) -> None:
        await self._client.execute(
            "UPDATE whatsapp_contents SET content_sid = $2, created_at = now() WHERE content_key = $1", key, sid
        )

    async def release(self, key: str) -> None:
        await self._client.execute("DELETE FROM whatsapp_contents WHERE content_key = $1 AND content_sid IS NULL", key)

    async def count(self) -> int:
        return int(await self._client.fetchval("SELECT count(*) FROM whatsapp_contents WHERE content_sid IS NOT NULL"))
