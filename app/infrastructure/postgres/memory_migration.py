"""`db migrate-memory` and `db export-memory`: JSON memory files into user_memory, and back.

The migration's contract is that no record is lost, and it checks that itself:
1. read every entry of the source; entries that cannot be read are listed (never dropped
   silently) and several entries of one user are combined (memory_merge.combine_duplicates)
   and listed too;
2. plan each user: insert, update, unchanged (already migrated: re-runs are idempotent), or
   keep (the database copy is newer; --overwrite takes the file's);
3. back up the source and every row the run will overwrite (skipped by --dry-run);
4. write in batches, each in one transaction;
5. verify: every user of the source is in the table, and the per-user checksum of the stored
   row equals the checksum of what was meant to be stored;
6. VACUUM ANALYZE user_memory, so that the planner and the lead report's index-only scans
   see the new rows at once instead of after autovacuum's next visit.
The way back, export_memory(), writes the table as the JSON store's files and verifies them.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb
from pydantic import BaseModel, Field, ValidationError

from app.application.errors import StoreUnavailableError
from app.domain.memory import UserMemory
from app.domain.memory_merge import combine_duplicates, recency
from app.infrastructure.json_store.files import atomic_write_json, filename_to_key, key_to_filename, read_json
from app.infrastructure.postgres.memory_rows import (
    COLUMNS,
    checksum,
    lift_legacy_fields,
    memory_from_row,
    memory_to_row,
)
from app.infrastructure.postgres.sync_client import SyncDatabase

BATCH = 500
Progress = Callable[[str, int, int], None]  # (stage, done, total)
Action = Literal["insert", "update", "unchanged", "keep"]
_JSON_COLUMNS = frozenset({"message_history", "additional_data", "intent_counts"})
_UPSERT = (
    f"INSERT INTO user_memory ({', '.join(COLUMNS)}, version) VALUES ({', '.join(['%s'] * len(COLUMNS))}, 1) "
    f"ON CONFLICT (user_id) DO UPDATE SET {', '.join(f'{c} = EXCLUDED.{c}' for c in COLUMNS if c != 'user_id')}, "
    "version = user_memory.version + 1"
)
_SELECT = f"SELECT {', '.join(COLUMNS)} FROM user_memory"


class SourceEntry(BaseModel):
    label: str  # where it was found: "users/whatsapp%3A%2B57....json", "export.json[12]"
    memory: UserMemory


class Problem(BaseModel):
    label: str
    reason: str


class Duplicate(BaseModel):
    user_id: str
    labels: list[str]
    kept: str  # the copy taken as the base (the most recent)


class UserPlan(BaseModel):
    user_id: str
    action: Action
    expected: UserMemory  # what the table must hold for this user afterwards (for verification)


class Verification(BaseModel):
    source_users: int
    found_in_database: int
    checksums_matching: int
    missing: list[str] = Field(default_factory=list)
    mismatched: list[str] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.mismatched and self.found_in_database == self.source_users


class MigrationReport(BaseModel):
    source: str
    dry_run: bool
    entries_read: int = 0
    unreadable: list[Problem] = Field(default_factory=list)
    duplicates: list[Duplicate] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    counts: dict[str, int] = Field(default_factory=dict)  # action -> users
    backup_dir: str | None = None
    verification: Verification | None = None

    @property
    def zero_lost(self) -> bool:
        """Every readable record is in the table as intended, and nothing was unreadable."""
        return not self.unreadable and (self.dry_run or (self.verification is not None and self.verification.ok))


# --- reading the source ----------------------------------------------------------------------


def read_source(source: Path, notes: list[str]) -> tuple[list[SourceEntry], list[Problem]]:
    """Every memory in a JSON memory directory (users/*.json or *.json) or a JSON file."""
    entries: list[SourceEntry] = []
    problems: list[Problem] = []
    for path, label, key in _source_files(source):
        try:
            data = read_json(path)
        except (OSError, ValueError) as error:
            problems.append(Problem(label=label, reason=f"not valid JSON ({error})"))
            continue
        for item_label, item in _items(data, label):
            _parse(item, item_label, key, entries, problems, notes)
    return entries, problems


def _source_files(source: Path) -> Iterator[tuple[Path, str, str | None]]:
    if source.is_file():
        yield source, source.name, None
        return
    for directory in (source / "users", source):
        if directory.is_dir():
            for path in sorted(directory.glob("*.json")):
                yield path, str(path.relative_to(source)), filename_to_key(path.name)


def _items(data: Any, label: str) -> Iterator[tuple[str, Any]]:
    """A file holds one memory, a list of memories, or {user_id: memory}."""
    if isinstance(data, list):
        for position, item in enumerate(data):
            yield f"{label}[{position}]", item
    elif isinstance(data, dict) and "user_id" not in data and data and all(isinstance(v, dict) for v in data.values()):
        for user_id, item in data.items():
            yield f"{label}[{user_id!r}]", {"user_id": user_id, **item}
    else:
        yield label, data


def _parse(
    item: Any, label: str, key: str | None, entries: list[SourceEntry], problems: list[Problem], notes: list[str]
) -> None:
    if not isinstance(item, dict):
        problems.append(Problem(label=label, reason=f"expected a JSON object, found {type(item).__name__}"))
        return
    data = dict(item)
    if key is not None and not data.get("user_id"):
        data["user_id"] = key  # the JSON store names each file after its user
    try:
        memory = UserMemory.model_validate(data)
    except ValidationError as error:
        first = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors()[:3])
        problems.append(Problem(label=label, reason=f"not a valid memory ({first})"))
        return
    if key is not None and memory.user_id != key:
        notes.append(f"{label}: the file name says {key!r} but the content says {memory.user_id!r}; used the content")
    entries.append(SourceEntry(label=label, memory=memory))


def resolve_duplicates(entries: Sequence[SourceEntry]) -> tuple[dict[str, UserMemory], list[Duplicate]]:
    """One memory per user; users found more than once are combined and listed."""
    groups: dict[str, list[SourceEntry]] = {}
    for entry in entries:
        groups.setdefault(entry.memory.user_id, []).append(entry)
    memories: dict[str, UserMemory] = {}
    duplicates: list[Duplicate] = []
    for user_id, group in groups.items():
        combined = combine_duplicates([e.memory for e in group])
        memories[user_id] = lift_legacy_fields(combined)
        if len(group) > 1:
            newest = max(group, key=lambda entry: recency(entry.memory))
            duplicates.append(Duplicate(user_id=user_id, labels=[e.label for e in group], kept=newest.label))
    return memories, duplicates


# --- the migration ---------------------------------------------------------------------------


def migrate_memory(
    database: SyncDatabase,
    source: Path,
    backup_root: Path,
    *,
    dry_run: bool = False,
    overwrite: bool = False,
    progress: Progress | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> MigrationReport:
    report = MigrationReport(source=str(source), dry_run=dry_run)
    entries, report.unreadable = read_source(source, report.notes)
    report.entries_read = len(entries) + len(report.unreadable)
    memories, report.duplicates = resolve_duplicates(entries)
    current = _fetch(database, list(memories), progress, "comparing")
    plans = [_plan(user_id, memory, current.get(user_id), overwrite) for user_id, memory in memories.items()]
    for plan in plans:
        report.counts[plan.action] = report.counts.get(plan.action, 0) + 1
    if dry_run:
        return report
    backup = backup_root / f"migrate-memory-{clock().strftime('%Y%m%dT%H%M%S%fZ')}"
    _back_up(source, backup, [current[p.user_id] for p in plans if p.action == "update"])
    report.backup_dir = str(backup)
    written = [p.expected for p in plans if p.action in ("insert", "update")]
    _write(database, written, progress)
    report.verification = verify(database, {p.user_id: p.expected for p in plans}, progress)
    if written:
        _refresh_statistics(database, report, progress)
    return report


def _plan(user_id: str, memory: UserMemory, stored: UserMemory | None, overwrite: bool) -> UserPlan:
    if stored is None:
        return UserPlan(user_id=user_id, action="insert", expected=memory)
    if checksum(stored) == checksum(memory):
        return UserPlan(user_id=user_id, action="unchanged", expected=memory)
    if overwrite or _newer(memory, stored):
        return UserPlan(user_id=user_id, action="update", expected=memory)
    # The bot kept talking to this user on PostgreSQL after the file was written.
    return UserPlan(user_id=user_id, action="keep", expected=stored)


def _newer(memory: UserMemory, stored: UserMemory) -> bool:
    def moment(m: UserMemory) -> datetime:
        value = m.updated_at or m.last_interaction_at
        if value is None:
            return datetime.min.replace(tzinfo=UTC)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value

    return moment(memory) > moment(stored)


def _back_up(source: Path, backup: Path, overwritten: Sequence[UserMemory]) -> None:
    """Copy the source as it is, and the rows about to be overwritten, before any write."""
    backup.mkdir(parents=True, exist_ok=False)
    if source.is_file():
        shutil.copy2(source, backup / source.name)
    elif source.is_dir():
        shutil.copytree(source, backup / "json_source", ignore=shutil.ignore_patterns("locks"))
    with (backup / "postgres_rows_overwritten.jsonl").open("w", encoding="utf-8") as handle:
        for memory in overwritten:
            handle.write(json.dumps(memory.model_dump(mode="json"), ensure_ascii=False) + "\n")


def _write(database: SyncDatabase, memories: Sequence[UserMemory], progress: Progress | None) -> None:
    for start in range(0, len(memories), BATCH):
        batch = memories[start : start + BATCH]
        with database.transaction() as connection, connection.cursor() as cursor:
            cursor.executemany(_UPSERT, [_parameters(m) for m in batch])
        if progress is not None:
            progress("writing", start + len(batch), len(memories))


def _refresh_statistics(database: SyncDatabase, report: MigrationReport, progress: Progress | None) -> None:
    """Planner statistics and visibility map for the rows just written.

    After a bulk load user_memory has neither until autovacuum gets to it, which takes
    minutes on a large table. Meanwhile the planner misjudges the lead report's range
    queries and its index-only scans read the table for every row: on 1,000,000 users
    new leads per day and the re-engagement counts were 6 to 12 times slower
    (docs/report.md). The rows are written and verified already, so a failure here only
    leaves that to autovacuum.
    """
    if progress is not None:
        progress("statistics", 0, 1)
    try:
        with database.connection() as connection:  # autocommit: VACUUM cannot run in a transaction
            connection.execute("VACUUM (ANALYZE) user_memory")
    except StoreUnavailableError as error:
        report.notes.append(f"VACUUM ANALYZE user_memory falló ({error}); autovacuum lo hará más tarde")
        return
    if progress is not None:
        progress("statistics", 1, 1)


def verify(database: SyncDatabase, expected: dict[str, UserMemory], progress: Progress | None) -> Verification:
    """Every expected user is stored, and each stored row has the expected checksum."""
    stored = _fetch(database, list(expected), progress, "verifying")
    missing = [u for u in expected if u not in stored]
    mismatched = [u for u in expected if u in stored and checksum(stored[u]) != checksum(expected[u])]
    return Verification(
        source_users=len(expected),
        found_in_database=len(expected) - len(missing),
        checksums_matching=len(expected) - len(missing) - len(mismatched),
        missing=missing,
        mismatched=mismatched,
    )


def _fetch(
    database: SyncDatabase, user_ids: list[str], progress: Progress | None, stage: str
) -> dict[str, UserMemory]:
    found: dict[str, UserMemory] = {}
    for start in range(0, len(user_ids), BATCH):
        batch = user_ids[start : start + BATCH]
        with database.connection() as connection, connection.cursor(row_factory=dict_row) as cursor:
            cursor.execute(f"{_SELECT} WHERE user_id = ANY(%s)", (batch,))
            for row in cursor:
                found[row["user_id"]] = memory_from_row(row)
        if progress is not None:
            progress(stage, start + len(batch), len(user_ids))
    return found


def _parameters(memory: UserMemory) -> list[Any]:
    row = memory_to_row(memory)
    return [Jsonb(row[c]) if c in _JSON_COLUMNS else row[c] for c in COLUMNS]


# --- the way back ----------------------------------------------------------------------------


class ExportReport(BaseModel):
    directory: str
    exported: int = 0
    verified: int = 0
    unreadable_rows: list[Problem] = Field(default_factory=list)
    backup_dir: str | None = None

    @property
    def ok(self) -> bool:
        return not self.unreadable_rows and self.verified == self.exported


def export_memory(
    database: SyncDatabase,
    target: Path,
    backup_root: Path,
    progress: Progress | None = None,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> ExportReport:
    """Write every user_memory row as the JSON store's files (target/users/*.json), verified."""
    report = ExportReport(directory=str(target))
    users_dir = target / "users"
    if users_dir.exists() and any(users_dir.glob("*.json")):
        backup = backup_root / f"export-memory-{clock().strftime('%Y%m%dT%H%M%S%fZ')}"
        shutil.copytree(users_dir, backup / "users")
        report.backup_dir = str(backup)
    with database.connection() as connection:
        total = int(connection.execute("SELECT count(*) FROM user_memory").fetchone()[0])  # type: ignore[index]
        with connection.transaction(), connection.cursor(name="export_memory", row_factory=dict_row) as cursor:
            cursor.itersize = BATCH
            cursor.execute(f"{_SELECT} ORDER BY user_id")
            for row in cursor:
                _export_row(row, users_dir, report)
                if progress is not None and report.exported % BATCH == 0:
                    progress("exporting", report.exported, total)
    if progress is not None:
        progress("exporting", report.exported, total)
    return report


def _export_row(row: dict[str, Any], users_dir: Path, report: ExportReport) -> None:
    try:
        memory = memory_from_row(row)
    except (ValidationError, psycopg.DataError) as error:
        report.unreadable_rows.append(Problem(label=str(row.get("user_id")), reason=str(error)))
        return
    path = users_dir / key_to_filename(memory.user_id)
    atomic_write_json(path, memory.model_dump(mode="json"))
    report.exported += 1
    written = read_json(path)
    if written is not None and checksum(UserMemory.model_validate(written)) == checksum(memory):
        report.verified += 1
