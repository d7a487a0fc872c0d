"""Hand-offs to a person in JSON mode: one file per open hand-off, read by `handoff list|show|release`."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from app.domain.handoff import HandoffRequest
from app.domain.lead_events import LeadSummary
from app.infrastructure.json_store.files import (
    atomic_write_json,
    create_exclusive_json,
    key_of_file,
    key_to_filename,
    read_json,
)


class JsonHandoff(BaseModel):
    model_config = ConfigDict(frozen=True)

    user_id: str
    reason: str
    summary: LeadSummary
    opened_at: datetime
    closed_at: datetime | None = None
    closed_by: str | None = None


class JsonHandoffs:
    """`DATA_DIR/handoffs/<user>.json`: the open (or last) hand-off of each student."""

    def __init__(self, directory: Path) -> None:
        self._directory = directory

    async def open_handoff(self, user_id: str, request: HandoffRequest) -> bool:
        return self.open_now(user_id, request, datetime.now(UTC))

    def open_now(self, user_id: str, request: HandoffRequest, now: datetime) -> bool:
        self._directory.mkdir(parents=True, exist_ok=True)
        handoff = JsonHandoff(user_id=user_id, reason=request.reason.value, summary=request.summary, opened_at=now)
        path = self._path(user_id)
        if create_exclusive_json(path, handoff.model_dump(mode="json")):
            return True
        current = self.find(user_id)
        if current is not None and current.closed_at is None:
            return False  # one open hand-off per student
        atomic_write_json(path, handoff.model_dump(mode="json"))
        return True

    def find(self, user_id: str) -> JsonHandoff | None:
        data = read_json(self._path(user_id))
        return JsonHandoff.model_validate(data) if data is not None else None

    def open_handoffs(self) -> list[JsonHandoff]:
        if not self._directory.is_dir():
            return []
        found = []
        for path in sorted(self._directory.glob("*.json")):
            user_id = key_of_file(path)
            handoff = self.find(user_id) if user_id is not None else None
            if handoff is not None and handoff.closed_at is None:
                found.append(handoff)
        return sorted(found, key=lambda h: h.opened_at)

    def release(self, user_id: str, by: str, now: datetime) -> bool:
        current = self.find(user_id)
        if current is None or current.closed_at is not None:
            return False
        closed = current.model_copy(update={"closed_at": now, "closed_by": by})
        atomic_write_json(self._path(user_id), closed.model_dump(mode="json"))
        return True

    def _path(self, user_id: str) -> Path:
        return self._directory / key_to_filename(user_id)
