"""Hand-offs opened by turns answered inline (TwiML with PostgreSQL): a row in `handoffs`."""

from __future__ import annotations

from app.domain.handoff import HandoffRequest
from app.infrastructure.postgres.client import PostgresClient
from app.infrastructure.postgres.reply_queue import INSERT_HANDOFF_SQL


class PostgresHandoffRecorder:
    def __init__(self, client: PostgresClient) -> None:
        self._client = client

    async def open_handoff(self, user_id: str, request: HandoffRequest) -> bool:
        summary = request.summary.model_dump(mode="json")
        return await self._client.fetchval(INSERT_HANDOFF_SQL, user_id, request.reason.value, summary) is not None
