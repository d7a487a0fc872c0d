"""Data-protection requests: everything the bot keeps about one person, exported or deleted.

A person's data lives in their memory (PostgreSQL or JSON, plus any update waiting in the
fallback), in the inbound log (message ids and the replies sent), with PostgreSQL in the
bot's other tables (messages, replies and their parts, delivery statuses, hand-offs, lead
events, campaign sends, queue rows: app.infrastructure.postgres.personal_data), in files under
DATA_DIR named after them or about them (memory, lock files, fallback copies, set-aside
records), and possibly in backups made by `db migrate-memory`/`db export-memory`. Export
gathers all of it; delete removes it from the live stores, and from backups when asked to.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from app.application.ports import InboundRecord, UserMemoryRepository
from app.domain.memory import UserMemory
from app.infrastructure.json_store.files import atomic_write_json, key_to_filename, read_json
from app.infrastructure.postgres.inbound_log import PostgresInboundLog
from app.infrastructure.postgres.personal_data import PostgresPersonalData, StoredRecords


def candidate_user_ids(phone: str) -> list[str]:
    """The ids a phone number may be stored under: "whatsapp:+57300...", "+57300..."."""
    raw = phone.strip()
    if raw.startswith("whatsapp:"):
        return [raw]
    digits = raw.lstrip("+")
    return list(dict.fromkeys([f"whatsapp:+{digits}", f"+{digits}", raw]))


class UserDataExport(StoredRecords):
    """The person's memory and inbound log, and their rows of every other table."""

    user_id: str
    exported_at: datetime
    memory: UserMemory | None = None
    inbound_messages: list[InboundRecord] = Field(default_factory=list)
    backups_containing: list[str] = Field(default_factory=list)

    @property
    def found(self) -> bool:
        return self.memory is not None or bool(self.inbound_messages) or super().found


class UserDeletionReport(BaseModel):
    user_id: str
    memory_deleted: bool = False
    inbound_messages_deleted: int = 0
    rows_deleted: dict[str, int] = Field(default_factory=dict)  # the other tables, per category
    files_deleted: int = 0  # lock files, fallback copies, set-aside records under DATA_DIR
    jobs_running: int = 0
    backups_cleaned: list[str] = Field(default_factory=list)
    backups_containing: list[str] = Field(default_factory=list)


class DataProtection:
    def __init__(
        self,
        memory: UserMemoryRepository,
        data_dir: Path,
        database_inbound: PostgresInboundLog | None = None,
        database_records: PostgresPersonalData | None = None,
    ) -> None:
        self._memory = memory
        self._data_dir = data_dir
        self._inbound_dir = data_dir / "inbound"
        self._backups_dir = data_dir / "backups"
        self._database_inbound = database_inbound
        self._database_records = database_records

    async def export(self, user_id: str) -> UserDataExport:
        memory = await self._memory.export_user(user_id)
        records = await asyncio.to_thread(_json_inbound_records, self._inbound_dir, user_id)
        if self._database_inbound is not None:
            known = {r.message_id for r in records}
            records += [r for r in await self._database_inbound.records_of(user_id) if r.message_id not in known]
        records.sort(key=lambda r: (r.received_at, r.message_id))
        stored = await self._database_records.export(user_id) if self._database_records else StoredRecords()
        return UserDataExport(
            **stored.model_dump(),
            user_id=user_id,
            exported_at=datetime.now(UTC),
            memory=memory,
            inbound_messages=records,
            backups_containing=await asyncio.to_thread(_backups_containing, self._backups_dir, user_id),
        )

    async def delete(self, user_id: str, *, purge_backups: bool = False) -> UserDeletionReport:
        report = UserDeletionReport(user_id=user_id)
        report.memory_deleted = await self._memory.delete_user(user_id)
        report.inbound_messages_deleted = await asyncio.to_thread(_delete_json_inbound, self._inbound_dir, user_id)
        if self._database_records is not None:
            deletion = await self._database_records.delete(user_id)
            report.rows_deleted, report.jobs_running = deletion.deleted, deletion.jobs_running
            report.inbound_messages_deleted += sum(
                deletion.deleted.get(category, 0) for category in ("inbound_messages", "conversation_messages")
            )
        report.files_deleted = await asyncio.to_thread(
            _delete_user_files, self._data_dir, user_id, (self._backups_dir,)
        )
        if purge_backups:
            report.backups_cleaned = await asyncio.to_thread(_purge_backups, self._backups_dir, user_id)
        report.backups_containing = await asyncio.to_thread(_backups_containing, self._backups_dir, user_id)
        return report


def _json_inbound_records(directory: Path, user_id: str) -> list[InboundRecord]:
    records = []
    for path in sorted(directory.glob("*.json")) if directory.exists() else []:
        record = _read_record(path)
        if record is not None and record.user_id == user_id:
            records.append(record)
    return records


def _delete_json_inbound(directory: Path, user_id: str) -> int:
    deleted = 0
    for path in sorted(directory.glob("*.json")) if directory.exists() else []:
        record = _read_record(path)
        if record is not None and record.user_id == user_id:
            path.unlink(missing_ok=True)
            # The outbox markers of REST replies (json_store.inbound_log) go with the record.
            for markers in ("pending", "failed"):
                (directory / markers / path.name).unlink(missing_ok=True)
            deleted += 1
    return deleted


def _delete_user_files(data_dir: Path, user_id: str, skipped: tuple[Path, ...]) -> int:
    """Every file under DATA_DIR named after the person (their lock files, a fallback copy of
    their memory), whose JSON is theirs ("user_id" at the top, or in its "memory"), or set
    aside as unreadable (`corrupt/`) with their id in it, outside `skipped`; how many were
    deleted. A readable file of other people's data that merely quotes the number (someone
    else's memory) is not theirs, and stays."""
    if not data_dir.exists():
        return 0
    # "<key>.json", "<key>.lock", "<key>.json.<when it was set aside>": the key, then a dot.
    named = key_to_filename(user_id, ".")
    deleted = 0
    for path in sorted(p for p in data_dir.rglob("*") if p.is_file()):
        if any(path.is_relative_to(directory) for directory in skipped):
            continue
        if path.name.startswith(named) or _json_owner(path) == user_id or _set_aside_with(path, user_id):
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted


def _set_aside_with(path: Path, user_id: str) -> bool:
    """An unreadable record set aside in a `corrupt/` directory that holds the person's id."""
    if "corrupt" not in path.parent.parts:
        return False
    try:
        content = path.read_bytes()
    except OSError:
        return False
    return user_id.encode() in content or json.dumps(user_id).encode() in content


def _json_owner(path: Path) -> str | None:
    if path.suffix != ".json":
        return None
    try:
        data = read_json(path)
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    memory = data.get("memory")
    owner = data.get("user_id") or (memory.get("user_id") if isinstance(memory, dict) else None)
    return owner if isinstance(owner, str) else None


def _read_record(path: Path) -> InboundRecord | None:
    try:
        data = read_json(path)
        return InboundRecord.model_validate(data) if data is not None else None
    except (OSError, ValueError, ValidationError):
        return None


def _backups_containing(backups: Path, user_id: str) -> list[str]:
    """Backup files holding the user: their own memory file, or a line of a JSONL dump."""
    if not backups.exists():
        return []
    name = key_to_filename(user_id)
    found = [str(p) for p in backups.rglob(name)]
    found += [str(p) for p in backups.rglob("*.jsonl") if _jsonl_lines_of(p, user_id)]
    return sorted(found)


def _purge_backups(backups: Path, user_id: str) -> list[str]:
    cleaned = []
    if not backups.exists():
        return cleaned
    for path in backups.rglob(key_to_filename(user_id)):
        path.unlink(missing_ok=True)
        cleaned.append(str(path))
    for path in backups.rglob("*.jsonl"):
        if _jsonl_lines_of(path, user_id):
            kept = [line for line in path.read_text(encoding="utf-8").splitlines() if _line_user(line) != user_id]
            path.write_text("".join(f"{line}\n" for line in kept), encoding="utf-8")
            cleaned.append(str(path))
    return cleaned


def _jsonl_lines_of(path: Path, user_id: str) -> bool:
    with path.open(encoding="utf-8") as handle:
        return any(_line_user(line) == user_id for line in handle if user_id in line)


def _line_user(line: str) -> str | None:
    try:
        value = json.loads(line)
    except ValueError:
        return None
    return value.get("user_id") if isinstance(value, dict) else None


def write_export(export: UserDataExport, path: Path) -> None:
    atomic_write_json(path, export.model_dump(mode="json"))
